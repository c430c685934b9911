/**
 * Part of stage 2, check: the shape of the whole document, outside the schemas. tcgen supports a
 * subset of OpenAPI 3.1 (spec/README.md); everything a spec holds is either in that subset, with
 * the right kind of value, or a problem at its position. Nothing unchecked reaches openapi-typescript
 * or the templates: a `content` entry that is not `application/json`, a `$ref` where tcgen follows
 * none, a `title` that is not a string, a component kind tcgen does not use.
 *
 * Members whose rules need more than a kind (`openapi`, `servers[].url`, the `x-tc-*` extensions,
 * an operation's `operationId`, …) are "owned" here and checked by check.ts and check/paging.ts;
 * schemas are checked by check/validated-schemas.ts, which this module calls at every place a schema is.
 */
import { checkSchemaAt } from "./validated-schemas.js";
import { isObject, joinPointer, type Json } from "../lib/utils.js";
import type { Report } from "../spec/problems.js";

/** What a value must be. `owned`: checked elsewhere; `schema`: a JSON Schema (check/validated-schemas.ts). */
type Shape = "string" | "boolean" | "any" | "schema" | "owned" | ListShape | MapShape | ObjectShape;
interface ListShape {
  readonly list: Shape;
}
interface MapShape {
  readonly map: Shape;
  /** What the map holds, for messages. */
  readonly of: string;
  /** Keys allowed; a message for any other. */
  readonly keys?: (key: string) => string | undefined;
}
interface ObjectShape {
  /** What the object is, for messages ("an operation"). */
  readonly what: string;
  readonly members: Readonly<Record<string, Shape>>;
  readonly required?: readonly string[];
  /** tcgen's own extensions allowed here (checked elsewhere). */
  readonly extensions?: readonly string[];
}

/** Path item members check.ts refuses with its own reason: methods other than post, and parameters. */
const REFUSED_PATH_MEMBERS = ["get", "put", "delete", "options", "head", "patch", "trace", "parameters"];

const EXTERNAL_DOCS: ObjectShape = { what: "an external documentation object", members: { url: "string", description: "string" }, required: ["url"] };

const MEDIA_TYPE: ObjectShape = {
  what: "a media type object",
  members: {
    schema: "owned",
    example: "any",
    examples: {
      of: "named examples",
      map: { what: "an example", members: { summary: "string", description: "string", value: "any" } },
    },
  },
};

const OPERATION: ObjectShape = {
  what: "an operation",
  members: {
    operationId: "owned",
    summary: "owned",
    parameters: "owned",
    description: "string",
    deprecated: "boolean",
    tags: { list: "string" },
    externalDocs: EXTERNAL_DOCS,
    security: { list: { of: "security schemes", map: { list: "string" } } },
    requestBody: {
      what: "a request body",
      members: {
        required: "owned",
        description: "string",
        content: { of: "media types", map: MEDIA_TYPE, keys: onlyJson },
      },
    },
    responses: {
      of: "responses",
      map: {
        what: "a response",
        members: { description: "string", content: { of: "media types", map: MEDIA_TYPE, keys: onlyJson } },
        required: ["description"],
      },
    },
  },
  extensions: ["x-tc-action", "x-tc-rate-limit", "x-tc-idempotent", "x-tc-errors", "x-tc-pagination", "x-tc-status", "x-tc-review", "x-tc-verify"],
};

const DOCUMENT: ObjectShape = {
  what: "the document",
  members: {
    openapi: "owned",
    servers: "owned",
    paths: {
      of: "paths",
      map: {
        what: "a path item",
        members: {
          post: OPERATION,
          summary: "string",
          description: "string",
          // Refused by check.ts with the reason (every action is a POST with a JSON body).
          ...Object.fromEntries(REFUSED_PATH_MEMBERS.map((member) => [member, "owned"])),
        },
      },
    },
    info: {
      what: "the info object",
      members: {
        title: "string",
        version: "string",
        summary: "string",
        description: "string",
        termsOfService: "string",
        contact: { what: "a contact object", members: { name: "string", url: "string", email: "string" } },
        license: { what: "a license object", members: { name: "string", identifier: "string", url: "string" }, required: ["name"] },
      },
      required: ["title", "version"],
    },
    components: {
      what: "the components object",
      members: {
        // Checked by check/validated-schemas.ts (checkValidatedSchemas), with the rules validators need.
        schemas: "owned",
        securitySchemes: {
          of: "security schemes",
          map: {
            what: "a security scheme",
            members: { type: "string", description: "string", name: "string", in: "string", scheme: "string", bearerFormat: "string", openIdConnectUrl: "string" },
            required: ["type"],
          },
        },
      },
    },
    security: { list: { of: "security schemes", map: { list: "string" } } },
    tags: { list: { what: "a tag", members: { name: "string", description: "string", externalDocs: EXTERNAL_DOCS }, required: ["name"] } },
    externalDocs: EXTERNAL_DOCS,
  },
  // `openapi` and `paths` are required by check.ts, with what they must hold.
  required: ["info"],
  extensions: ["x-tc-service", "x-tc-version", "x-tc-common-errors", "x-tc-waiters", "x-tc-review", "x-tc-verify"],
};

function onlyJson(key: string): string | undefined {
  return key === "application/json" ? undefined : `tcgen sends and reads JSON only: the media type must be "application/json", got ${JSON.stringify(key)}`;
}

/** Reports every member of the document that is not in tcgen's subset or not of the right kind. */
export function checkStructure(root: Json, report: Report): void {
  checkShape(root, root, DOCUMENT, "", report);
  // The schemas of the operations' media types, which openapi-typescript also reads.
  const paths = isObject(root["paths"]) ? root["paths"] : {};
  for (const [route, item] of Object.entries(paths)) {
    const operation = isObject(item) ? item["post"] : undefined;
    if (!isObject(operation)) continue;
    const at = `${joinPointer("paths", route, "post")}`;
    const body = operation["requestBody"];
    const bodyContent = isObject(body) && isObject(body["content"]) ? body["content"] : {};
    for (const [type, media] of Object.entries(bodyContent)) {
      if (isObject(media) && media["schema"] !== undefined) checkSchemaAt(root, media["schema"], `${at}${joinPointer("requestBody", "content", type, "schema")}`, report);
    }
    const responses = isObject(operation["responses"]) ? operation["responses"] : {};
    for (const [code, response] of Object.entries(responses)) {
      const content = isObject(response) && isObject(response["content"]) ? response["content"] : {};
      for (const [type, media] of Object.entries(content)) {
        if (isObject(media) && media["schema"] !== undefined) checkSchemaAt(root, media["schema"], `${at}${joinPointer("responses", code, "content", type, "schema")}`, report);
      }
    }
  }
}

function checkShape(root: Json, value: unknown, shape: Shape, at: string, report: Report): void {
  if (shape === "owned" || shape === "any") return;
  if (shape === "schema") return checkSchemaAt(root, value, at, report);
  if (shape === "string" || shape === "boolean") {
    if (typeof value !== shape) report(at, `must be a ${shape === "string" ? "string" : "boolean (true or false)"}, got ${describe(value)}`);
    return;
  }
  if ("list" in shape) {
    if (!Array.isArray(value)) return report(at, `must be a list, got ${describe(value)}`);
    value.forEach((item, i) => checkShape(root, item, shape.list, `${at}/${i}`, report));
    return;
  }
  if ("map" in shape) {
    if (!isObject(value)) return report(at, `must be a mapping of ${shape.of}, got ${describe(value)}`);
    for (const [key, member] of Object.entries(value)) {
      const here = `${at}${joinPointer(key)}`;
      const problem = shape.keys?.(key);
      if (problem !== undefined) report(here, problem);
      else checkShape(root, member, shape.map, here, report);
    }
    return;
  }
  if (!isObject(value)) return report(at, `must be ${shape.what} (a mapping), got ${describe(value)}`);
  for (const [key, member] of Object.entries(value)) {
    const here = `${at}${joinPointer(key)}`;
    if (Object.hasOwn(shape.members, key)) checkShape(root, member, shape.members[key]!, here, report);
    else if (key.startsWith("x-tc-")) {
      if (!shape.extensions?.includes(key)) {
        report(here, `unknown tcgen extension "${key}" on ${shape.what}${shape.extensions ? `; expected ${shape.extensions.join(", ")}` : ""}`);
      }
    } else if (!key.startsWith("x-")) {
      report(here, `"${key}" is not a member of ${shape.what} that tcgen supports; expected ${Object.keys(shape.members).filter((k) => shape.members[k] !== "owned" || !isRefused(k)).join(", ")} or an x- extension`);
    }
  }
  for (const key of shape.required ?? []) {
    if (!Object.hasOwn(value, key)) report(at, `${shape.what} needs "${key}"`);
  }
}

/** Members listed as owned only so that check.ts can refuse them with a reason. */
function isRefused(key: string): boolean {
  return REFUSED_PATH_MEMBERS.includes(key);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `${typeof value} ${JSON.stringify(value)}`;
}
