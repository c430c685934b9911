/**
 * Part of stage 2, check: the document's top level: the OpenAPI version, the service and API
 * version (and the file's place, spec/<service>/<version>.yaml), the servers, the common errors.
 */
import path from "node:path";
import { parseEndpoint } from "../lib/runtime.js";
import { isObject, joinPointer, own, type Json } from "../lib/utils.js";
import type { Report } from "../spec/problems.js";
import { checkErrorList } from "./error-lists.js";

const SERVICE = /^[a-z][a-z0-9]*$/;
const VERSION = /^\d{4}-\d{2}-\d{2}$/;

export function checkTopLevel(root: Json, filePath: string, report: Report): void {
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
    const variable = own(variables, name);
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
