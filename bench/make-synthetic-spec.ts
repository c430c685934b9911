/**
 * Writes a synthetic spec of N actions that follows every convention scripts/check/check-spec.ts enforces
 * (file name = x-tc-version, directory = x-tc-service, one `post` per pseudo-path, operationId =
 * x-tc-action, x-tc-rate-limit, requestBody `$ref` to `<Action>Request`, a 200 envelope
 * `anyOf [<Action>Response, ErrorResponse]`, x-tc-errors, paired named examples, enums with
 * x-enum-varnames / x-enum-descriptions). Each action has a request and a response schema with a
 * few properties, an item schema with an enum, two documented error codes and one example, so the
 * work per action is the same whatever N.
 *
 *   tsx bench/make-synthetic-spec.ts <N> [outRoot]    # writes <outRoot>/synth<N>/2020-01-01.yaml
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";

export const SYNTHETIC_VERSION = "2020-01-01";
const COMMON_ERRORS = [
  ["AuthFailure.SignatureFailure", "Invalid signature."],
  ["InternalError", "Internal error."],
  ["InvalidParameter", "Incorrect parameter."],
  ["LimitExceeded", "The quota limit is exceeded."],
  ["RequestLimitExceeded", "The number of requests exceeds the frequency limit."],
  ["ResourceNotFound", "The resource does not exist."],
  ["UnauthorizedOperation", "Unauthorized operation."],
  ["UnsupportedOperation", "Unsupported operation."],
] as const;

export function syntheticServiceName(actions: number): string {
  return `synth${actions}`;
}

/** The spec as a plain object. */
export function makeSyntheticSpec(actions: number): Record<string, unknown> {
  const service = syntheticServiceName(actions);
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  const width = String(actions).length;
  for (let i = 1; i <= actions; i++) {
    const action = `DescribeWidget${String(i).padStart(width, "0")}`;
    const example = { InstanceId: `ins-${String(i).padStart(8, "0")}`, Limit: 10, Mode: "FULL" };
    paths[`/${action}`] = {
      post: {
        operationId: action,
        "x-tc-action": action,
        "x-tc-rate-limit": 20,
        tags: ["Widgets"],
        summary: `Describe widgets, variant ${i}`,
        description: `Lists the widgets of an instance (synthetic action ${i} of ${actions}).`,
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: { $ref: `#/components/schemas/${action}Request` },
              examples: { Basic: { summary: "List the widgets of one instance", value: example } },
            },
          },
        },
        responses: {
          "200": {
            description: "The API envelope.",
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  required: ["Response"],
                  properties: {
                    Response: {
                      anyOf: [{ $ref: `#/components/schemas/${action}Response` }, { $ref: "#/components/schemas/ErrorResponse" }],
                    },
                  },
                },
                examples: {
                  Basic: {
                    summary: "List the widgets of one instance",
                    value: {
                      Response: {
                        TotalCount: 1,
                        Items: [{ WidgetId: `wdg-${i}`, State: 1, Tags: ["a"] }],
                        RequestId: "6ed8d110-67be-4650-83b0-5df5a897e9e6",
                      },
                    },
                  },
                },
              },
            },
          },
        },
        "x-tc-errors": [
          { code: "InvalidParameterValue.NotFoundInstance", description: "The instance was not found." },
          { code: `FailedOperation.Widget${i}Busy`, description: `Widget operation ${i} is busy.` },
        ],
      },
    };
    schemas[`${action}Request`] = {
      type: "object",
      description: `Parameters of ${action}.`,
      additionalProperties: false,
      required: ["InstanceId"],
      properties: {
        InstanceId: { type: "string", description: "Instance ID.", pattern: "^ins-[0-9]{8}$", examples: ["ins-00000001"] },
        Limit: { type: "integer", description: "Number of results, 1 to 100.", minimum: 1, maximum: 100 },
        Mode: {
          type: "string",
          description: "Listing mode.",
          enum: ["FULL", "BRIEF"],
          "x-enum-varnames": ["Full", "Brief"],
          "x-enum-descriptions": ["Every field.", "Identifiers only."],
        },
      },
    };
    schemas[`${action}Response`] = {
      type: "object",
      description: `The \`Response\` object of a successful ${action} call.`,
      required: ["TotalCount", "Items", "RequestId"],
      properties: {
        TotalCount: { type: "integer", description: "Number of widgets." },
        Items: { type: "array", description: "The widgets.", items: { $ref: `#/components/schemas/${action}Item` } },
        RequestId: { type: "string", description: "The unique request ID." },
      },
    };
    schemas[`${action}Item`] = {
      type: "object",
      description: "One widget.",
      required: ["WidgetId", "State"],
      properties: {
        WidgetId: { type: "string", description: "Widget ID." },
        State: {
          type: "integer",
          description: "Widget state.",
          enum: [0, 1, 2],
          "x-enum-varnames": ["Pending", "Running", "Stopped"],
          "x-enum-descriptions": ["Being created.", "Running.", "Stopped."],
        },
        Tags: { type: "array", description: "Tags.", items: { type: "string" } },
      },
    };
  }
  schemas["ErrorResponse"] = {
    type: "object",
    description: "The `Response` object of a failed call.",
    required: ["Error", "RequestId"],
    properties: {
      Error: { description: "What went wrong.", $ref: "#/components/schemas/ErrorDetail" },
      RequestId: { type: "string", description: "The unique request ID." },
    },
  };
  schemas["ErrorDetail"] = {
    type: "object",
    description: "The error of a failed call.",
    required: ["Code", "Message"],
    properties: {
      Code: { type: "string", description: "Error code." },
      Message: { type: "string", description: "Human-readable error message." },
    },
  };
  return {
    openapi: "3.1.0",
    info: { title: `Synthetic API with ${actions} actions`, version: SYNTHETIC_VERSION, description: "Generated by bench/make-synthetic-spec.ts." },
    servers: [{ url: `https://${service}.tencentcloudapi.com` }],
    "x-tc-service": service,
    "x-tc-version": SYNTHETIC_VERSION,
    security: [{ TC3: [] }],
    tags: [{ name: "Widgets", description: "Synthetic widgets." }],
    "x-tc-common-errors": COMMON_ERRORS.map(([code, description]) => ({ code, description })),
    paths,
    components: {
      securitySchemes: { TC3: { type: "apiKey", in: "header", name: "Authorization", description: "TC3-HMAC-SHA256 signature." } },
      schemas,
    },
  };
}

/** Writes `<outRoot>/synth<N>/<version>.yaml` and returns its path. */
export async function writeSyntheticSpec(actions: number, outRoot: string): Promise<string> {
  if (!Number.isInteger(actions) || actions < 1 || actions > 100_000) throw new RangeError("actions must be an integer in [1, 100000]");
  const dir = path.join(outRoot, syntheticServiceName(actions));
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${SYNTHETIC_VERSION}.yaml`);
  const header = `# Synthetic spec of ${actions} actions, written by bench/make-synthetic-spec.ts. Not a real service.\n`;
  // No shared objects, so no aliases: aliasDuplicateObjects off only spares yaml a search that grows quadratically.
  await writeFile(file, header + stringify(makeSyntheticSpec(actions), { lineWidth: 0, aliasDuplicateObjects: false }));
  return file;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const actions = Number(process.argv[2]);
  const outRoot = process.argv[3] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), ".out", "specs");
  writeSyntheticSpec(actions, outRoot).then(
    (file) => console.log(file),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(2);
    },
  );
}
