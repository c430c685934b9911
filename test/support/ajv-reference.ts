/**
 * The reference the generated validators are compared with: Ajv, compiled from the same spec for the
 * same dialect (OpenAPI 3.1 = JSON Schema 2020-12), all errors, formats as annotations. Shared by the
 * differential test and bench/validators.ts.
 *
 * `x-tc-field-patterns` is implemented here a second time, independently of the generated code,
 * as an Ajv keyword; so is the rule that an integer beyond ±(2^53 − 1) in a member not marked
 * `x-tc-int64` is an issue of its own (keyword `x-tc-int64`, spec/README.md). The "open" flavour (what answers are checked with) is the same spec with every
 * `additionalProperties: false` deleted.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { _, Ajv2020, type ErrorObject, type KeywordDefinition, type Options, type ValidateFunction } from "ajv/dist/2020.js";
import { parse } from "yaml";

type Json = Record<string, unknown>;

export interface ReferenceIssue {
  readonly path: string;
  readonly keyword: string;
}

/** A spec file, or a multi-file spec directory (its openapi.yaml with the paths and components of every part merged in). */
export function loadSpec(file: string): Json {
  if (!statSync(file).isDirectory()) return parse(readFileSync(file, "utf8")) as Json;
  const spec = parse(readFileSync(path.join(file, "openapi.yaml"), "utf8")) as Json;
  const components = ((spec["components"] ??= {}) as Record<string, Json>);
  const paths = ((spec["paths"] ??= {}) as Json);
  for (const name of readdirSync(file).filter((n) => n.endsWith(".yaml") && n !== "openapi.yaml").sort()) {
    const part = parse(readFileSync(path.join(file, name), "utf8")) as { paths?: Json; components?: Record<string, Json> };
    Object.assign(paths, part.paths ?? {});
    for (const [kind, entries] of Object.entries(part.components ?? {})) components[kind] = { ...(components[kind] ?? {}), ...entries };
  }
  return spec;
}

export function schemaNames(spec: Json): string[] {
  return Object.keys(((spec["components"] as Json)["schemas"] as Json) ?? {});
}

/** The spec with every `additionalProperties: false` removed: what a forward-compatible reader accepts. */
export function openSpec(spec: Json): Json {
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (typeof node !== "object" || node === null) return node;
    const copy: Json = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === "additionalProperties" && value === false) continue;
      copy[key] = key === "examples" || key === "enum" || key === "const" ? value : strip(value);
    }
    return copy;
  };
  return strip(spec) as Json;
}

/** Annotations and extensions Ajv's strict mode must accept without asserting anything. */
const ANNOTATION_KEYWORDS = ["components", "example", "discriminator", "externalDocs", "xml", "x-enum-varnames", "x-enum-descriptions"];

export const AJV_OPTIONS: Options = {
  allErrors: true,
  strict: true,
  // Types are checked by the comparison itself; Ajv's hints about type-less keywords are noise here.
  strictTypes: false,
  // JSON Schema 2020-12: `format` is an annotation unless a format-assertion vocabulary is in use.
  validateFormats: false,
};

/**
 * An Ajv instance holding the spec's components under `tcgen:spec`, with the extension keyword or
 * (for standalone code, which cannot hold a function keyword) with it as an annotation.
 */
export function createAjv(spec: Json, options: { fieldPatterns: boolean; code?: Options["code"]; allErrors?: boolean }): Ajv2020 {
  const ajv = new Ajv2020({ ...AJV_OPTIONS, allErrors: options.allErrors ?? true, ...(options.code ? { code: options.code } : {}) });
  // Every other `x-*` extension is an annotation too (spec/README.md): x-tc-verify, x-tc-review, ...
  const modelled = new Set([...ANNOTATION_KEYWORDS, "x-tc-field-patterns", "x-tc-int64"]);
  ajv.addVocabulary([...ANNOTATION_KEYWORDS, ...[...extensionKeys(spec["components"])].filter((k) => !modelled.has(k))]);
  if (options.fieldPatterns) ajv.addKeyword(fieldPatternsKeyword());
  else ajv.addKeyword("x-tc-field-patterns");
  ajv.addKeyword(SAFE_INTEGER_KEYWORD);
  ajv.addSchema({ $id: "tcgen:spec", components: withSafeIntegers(spec["components"]) }, "tcgen:spec");
  return ajv;
}

/** The `x-*` keys used anywhere in a value. */
function extensionKeys(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) extensionKeys(item, found);
  else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (key.startsWith("x-")) found.add(key);
      extensionKeys(item, found);
    }
  }
  return found;
}

/**
 * `x-tc-int64: false` added to every integer schema: an integer number there must be a safe one.
 * Written as code, so that it also works in Ajv's standalone output (bench/validators.ts).
 */
const SAFE_INTEGER_KEYWORD: KeywordDefinition = {
  keyword: "x-tc-int64",
  schemaType: "boolean",
  code(cxt) {
    if (cxt.schema === true) throw new Error("the reference does not model x-tc-int64 members");
    cxt.fail(_`typeof ${cxt.data} == "number" && Number.isInteger(${cxt.data}) && !Number.isSafeInteger(${cxt.data})`);
  },
};

function withSafeIntegers(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withSafeIntegers);
  if (typeof node !== "object" || node === null) return node;
  const copy: Json = {};
  for (const [key, value] of Object.entries(node)) copy[key] = key === "examples" || key === "enum" || key === "const" ? value : withSafeIntegers(value);
  const type = copy["type"];
  if ((type === "integer" || (Array.isArray(type) && type.includes("integer"))) && !("x-tc-int64" in copy)) copy["x-tc-int64"] = false;
  return copy;
}

export function compileSchema(ajv: Ajv2020, name: string): ValidateFunction {
  return ajv.compile({ $ref: `tcgen:spec#/components/schemas/${name}` });
}

/** Ajv's errors as tcgen reports them: a missing or unknown member at the member's own pointer. */
export function referenceIssues(errors: readonly ErrorObject[] | null | undefined): ReferenceIssue[] {
  return (errors ?? []).map((error) => {
    if (error.keyword === "required") return { path: `${error.instancePath}/${escape(String(error.params["missingProperty"]))}`, keyword: "required" };
    if (error.keyword === "additionalProperties") {
      return { path: `${error.instancePath}/${escape(String(error.params["additionalProperty"]))}`, keyword: "additionalProperties" };
    }
    return { path: error.instancePath, keyword: error.keyword };
  });
}

function escape(segment: string): string {
  return segment.split("~").join("~0").split("/").join("~1");
}

// ---------------------------------------------------------------------------------------------
// x-tc-field-patterns as an Ajv keyword, written from spec/README.md, not from the generator.

interface Rule {
  field: string;
  pattern: string;
  message: string;
}

type RuleCheck = (data: Json, instancePath: string, errors: Partial<ErrorObject>[]) => void;

function fieldPatternsKeyword(): KeywordDefinition {
  return {
    keyword: "x-tc-field-patterns",
    type: "object",
    schemaType: "array",
    errors: true,
    compile(rules: Rule[]) {
      const checks = rules.map(compileRule);
      return function validate(data: Json, context?: { instancePath: string }) {
        const errors: Partial<ErrorObject>[] = [];
        for (const check of checks) check(data, context?.instancePath ?? "", errors);
        (validate as unknown as { errors: unknown }).errors = errors;
        return errors.length === 0;
      };
    },
  };
}

/** One rule, parsed once: the pattern's literal parts and member names, the field's segments. */
function compileRule(rule: Rule): RuleCheck {
  const parts = rule.pattern.split(/\{\/([^{}]*)\}/); // odd indexes are member names
  const segments = rule.field.split("/").slice(1);
  return (data, instancePath, errors) => {
    let source = "";
    for (let i = 0; i < parts.length; i++) {
      if (i % 2 === 0) {
        source += parts[i];
        continue;
      }
      let member = data[parts[i]!];
      if (typeof member === "number") member = String(member);
      if (typeof member !== "string") return;
      source += member.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
    }
    const regex = new RegExp(source, "u");
    const visit = (value: unknown, index: number, pointer: string): void => {
      if (index === segments.length) {
        if (typeof value === "string" && !regex.test(value)) {
          errors.push({ instancePath: instancePath + pointer, keyword: "x-tc-field-patterns", message: rule.message, params: {} });
        }
        return;
      }
      const segment = segments[index]!;
      if (segment === "*") {
        if (Array.isArray(value)) for (let i = 0; i < value.length; i++) visit(value[i], index + 1, `${pointer}/${i}`);
      } else if (typeof value === "object" && value !== null && !Array.isArray(value) && (value as Json)[segment] !== undefined) {
        visit((value as Json)[segment], index + 1, `${pointer}/${escape(segment)}`);
      }
    };
    visit(data, 0, "");
  };
}
