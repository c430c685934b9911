/**
 * Part of stage 2, check: the actions: one pseudo-path `/<Action>` each, with one `post` operation
 * whose request, envelope, errors and examples have the shape the runtime and the templates rely on.
 */
import { isObject, joinPointer, resolveRef, type Json } from "../lib/utils.js";
import { identifierProblem } from "../emit/spec-text.js";
import { actionMethodName } from "../model/names.js";
import type { Report } from "../spec/problems.js";
import { checkErrorList } from "./error-lists.js";
import { ERROR_RESPONSE_REF } from "./schemas.js";

const ACTION = /^[A-Z][A-Za-z0-9]*$/;
const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

export function checkPaths(root: Json, report: Report): void {
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
    // A path item or operation of the wrong kind is reported by check/structure.ts.
    if (!isObject(item)) continue;
    for (const key of Object.keys(item)) {
      if (HTTP_METHODS.includes(key) && key !== "post") {
        report(`${at}${joinPointer(key)}`, `only "post" is allowed: every action goes out as POST / (GET mode is a client option)`);
      }
      if (key === "parameters") report(`${at}/parameters`, "actions take their parameters in the JSON body, not as path parameters");
    }
    const op = item["post"];
    if (!isObject(op)) {
      if (op === undefined) report(at, `path "${route}" must hold a "post" operation`);
      continue;
    }
    checkOperation(root, op, action, `${at}/post`, report);
    const method = actionMethodName(action);
    const problem = identifierProblem(method, "method");
    if (problem !== undefined) report(at, `action ${action} gives the client method ${method}, which ${problem}`);
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
  // Written by `tcgen import` for actions Tencent no longer serves (scripts/import/review.ts).
  if (op["x-tc-status"] !== undefined && op["x-tc-status"] !== "offline") {
    report(`${at}/x-tc-status`, `"x-tc-status" can only be "offline" (deprecated actions use "deprecated: true"), got ${JSON.stringify(op["x-tc-status"])}`);
  }
  if (typeof op["summary"] !== "string" || op["summary"].trim() === "") report(op["summary"] === undefined ? at : `${at}/summary`, `operation ${action} needs a "summary"`);
  if (op["parameters"] !== undefined) report(`${at}/parameters`, "actions take their parameters in the JSON body, not as parameters");
  checkErrorList(op["x-tc-errors"], `${at}/x-tc-errors`, report);

  const body = op["requestBody"];
  const requestMedia = isObject(body) && isObject(body["content"]) ? (body["content"] as Json)["application/json"] : undefined;
  const requestRef = isObject(requestMedia) && isObject(requestMedia["schema"]) ? (requestMedia["schema"] as Json)["$ref"] : undefined;
  if (typeof requestRef !== "string" || !requestRef.startsWith("#/components/schemas/")) {
    report(isObject(body) ? `${at}/requestBody` : at, `requestBody must be application/json with schema { $ref: "#/components/schemas/${action}Request" }`);
  } else if (isObject(body) && body["required"] !== true) {
    report(`${at}/requestBody${body["required"] === undefined ? "" : "/required"}`, "requestBody must be required: true (every action sends a JSON object, even {})");
  }
  const requestSchema = typeof requestRef === "string" ? resolveRef(root, requestRef) : undefined;
  if (isObject(requestSchema) && requestSchema["type"] !== "object") {
    const schemaAt = (requestRef as string).slice(1);
    report(requestSchema["type"] === undefined ? schemaAt : `${schemaAt}/type`, `the request schema ${requestRef} must be type: object (${action} sends it as its JSON body)`);
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
    if (!isObject(props) || !Object.hasOwn(props, "RequestId")) {
      // Where the success schema lists its members (or is), not where the response names it.
      const schemaAt = (refs[0] as string).slice(1);
      report(isObject(props) ? `${schemaAt}/properties` : schemaAt, `the success schema ${refs[0]} must have a "RequestId" property`);
    }
  }

  const requestExamples = isObject(requestMedia) ? requestMedia["examples"] : undefined;
  const responseExamples = isObject(media) ? media["examples"] : undefined;
  for (const [examples, where] of [[requestExamples, `${at}/requestBody/content/application~1json/examples`], [responseExamples, `${responsesAt}/content/application~1json/examples`]] as const) {
    if (examples === undefined) continue;
    if (!isObject(examples)) { report(where, "examples must be a map of named examples"); continue; }
    for (const [name, example] of Object.entries(examples)) {
      if (!isObject(example) || !Object.hasOwn(example, "value")) report(`${where}${joinPointer(name)}`, `example "${name}" needs a "value"`);
    }
  }
  if (isObject(requestExamples) && isObject(responseExamples)) {
    for (const name of Object.keys(requestExamples)) {
      if (!Object.hasOwn(responseExamples, name)) report(`${at}/requestBody/content/application~1json/examples${joinPointer(name)}`, `request example "${name}" has no response example of the same name`);
    }
  }
}
