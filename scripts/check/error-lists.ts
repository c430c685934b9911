/**
 * Part of stage 2, check: a list of error codes and their descriptions (`x-tc-common-errors`, an
 * operation's `x-tc-errors`).
 */
import { isObject, joinPointer } from "../lib/utils.js";
import type { Report } from "../spec/problems.js";

// A trailing "." is allowed: Tencent's own cpdp 2019-08-20 lists "InternalError." and
// "MissingParameter." (the codes only ever reach generated code as escaped string literals).
const ERROR_CODE = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9_]+)*\.?$/;

export function checkErrorList(list: unknown, pointer: string, report: Report): void {
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
