/**
 * Part of stage 2, check: the component schemas as a whole: their names, the names of the enums
 * their members give, the enum extensions, the error schema; each schema's keywords are checked by
 * scripts/check/validated-schemas.ts.
 */
import { isObject, joinPointer, resolveRef, type Json } from "../lib/utils.js";
import { identifierProblem } from "../emit/spec-text.js";
import { enumName, enumTarget } from "../model/names.js";
import type { Report } from "../spec/problems.js";
import { checkValidatedSchemas } from "./validated-schemas.js";

export const ERROR_RESPONSE_REF = "#/components/schemas/ErrorResponse";

export function checkSchemas(root: Json, report: Report): void {
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
