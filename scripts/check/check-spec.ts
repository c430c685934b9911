/**
 * Stage 2, check: everything later stages rely on, verified up front and reported all at once with
 * the position of the offending node. Later stages may then assume a well-formed spec.
 */
import path from "node:path";
import { isObject, joinPointer, resolveRef, type Json } from "../lib/utils.js";
import type { LoadedSpec } from "../spec/load.js";
import { parseEndpoint } from "../../runtime/endpoints.js";
import { checkValidatedSchemas } from "./validated-schemas.js";
import { checkStructure } from "./structure.js";
import { checkPaging } from "./paging.js";
import { checkInt64 } from "./int64.js";
import { actionMethodName, enumName, enumTarget } from "../model/names.js";
import { SpecError, type SpecProblem } from "../spec/problems.js";
import { identifierProblem } from "../emit/spec-text.js";

const ACTION = /^[A-Z][A-Za-z0-9]*$/;
const SERVICE = /^[a-z][a-z0-9]*$/;
const VERSION = /^\d{4}-\d{2}-\d{2}$/;
const ERROR_CODE = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9_]+)*$/;
const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
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

  checkStructure(root, report);
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
    servers.forEach((server, i) => checkServer(server, joinPointer("servers", i), i === 0, report));
  }
  checkErrorList(root["x-tc-common-errors"], "/x-tc-common-errors", report);
}

/**
 * A server is an http(s) origin the runtime accepts as an endpoint (`parseEndpoint`), with each
 * `{variable}` replaced by its default; the first, the default endpoint, has no variables.
 */
function checkServer(server: unknown, at: string, first: boolean, report: Report): void {
  if (!isObject(server)) return report(at, `a server must be a mapping { url, variables }`);
  for (const key of Object.keys(server)) {
    if (!["url", "description", "variables"].includes(key) && !key.startsWith("x-")) report(`${at}${joinPointer(key)}`, `"${key}" is not a member of a server; expected url, description, variables`);
  }
  const url = server["url"];
  const variables = isObject(server["variables"]) ? server["variables"] : {};
  if (server["variables"] !== undefined && !isObject(server["variables"])) report(`${at}/variables`, `"variables" must map names to { default }`);
  if (typeof url !== "string") return report(`${at}/url`, `server url must be an absolute http(s) origin, got ${JSON.stringify(url)}`);
  const used = new Set<string>();
  const problems: string[] = [];
  const resolved = url.replace(/\{([^{}]*)\}/g, (_, name: string) => {
    used.add(name);
    const variable = Object.hasOwn(variables, name) ? variables[name] : undefined;
    if (!isObject(variable) || typeof variable["default"] !== "string") {
      problems.push(`server variable {${name}} needs a "variables.${name}.default"`);
      return "x";
    }
    return variable["default"];
  });
  if (first && used.size > 0) problems.push("the first server is the default endpoint and must not use variables");
  let origin: URL | undefined;
  try {
    origin = parseEndpoint(resolved);
  } catch (error) {
    problems.push(`server url must be an absolute http(s) origin the client accepts: ${(error as Error).message}`);
  }
  if (origin !== undefined && (origin.pathname !== "/" || /[?#]$/.test(resolved) || !/^https?:\/\/[^/?#]+\/?$/i.test(resolved))) {
    problems.push(`server url must be an origin such as https://cvm.tencentcloudapi.com (every action is POST /), got ${JSON.stringify(url)}`);
  }
  for (const message of problems) report(`${at}/url`, message);
  for (const [name, variable] of Object.entries(variables)) {
    const here = `${at}${joinPointer("variables", name)}`;
    if (!used.has(name)) report(here, `server variable "${name}" is not used by the url`);
    else if (isObject(variable)) {
      for (const key of Object.keys(variable)) {
        if (!["default", "enum", "description"].includes(key) && !key.startsWith("x-")) report(`${here}${joinPointer(key)}`, `"${key}" is not a member of a server variable; expected default, enum, description`);
      }
      const values = variable["enum"];
      if (values !== undefined && (!Array.isArray(values) || values.length === 0 || !values.every((v) => typeof v === "string"))) report(`${here}/enum`, `"enum" must be a non-empty list of strings`);
      else if (Array.isArray(values) && !(values as unknown[]).includes(variable["default"])) report(`${here}/default`, `the default must be one of the variable's "enum" values`);
      if (variable["description"] !== undefined && typeof variable["description"] !== "string") report(`${here}/description`, `"description" must be a string`);
    }
  }
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
    if (!isObject(entry)) return report(at, `each error must be a mapping { code, description }`);
    for (const key of Object.keys(entry)) {
      if (key !== "code" && key !== "description" && !key.startsWith("x-")) report(`${at}${joinPointer(key)}`, `"${key}" is not a member of an error; expected code, description`);
    }
    if (typeof entry["code"] !== "string" || !ERROR_CODE.test(entry["code"])) {
      report(entry["code"] === undefined ? at : `${at}/code`, `each error needs a "code" like InvalidParameterValue.NotFoundInstance, got ${JSON.stringify(entry["code"])}`);
      return;
    }
    if (typeof entry["description"] !== "string" || entry["description"].trim() === "") {
      report(entry["description"] === undefined ? at : `${at}/description`, `error ${entry["code"]} needs a "description"`);
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
  for (const [name, schema] of Object.entries(schemas)) {
    const at = joinPointer("components", "schemas", name);
    const problem = identifierProblem(name, "type");
    if (problem !== undefined) report(at, `schema name "${name}" ${problem}; it names a type of the generated code`);
    checkEnumNames(name, schema, at, report);
  }
  walkSchemas(root, report);
  checkValidatedSchemas(root, report);
  const errorResponse = resolveRef(root, ERROR_RESPONSE_REF);
  const errorProps = isObject(errorResponse) ? errorResponse["properties"] : undefined;
  if (!isObject(errorProps) || !Object.hasOwn(errorProps, "Error") || !Object.hasOwn(errorProps, "RequestId")) {
    const at = errorResponse === undefined ? "/components/schemas" : isObject(errorResponse) && isObject(errorResponse["properties"]) ? "/components/schemas/ErrorResponse/properties" : "/components/schemas/ErrorResponse";
    report(at, `"components.schemas.ErrorResponse" must describe { Error: { Code, Message }, RequestId }`);
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
        list.forEach((n: unknown, i) => {
          const problem = typeof n === "string" ? identifierProblem(n, "property") : "is not a string";
          if (problem !== undefined) report(`${pointer}/${ext}/${i}`, `enum name ${JSON.stringify(n)} ${problem}`);
          else if (list.indexOf(n) !== i) report(`${pointer}/${ext}/${i}`, `enum name ${JSON.stringify(n)} is already used for value ${JSON.stringify(values[list.indexOf(n)])}; enum names must be unique`);
        });
      } else {
        list.forEach((d: unknown, i) => typeof d === "string" || report(`${pointer}/${ext}/${i}`, `an enum description must be a string`));
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
    // A path item or operation of the wrong kind is reported by check-structure.ts.
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

/**
 * Each enum of a member becomes a module constant named by `enumName`: the member's name must
 * give it one.
 */
function checkEnumNames(schemaName: string, schema: unknown, at: string, report: Report): void {
  const properties = isObject(schema) && isObject(schema["properties"]) ? schema["properties"] : {};
  for (const [property, member] of Object.entries(properties)) {
    if (enumTarget(member) === undefined || enumName(schemaName, property) !== undefined) continue;
    report(`${at}${joinPointer("properties", property)}`, `member "${property}" has x-enum-varnames but no letter or digit to name the generated enum after (${schemaName}<Member>); rename it`);
  }
}
