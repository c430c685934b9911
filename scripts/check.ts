/**
 * Stage 2, check: everything later stages rely on, verified up front and reported all at once with
 * the position of the offending node. Later stages may then assume a well-formed spec.
 */
import path from "node:path";
import type { LoadedSpec } from "./load.js";
import { joinPointer } from "./load.js";
import { checkValidatedSchemas } from "./check-schemas.js";
import { RUNTIME_NAMES as VALIDATOR_RUNTIME_NAMES } from "./validator-code.js";
import { checkPaging } from "./check-paging.js";
import { checkInt64 } from "./int64.js";
import { SpecError, type SpecProblem } from "./problems.js";

type Json = Record<string, unknown>;

const ACTION = /^[A-Z][A-Za-z0-9]*$/;
const SERVICE = /^[a-z][a-z0-9]*$/;
const VERSION = /^\d{4}-\d{2}-\d{2}$/;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const ERROR_CODE = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9_]+)*$/;
const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
/** Globals a generated type alias must not shadow. */
const RESERVED_NAMES = new Set([
  "Array", "ArrayBuffer", "Boolean", "Date", "Error", "Function", "Headers", "JSON", "Map", "Math", "Number", "Object",
  "Partial", "Promise", "Readonly", "Record", "RegExp", "Request", "Response", "Set", "String", "Symbol", "URL",
]);
export const ERROR_RESPONSE_REF = "#/components/schemas/ErrorResponse";

/** Throws a SpecError listing every problem; returns normally for a spec the generator can use. */
export function checkSpec(spec: LoadedSpec, filePath: string): void {
  const problems: SpecProblem[] = [];
  const report = (pointer: string, message: string) => {
    const { line, col } = spec.positionOf(pointer);
    problems.push({ file: spec.displayPath, line, col, message });
  };
  const root = spec.value;
  if (!isObject(root)) {
    report("", "a spec must be a YAML mapping (an OpenAPI document)");
    throw new SpecError(problems);
  }

  checkTopLevel(root, filePath, report);
  checkRefs(root, "", root, report);
  checkSchemas(root, report);
  checkPaths(root, report);
  checkPaging(root, report);
  checkInt64(root, report);
  if (problems.length > 0) throw new SpecError(problems);
}

type Report = (pointer: string, message: string) => void;

function checkTopLevel(root: Json, filePath: string, report: Report): void {
  if (typeof root["openapi"] !== "string" || !/^3\.1\.\d+$/.test(root["openapi"])) {
    report("/openapi", `"openapi" must be 3.1.x, got ${JSON.stringify(root["openapi"])}`);
  }
  const info = root["info"];
  if (!isObject(info) || typeof info["title"] !== "string" || typeof info["version"] !== "string") {
    report("/info", `"info" must have a string "title" and "version"`);
  }
  const service = root["x-tc-service"];
  if (typeof service !== "string" || !SERVICE.test(service)) {
    report("/x-tc-service", `"x-tc-service" must be the lowercase service name signed in TC3 (e.g. cvm), got ${JSON.stringify(service)}`);
  }
  const version = root["x-tc-version"];
  if (typeof version !== "string" || !VERSION.test(version)) {
    report("/x-tc-version", `"x-tc-version" must be a quoted "YYYY-MM-DD" API version, got ${JSON.stringify(version)}`);
  }
  // Layout rule: spec/<service>/<version>.yaml, so a file's place says what it is.
  const base = path.basename(filePath).replace(/\.ya?ml$/, "");
  const dir = path.basename(path.dirname(filePath));
  if (typeof version === "string" && base !== version) {
    report("/x-tc-version", `file name "${path.basename(filePath)}" must be the API version: "${version}.yaml"`);
  }
  if (typeof service === "string" && dir !== service) {
    report("/x-tc-service", `the spec must live in a directory named after its service: ".../${service}/${path.basename(filePath)}"`);
  }

  const servers = root["servers"];
  if (!Array.isArray(servers) || servers.length === 0) {
    report("/servers", `"servers" must list at least the default endpoint`);
  } else {
    servers.forEach((server, i) => {
      const url = isObject(server) ? server["url"] : undefined;
      if (typeof url !== "string" || !/^https?:\/\/[^/]+\/?$/.test(url.replace(/\{[a-z]+\}/gi, "x"))) {
        report(joinPointer("servers", i, "url"), `server url must be an absolute http(s) origin, got ${JSON.stringify(url)}`);
        return;
      }
      if (i === 0 && url.includes("{")) report(joinPointer("servers", 0, "url"), "the first server is the default endpoint and must not use variables");
      for (const [, name] of url.matchAll(/\{([^}]*)\}/g)) {
        const variables = isObject(server) ? server["variables"] : undefined;
        if (!isObject(variables) || !isObject(variables[name!]) || typeof (variables[name!] as Json)["default"] !== "string") {
          report(joinPointer("servers", i, "url"), `server variable {${name}} needs a "variables.${name}.default"`);
        }
      }
    });
  }
  checkErrorList(root["x-tc-common-errors"], "/x-tc-common-errors", report);
}

function checkErrorList(list: unknown, pointer: string, report: Report): void {
  if (list === undefined) return;
  if (!Array.isArray(list)) {
    report(pointer, "must be a list of { code, description }");
    return;
  }
  const seen = new Set<string>();
  list.forEach((entry, i) => {
    const at = `${pointer}/${i}`;
    if (!isObject(entry) || typeof entry["code"] !== "string" || !ERROR_CODE.test(entry["code"])) {
      report(at, `each error needs a "code" like InvalidParameterValue.NotFoundInstance`);
      return;
    }
    if (typeof entry["description"] !== "string" || entry["description"].trim() === "") {
      report(at, `error ${entry["code"]} needs a "description"`);
    }
    if (seen.has(entry["code"])) report(`${at}/code`, `error code ${entry["code"]} is listed twice`);
    seen.add(entry["code"]);
  });
}

/** Every `$ref` must be local and resolve: the generator inlines nothing from elsewhere. */
function checkRefs(node: unknown, pointer: string, root: Json, report: Report): void {
  if (Array.isArray(node)) {
    node.forEach((item, i) => checkRefs(item, `${pointer}/${i}`, root, report));
    return;
  }
  if (!isObject(node)) return;
  for (const [key, value] of Object.entries(node)) {
    const at = `${pointer}${joinPointer(key)}`;
    if (key === "$ref" && typeof value === "string") {
      if (!value.startsWith("#/")) report(at, `only local $refs ("#/components/...") are supported, got "${value}"`);
      else if (resolveRef(root, value) === undefined) report(at, `$ref "${value}" does not resolve`);
    } else if (key !== "examples" && key !== "example") {
      checkRefs(value, at, root, report);
    }
  }
}

function checkSchemas(root: Json, report: Report): void {
  const schemas = isObject(root["components"]) ? (root["components"] as Json)["schemas"] : undefined;
  if (!isObject(schemas)) {
    report("/components", `"components.schemas" must hold the request, response and error schemas`);
    return;
  }
  const taken = generatedNames(root);
  for (const name of Object.keys(schemas)) {
    const at = joinPointer("components", "schemas", name);
    if (!IDENTIFIER.test(name)) report(at, `schema name "${name}" must be a TypeScript identifier`);
    else if (RESERVED_NAMES.has(name)) report(at, `schema name "${name}" would shadow the global ${name} in generated code; rename it`);
    else if (taken.has(name)) report(at, `schema name "${name}" collides with a name the generator emits; rename it`);
  }
  walkSchemas(root, report);
  checkValidatedSchemas(root, report);
  const errorResponse = resolveRef(root, ERROR_RESPONSE_REF);
  const errorProps = isObject(errorResponse) ? errorResponse["properties"] : undefined;
  if (!isObject(errorProps) || !("Error" in errorProps) || !("RequestId" in errorProps)) {
    report("/components/schemas", `"components.schemas.ErrorResponse" must describe { Error: { Code, Message }, RequestId }`);
  }
}

/** Enum extensions must line up with the enum they describe. */
function walkSchemas(node: unknown, report: Report, pointer = ""): void {
  if (Array.isArray(node)) return node.forEach((item, i) => walkSchemas(item, report, `${pointer}/${i}`));
  if (!isObject(node)) return;
  if (Array.isArray(node["enum"])) {
    const values = node["enum"];
    for (const ext of ["x-enum-varnames", "x-enum-descriptions"]) {
      const list = node[ext];
      if (list === undefined) continue;
      if (!Array.isArray(list) || list.length !== values.length) {
        report(`${pointer}/${ext}`, `"${ext}" must have one entry per enum value (${values.length})`);
      } else if (ext === "x-enum-varnames") {
        list.forEach((n, i) => {
          if (typeof n !== "string" || !IDENTIFIER.test(n)) report(`${pointer}/${ext}/${i}`, `enum name ${JSON.stringify(n)} must be an identifier`);
        });
        if (new Set(list).size !== list.length) report(`${pointer}/${ext}`, "enum names must be unique");
      }
    }
  }
  for (const [key, value] of Object.entries(node)) {
    if (key !== "examples" && key !== "example") walkSchemas(value, report, `${pointer}${joinPointer(key)}`);
  }
}

function checkPaths(root: Json, report: Report): void {
  const paths = root["paths"];
  if (!isObject(paths) || Object.keys(paths).length === 0) {
    report("/paths", `"paths" must hold one pseudo-path per action, e.g. /DescribeInstances`);
    return;
  }
  const methods = new Map<string, string>();
  for (const [route, item] of Object.entries(paths)) {
    const at = joinPointer("paths", route);
    const action = route.slice(1);
    if (!route.startsWith("/") || !ACTION.test(action)) {
      report(at, `path "${route}" must be a pseudo-path "/<Action>" (PascalCase action name)`);
      continue;
    }
    if (!isObject(item)) {
      report(at, `path "${route}" must hold a "post" operation`);
      continue;
    }
    for (const key of Object.keys(item)) {
      if (HTTP_METHODS.includes(key) && key !== "post") {
        report(`${at}${joinPointer(key)}`, `only "post" is allowed: every action goes out as POST / (GET mode is a client option)`);
      }
      if (key === "parameters") report(`${at}/parameters`, "actions take their parameters in the JSON body, not as path parameters");
    }
    const op = item["post"];
    if (!isObject(op)) {
      report(at, `path "${route}" must hold a "post" operation`);
      continue;
    }
    checkOperation(root, op, action, `${at}/post`, report);
    const method = action[0]!.toLowerCase() + action.slice(1);
    if (methods.has(method)) report(at, `action ${action} gives the method name ${method}, already taken by ${methods.get(method)}`);
    methods.set(method, action);
  }
}

function checkOperation(root: Json, op: Json, action: string, at: string, report: Report): void {
  if (op["operationId"] !== action) report(`${at}/operationId`, `"operationId" must be "${action}", the action of the path`);
  if (op["x-tc-action"] !== action) report(`${at}/x-tc-action`, `"x-tc-action" must be "${action}", the action of the path`);
  const limit = op["x-tc-rate-limit"];
  if (!Number.isInteger(limit) || (limit as number) <= 0) {
    report(`${at}${op["x-tc-rate-limit"] === undefined ? "" : "/x-tc-rate-limit"}`, `"x-tc-rate-limit" must be a positive integer (requests per second), got ${JSON.stringify(limit)}`);
  }
  if (op["x-tc-idempotent"] !== undefined && typeof op["x-tc-idempotent"] !== "boolean") {
    report(`${at}/x-tc-idempotent`, `"x-tc-idempotent" must be true or false`);
  }
  if (typeof op["summary"] !== "string" || op["summary"].trim() === "") report(at, `operation ${action} needs a "summary"`);
  if (op["parameters"] !== undefined) report(`${at}/parameters`, "actions take their parameters in the JSON body, not as parameters");
  checkErrorList(op["x-tc-errors"], `${at}/x-tc-errors`, report);

  const body = op["requestBody"];
  const requestMedia = isObject(body) && isObject(body["content"]) ? (body["content"] as Json)["application/json"] : undefined;
  const requestRef = isObject(requestMedia) && isObject(requestMedia["schema"]) ? (requestMedia["schema"] as Json)["$ref"] : undefined;
  if (typeof requestRef !== "string" || !requestRef.startsWith("#/components/schemas/")) {
    report(isObject(body) ? `${at}/requestBody` : at, `requestBody must be application/json with schema { $ref: "#/components/schemas/${action}Request" }`);
  } else if (isObject(body) && body["required"] !== true) {
    report(`${at}/requestBody`, "requestBody must be required: true (every action sends a JSON object, even {})");
  }
  const requestSchema = typeof requestRef === "string" ? resolveRef(root, requestRef) : undefined;
  if (isObject(requestSchema) && requestSchema["type"] !== "object") {
    report(`${at}/requestBody`, `the request schema ${requestRef} must be type: object`);
  }

  const responses = op["responses"];
  if (!isObject(responses) || !isObject(responses["200"])) {
    report(at, `operation ${action} needs a "200" response: Tencent answers every call with HTTP 200 and an envelope`);
    return;
  }
  for (const code of Object.keys(responses)) {
    if (code !== "200") report(`${at}/responses${joinPointer(code)}`, `only "200" is allowed: errors travel in the envelope's Response.Error`);
  }
  const responsesAt = `${at}/responses/200`;
  const content = (responses["200"] as Json)["content"];
  const media = isObject(content) ? content["application/json"] : undefined;
  const schema = isObject(media) ? media["schema"] : undefined;
  const envelope = isObject(schema) && isObject(schema["properties"]) ? (schema["properties"] as Json)["Response"] : undefined;
  const anyOf = isObject(envelope) ? envelope["anyOf"] : undefined;
  const refs = Array.isArray(anyOf) ? anyOf.map((s) => (isObject(s) ? s["$ref"] : undefined)) : [];
  if (refs.length !== 2 || typeof refs[0] !== "string" || refs[1] !== ERROR_RESPONSE_REF) {
    report(responsesAt, `the 200 response must be application/json { Response: { anyOf: [{ $ref: <success> }, { $ref: "${ERROR_RESPONSE_REF}" }] } }`);
  } else {
    const success = resolveRef(root, refs[0] as string);
    const props = isObject(success) ? success["properties"] : undefined;
    if (!isObject(props) || !("RequestId" in props)) report(responsesAt, `the success schema ${refs[0]} must have a "RequestId" property`);
  }

  const requestExamples = isObject(requestMedia) ? requestMedia["examples"] : undefined;
  const responseExamples = isObject(media) ? media["examples"] : undefined;
  for (const [examples, where] of [[requestExamples, `${at}/requestBody/content/application~1json/examples`], [responseExamples, `${responsesAt}/content/application~1json/examples`]] as const) {
    if (examples === undefined) continue;
    if (!isObject(examples)) { report(where, "examples must be a map of named examples"); continue; }
    for (const [name, example] of Object.entries(examples)) {
      if (!isObject(example) || !("value" in example)) report(`${where}${joinPointer(name)}`, `example "${name}" needs a "value"`);
    }
  }
  if (isObject(requestExamples) && isObject(responseExamples)) {
    for (const name of Object.keys(requestExamples)) {
      if (!(name in responseExamples)) report(`${at}/requestBody/content/application~1json/examples${joinPointer(name)}`, `request example "${name}" has no response example of the same name`);
    }
  }
}

/** Names the templates emit next to the schema aliases. */
function generatedNames(root: Json): Set<string> {
  const service = typeof root["x-tc-service"] === "string" ? root["x-tc-service"] : "";
  const pascal = service.charAt(0).toUpperCase() + service.slice(1);
  const names = new Set([
    "components", "paths", "operations", "CommonErrorCode", "CallOptions", "Credentials", "Language",
    "CredentialsError", "TencentCloudApiError", "TencentCloudTransportError",
    `${pascal}Client`, `${pascal}ClientOptions`, `${pascal}ErrorCode`,
    // validators.ts and what index.ts re-exports with it.
    "RequestValidationError", "ResponseValidationError", "ValidationIssue", "ValidationResult", "ValidationOptions",
    "StandardSchemaV1", `${service}RequestValidators`, `${service}ResponseValidators`,
  ]);
  for (const name of VALIDATOR_RUNTIME_NAMES) names.add(name);
  const schemas = isObject(root["components"]) && isObject((root["components"] as Json)["schemas"]) ? ((root["components"] as Json)["schemas"] as Json) : {};
  for (const name of Object.keys(schemas)) {
    names.add(`validate${name}`);
    names.add(`${name}Schema`);
  }
  for (const route of Object.keys(isObject(root["paths"]) ? root["paths"] : {})) {
    names.add(`${route.slice(1)}ErrorCode`);
    names.add(`${route.slice(1)}Error`);
  }
  return names;
}

export function resolveRef(root: Json, ref: string): unknown {
  let node: unknown = root;
  for (const segment of ref.slice(2).split("/")) {
    const key = segment.replace(/~1/g, "/").replace(/~0/g, "~");
    if (!isObject(node) || !(key in node)) return undefined;
    node = node[key];
  }
  return node;
}

export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
