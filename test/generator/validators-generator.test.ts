/**
 * What the generator refuses to emit validators for, each reported as file:line:col at the offending
 * node: a keyword it does not implement (never silently ignored), malformed keyword values, a broken
 * `x-tc-field-patterns` rule, a schema that applies to itself forever, member names every object
 * already has, and generated names that would collide.
 */
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { positionIn, repoRoot, scratchDir, specProblems } from "../support/helpers.js";

const fixture = readFile(path.join(repoRoot, "test/fixtures/specs/cvm/2017-03-12.yaml"), "utf8");
const file = "spec/cvm/2017-03-12.yaml";
const created: string[] = [];
afterAll(async () => {
  for (const dir of created) await rm(dir, { recursive: true, force: true });
});

/** Generates the cvm fixture with `edit` applied; returns the problems as `file:line:col: message` lines. */
async function problemsOf(edit: (text: string) => string): Promise<{ text: string; lines: string[] }> {
  const dir = await scratchDir("validators-spec");
  created.push(dir);
  const text = edit(await fixture);
  expect(text).not.toBe(await fixture);
  return { text, lines: await specProblems(file, text, dir) };
}

/** `file:line:col` of `needle`, or of the part of it after `value` (a scalar is reported where its value is). */
function at(text: string, needle: string, value?: string): string {
  const { line, col } = positionIn(text, needle);
  return `${file}:${line}:${col + (value === undefined ? 0 : needle.indexOf(value))}`;
}

const LIMIT = `        Limit:
          type: integer
          minimum: 1
          maximum: 100
`;

describe("keywords the validators do not implement are errors, never ignored", () => {
  it.each([
    ["uniqueItems", "uniqueItems: true"],
    ["multipleOf", "multipleOf: 5"],
    ["not", "not: { const: 3 }"],
    ["patternProperties", "patternProperties: { '^x': { type: string } }"],
  ])("%s", async (keyword, yaml) => {
    const { text, lines } = await problemsOf((t) => t.replace(LIMIT, `${LIMIT}          ${yaml}\n`));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^${at(text, yaml, yaml.slice(yaml.indexOf(": ") + 2))}: keyword "${keyword}" is not implemented by tcgen's validators`));
  });

  it("an OpenAPI 3.0 boolean exclusiveMinimum, a pattern that is not a regular expression, nullable without type", async () => {
    const { text, lines } = await problemsOf((t) =>
      t
        .replace("          minimum: 1\n          maximum: 100\n", "          minimum: 1\n          exclusiveMinimum: true\n")
        .replace("        Name:\n          type: string\n", "        Name:\n          type: string\n          pattern: '(['\n")
        .replace("        Code:\n          type: string\n", "        Code:\n          nullable: true\n"),
    );
    expect(lines).toEqual([
      `${at(text, "exclusiveMinimum: true", "true")}: "exclusiveMinimum" must be a number (the boolean form is OpenAPI 3.0; 3.1 writes the bound itself)`,
      expect.stringMatching(new RegExp(`^${at(text, "'(['")}: "pattern" is not a valid regular expression`)),
      `${at(text, "nullable: true", "true")}: "nullable" needs a "type" next to it`,
    ]);
  });

  it("a $ref into a schema rather than to one", async () => {
    const { text, lines } = await problemsOf((t) => t.replace("$ref: '#/components/schemas/Filter'", "$ref: '#/components/schemas/Filter/properties/Name'"));
    expect(lines).toEqual([`${at(text, "'#/components/schemas/Filter/properties/Name'")}: validators follow "$ref"s to "#/components/schemas/<Name>" only, got "#/components/schemas/Filter/properties/Name"`]);
  });

  it("a member named like something every object has", async () => {
    const { text, lines } = await problemsOf((t) => t.replace("        Name:\n          type: string\n", "        constructor:\n          type: string\n").replace("required: [Name, Values]", "required: [constructor, Values]"));
    expect(lines.join("\n")).toContain(`${at(text, "constructor:")}: member name "constructor" is also a member of every JavaScript object`);
  });

  it("a schema that applies to itself without entering a member or an item", async () => {
    const { text, lines } = await problemsOf((t) =>
      t.replace("    Filter:\n      type: object\n", "    Loop:\n      anyOf:\n        - $ref: '#/components/schemas/Again'\n    Again:\n      allOf:\n        - $ref: '#/components/schemas/Loop'\n    Filter:\n      type: object\n"),
    );
    expect(lines).toEqual([
      `${at(text, "    Loop:").replace(/:1$/, ":5")}: schema Loop applies to itself without entering a member or item (Loop → Again → Loop); it can never be checked`,
      `${at(text, "    Again:").replace(/:1$/, ":5")}: schema Again applies to itself without entering a member or item (Again → Loop → Again); it can never be checked`,
    ]);
  });

  it("a schema named like a generated Standard Schema object, or like a name the validators import from the runtime, is renamed, not refused", async () => {
    // "FilterSchema" would be both the schema's type and the Standard Schema object of Filter;
    // "ValidationReport" an import from the runtime. Both generate as <Name>Structure (test/generator/schema-renames.test.ts).
    const { lines } = await problemsOf((t) => t.replace("    StartInstancesResponse:\n", "    FilterSchema:\n      type: string\n    ValidationReport:\n      type: string\n    StartInstancesResponse:\n"));
    expect(lines).toEqual([]);
  });
});

describe("x-tc-field-patterns is checked against the schema it is on", () => {
  const rule = (entry: string) => (t: string) =>
    t.replace("    DescribeInstancesRequest:\n      type: object\n", `    DescribeInstancesRequest:\n      type: object\n      x-tc-field-patterns:\n${entry}`);

  it("a well-formed rule generates", async () => {
    const { lines } = await problemsOf(rule("        - field: /Filters/*/Values/*\n          pattern: '^{/Limit}-'\n          message: starts with the limit\n"));
    expect(lines).toEqual([]);
  });

  it("a field that is not declared, or not a string", async () => {
    const { text, lines } = await problemsOf(rule("        - field: /Filters/*/Nope\n          pattern: '^x'\n          message: m\n        - field: /Offset\n          pattern: '^x'\n          message: m\n"));
    expect(lines).toEqual([
      `${at(text, "/Filters/*/Nope")}: field "/Filters/*/Nope" must be a pointer ("/Member/*/Child") to a member declared by the schema`,
      `${at(text, "/Offset")}: field "/Offset" must be a string member: patterns apply to strings`,
    ]);
  });

  it("a reference to a member that is not a string or integer, and a broken pattern", async () => {
    const { text, lines } = await problemsOf(rule("        - field: /Filters/*/Name\n          pattern: '^{/Filters}(['\n          message: m\n"));
    expect(lines).toEqual([
      `${at(text, "'^{/Filters}(['")}: {/Filters} must name a string or integer member of the same object`,
      expect.stringMatching(new RegExp(`^${at(text, "'^{/Filters}(['")}: pattern is not a valid regular expression`)),
    ]);
  });

  it("a rule that is not a list of { field, pattern, message }", async () => {
    const { text, lines } = await problemsOf(rule("        - field: /Filters/*/Name\n          pattern: '^x'\n"));
    expect(lines).toEqual([`${at(text, "- field: /Filters/*/Name").replace(/:(\d+)$/, (_m, c) => `:${Number(c) + 2}`)}: each "x-tc-field-patterns" entry needs a string "field", "pattern" and "message"`]);
  });
});
