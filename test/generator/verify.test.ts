/**
 * `tcgen verify`: each kind of difference between a spec and Tencent's definitions is caught and
 * reported at its file:line:col; declared differences (`x-tc-verify`) are not, and declarations
 * that are stale or malformed are. The base is the import of ecdn 2019-10-12 (vendored), which
 * verify must pass as it is; each test changes one thing in it.
 */
import { readFile, writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { checkSpec } from "../../scripts/check/check-spec.js";
import { CONSTRAINT_KINDS, CONTRACT_KINDS, MERGE_KINDS } from "../../scripts/import/compare.js";
import type { Definitions } from "../../scripts/import/definitions.js";
import { readDefinitions } from "../../scripts/import/read-definitions.js";
import { runImport } from "../../scripts/import/run-import.js";
import { parseSpec } from "../../scripts/spec/load.js";
import { formatProblem } from "../../scripts/spec/problems.js";
import { verifySpec } from "../../scripts/verify/verify.js";
import { positionIn, runCli } from "../support/helpers.js";
import { definitionsDir, edit, scratchDirs } from "../support/import-support.js";

const file = "spec/ecdn/2019-10-12.yaml";
const scratch = scratchDirs();
let base: string;
let definitions: Definitions;
beforeAll(async () => {
  const dir = await scratch("verify-base");
  const outcome = await runImport({ location: { defs: path.join(definitionsDir, "ecdn/v20191012") }, actions: [], merge: false, dryRun: false, cwd: dir });
  base = await readFile(outcome.file, "utf8");
  definitions = await readDefinitions({ defs: definitionsDir, service: "ecdn", version: "2019-10-12" });
});

/** Verify's report for a spec text: `file:line:col: message [kind]` lines, and the declared ones. */
function verify(text: string): { lines: string[]; declared: { line: string; reason: string }[] } {
  const spec = parseSpec(text, file);
  checkSpec(spec, file);
  const result = verifySpec(spec, definitions);
  return { lines: result.problems.map(formatProblem), declared: result.declared.map((d) => ({ line: formatProblem(d.problem), reason: d.reason })) };
}

/** 1-based line of the first `needle` in `text` at or after `from`. */
function lineOf(text: string, needle: string, from = 0): number {
  const index = text.indexOf(needle, from);
  if (index < 0) throw new Error(`"${needle.slice(0, 60)}" is not in the text`);
  return text.slice(0, index).split("\n").length;
}

/** `file:line:col` of the first `needle` in `text`, `offset` columns further on. */
function at(text: string, needle: string, offset = 0): string {
  const { line, col } = positionIn(text, needle);
  return `${file}:${line}:${col + offset}`;
}

const domainFilter = "    DomainFilter:\n      type: object\n      description: 域名查询时过滤条件。\n      additionalProperties: false\n      required: [Name, Value]\n      properties:\n";
const fuzzy = "        Fuzzy:\n          type: boolean\n          description: 是否启用模糊查询，仅支持过滤字段名为origin，domain。\n          examples:\n            - false\n";

describe("tcgen verify: the import of the definitions has no differences", () => {
  it("nothing to report on the unchanged import", () => {
    expect(verify(base)).toEqual({ lines: [], declared: [] });
  });
});

describe("each kind of difference", () => {
  it("an action the spec lacks", () => {
    const start = base.indexOf('  # Pseudo-path: sent as "POST /" with "X-TC-Action: DescribeIpStatus".');
    const text = base.slice(0, start) + base.slice(base.indexOf("\ncomponents:") + 1);
    expect(verify(text).lines).toEqual([`${at(text, "paths:")}: action DescribeIpStatus (deprecated) is in the definitions but not in the spec [missing-action]`]);
  });

  it("an action the definitions do not have", () => {
    const text = base.replaceAll("DescribeIpStatus", "DescribeIpStates");
    expect(verify(text).lines).toEqual([
      `${at(text, "paths:")}: action DescribeIpStatus (deprecated) is in the definitions but not in the spec [missing-action]`,
      `${at(text, "  /DescribeIpStates:", 2)}: action DescribeIpStates is not in the definitions [unknown-action]`,
    ]);
  });

  it("a member the spec lacks", () => {
    const text = edit(base, [fuzzy, ""]);
    // Reported at the schema's `properties`, five lines into DomainFilter.
    expect(verify(text).lines).toEqual([`${file}:${lineOf(text, domainFilter) + 5}:7: DomainFilter: member Fuzzy (boolean, optional) is in the definitions but not in the spec [missing-member]`]);
  });

  it("a member the definitions do not have", () => {
    const text = edit(base, [fuzzy, `${fuzzy}        Exact:\n          type: boolean\n`]);
    expect(verify(text).lines).toEqual([`${at(text, "        Exact:", 8)}: DomainFilter.Exact: not a member in the definitions [unknown-member]`]);
  });

  it("a member of another type", () => {
    const text = edit(base, [fuzzy, fuzzy.replace("type: boolean", "type: string").replace("- false", "- 'false'")]);
    expect(verify(text).lines).toEqual([`${at(text, "        Fuzzy:", 8)}: DomainFilter.Fuzzy: string in the spec, boolean in the definitions [type]`]);
  });

  it("a list where the definitions have one value, or the other way round (nesting)", () => {
    const value = "        Value:\n          type: array\n          description: 过滤字段值。\n          items:\n            type: string\n";
    const text = edit(base, [value, "        Value:\n          type: string\n          description: 过滤字段值。\n"]);
    expect(verify(text).lines).toEqual([`${at(text, "        Value:\n          type: string", 8)}: DomainFilter.Value: string in the spec, array of string in the definitions [type]`]);
  });

  it("a member required in the spec and optional in the definitions", () => {
    const text = edit(base, ["      required: [Name, Value]\n      properties:\n        Name:", "      required: [Name, Value, Fuzzy]\n      properties:\n        Name:"]);
    expect(verify(text).lines).toEqual([`${at(text, "        Fuzzy:", 8)}: DomainFilter.Fuzzy: required in the spec, optional in the definitions [required]`]);
  });

  it("a member the definitions allow to be null, deep inside a list of structures", () => {
    const originType = "        OriginType:\n          type: [string, \"null\"]\n";
    const text = edit(base, [originType, "        OriginType:\n          type: string\n"]);
    expect(verify(text).lines).toEqual([`${at(text, "        OriginType:\n          type: string", 8)}: Origin.OriginType: not nullable in the spec; the definitions allow null (value_allowed_null) [nullable]`]);
  });

  it("an action the definitions mark deprecated and the spec does not", () => {
    const op = '  /DescribeIpStatus:\n    post:\n';
    const start = base.indexOf(op);
    const text = base.slice(0, start) + base.slice(start).replace("      deprecated: true\n", "");
    expect(verify(text).lines).toEqual([`${file}:${lineOf(text, op) + 1}:5: action DescribeIpStatus: not deprecated in the spec, deprecated in the definitions [deprecated]`]);
  });

  it("an error code the spec lacks, and one the definitions do not list for the action", () => {
    const start = base.indexOf("  /DescribeIpStatus:");
    const errors = base.indexOf("      x-tc-errors:\n", start);
    const first = "        - code: InternalError.EcdnConfigError\n          description: 内部配置服务错误，请重试或联系客服人员解决。\n";
    expect(base.slice(errors + "      x-tc-errors:\n".length).startsWith(first)).toBe(true);
    const text = base.slice(0, errors) + base.slice(errors).replace(first, "        - code: FailedOperation.MadeUp\n          description: Not Tencent's.\n");
    expect(verify(text).lines).toEqual([
      `${file}:${lineOf(text, "      x-tc-errors:\n", start)}:7: action DescribeIpStatus: error code InternalError.EcdnConfigError is in the definitions but not in x-tc-errors [missing-error]`,
      `${at(text, "- code: FailedOperation.MadeUp", 2)}: action DescribeIpStatus: error code FailedOperation.MadeUp is not among the action's codes in the definitions [unknown-error]`,
    ]);
  });

  it("a constraint the definitions do not have: a pattern, an enum", () => {
    const text = edit(base, [
      "        Name:\n          type: string\n          description: |-\n            过滤字段名",
      "        Name:\n          type: string\n          pattern: '^[a-zA-Z]+$'\n          description: |-\n            过滤字段名",
    ], [fuzzy, fuzzy.replace("          examples:", "          enum: [true, false]\n          examples:")]);
    expect(verify(text).lines).toEqual([
      `${at(text, "'^[a-zA-Z]+$'")}: DomainFilter.Name: pattern "^[a-zA-Z]+$" in the spec, not in the definitions [pattern]`,
      `${at(text, "[true, false]")}: DomainFilter.Fuzzy: enum [true,false] in the spec, not in the definitions [enum]`,
    ]);
  });
});

describe("declared differences", () => {
  const withPattern = () =>
    edit(base, [
      "        Name:\n          type: string\n          description: |-\n            过滤字段名",
      "        Name:\n          type: string\n          pattern: '^[a-zA-Z]+$'\n          x-tc-verify:\n            ignore: [pattern]\n            reason: The API page lists the field names; all are letters.\n          description: |-\n            过滤字段名",
    ]);

  it("are not reported; --show-declared lists them with their reasons", () => {
    const text = withPattern();
    expect(verify(text)).toEqual({
      lines: [],
      declared: [{ line: `${at(text, "'^[a-zA-Z]+$'")}: DomainFilter.Name: pattern "^[a-zA-Z]+$" in the spec, not in the definitions [pattern]`, reason: "The API page lists the field names; all are letters." }],
    });
  });

  it("a declaration on a schema covers its members; other kinds are still reported", () => {
    const text = edit(
      withPattern().replace("          x-tc-verify:\n            ignore: [pattern]\n            reason: The API page lists the field names; all are letters.\n", ""),
      [domainFilter, domainFilter.replace("      additionalProperties: false\n", "      additionalProperties: false\n      x-tc-verify:\n        ignore: [pattern]\n        reason: Field names and values are letters.\n")],
      ["      required: [Name, Value]\n      properties:\n        Name:", "      required: [Name]\n      properties:\n        Name:"],
    );
    const result = verify(text);
    expect(result.declared.map((d) => d.reason)).toEqual(["Field names and values are letters."]);
    expect(result.lines).toEqual([`${at(text, "        Value:\n          type: array", 8)}: DomainFilter.Value: optional in the spec, required in the definitions [required]`]);
  });

  it("a declaration that covers nothing is stale and reported", () => {
    const text = edit(base, [fuzzy, `${fuzzy}          x-tc-verify:\n            ignore: [enum]\n            reason: Once had an enum.\n`]);
    expect(verify(text).lines).toEqual([`${at(text, "ignore: [enum]", 9)}: x-tc-verify ignores "enum" here, but there is no such difference: remove it [x-tc-verify]`]);
  });

  it("a malformed declaration is reported: unknown kind, no reason", () => {
    const text = edit(withPattern(), ["ignore: [pattern]", "ignore: [patterns]"], [fuzzy, `${fuzzy}          x-tc-verify:\n            ignore: [type]\n`]);
    const lines = verify(text).lines;
    const kinds = [...CONTRACT_KINDS, ...CONSTRAINT_KINDS, ...MERGE_KINDS].join(", ");
    expect(lines).toContain(`${at(text, "ignore: [patterns]", 8)}: x-tc-verify: unknown kind(s) "patterns"; the kinds are ${kinds} [x-tc-verify]`);
    expect(lines).toContain(`${at(text, "'^[a-zA-Z]+$'")}: DomainFilter.Name: pattern "^[a-zA-Z]+$" in the spec, not in the definitions [pattern]`);
    expect(lines).toContain(`${file}:${lineOf(text, fuzzy) + 5}:11: x-tc-verify needs a "reason": why the spec deliberately differs [x-tc-verify]`);
  });
});

describe("the command", () => {
  it("passes on the repository's spec (its differences declared) with exit 0", async () => {
    const result = await runCli(["verify", "--defs", "test/fixtures/definitions"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("tcgen verify: spec/mongodb/2019-07-25: 86 of 86 actions compared with test/fixtures/definitions/mongodb/v20190725; 0 difference(s), 32 declared");
  });

  it("exits 1 with each difference as file:line:col, and names missing definitions", async () => {
    const dir = await scratch("verify-cli");
    await mkdir(path.join(dir, "spec/ecdn"), { recursive: true });
    const text = edit(base, [fuzzy, ""]);
    await writeFile(path.join(dir, file), text);
    const result = await runCli(["verify", "--defs", definitionsDir], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(": DomainFilter: member Fuzzy (boolean, optional) is in the definitions but not in the spec [missing-member]");
    expect(result.stderr).toContain("tcgen verify: 1 difference(s) from the definitions (0 declared in the spec)");

    const missing = await runCli(["verify", "--defs", path.join(dir, "nowhere")], dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`${path.join(dir, "nowhere", "ecdn", "v20191012", "api.json")}: (document): not found: no definitions of ecdn 2019-10-12`);
    expect((await runCli(["verify"], dir)).code).toBe(2);
  });
});
