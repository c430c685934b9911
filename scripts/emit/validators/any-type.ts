/**
 * Validators, keywords about values of any type: `enum`, `const`, `$ref` beside other keywords, `allOf`, `anyOf`, `oneOf`.
 */
import type { Json } from "../../lib/utils.js";
import { commentText, jsonText, stringLiteral, valueLiteral } from "../spec-text.js";
import type { Place, Stmt } from "./code.js";
import { describeBranch, pureRef, refName } from "./schema-facts.js";
import type { Context, Writer } from "./writer.js";

/** `enum`, `const`, `$ref` beside other keywords, `allOf`, `anyOf`, `oneOf`: about values of any type. */
export function anyTypeChecks(w: Writer, schema: Json, value: string, place: Place, context: Context): Stmt[] {
  const stmts: Stmt[] = [];
  if (Array.isArray(schema["enum"])) {
    const values = schema["enum"] as unknown[];
    stmts.push({
      if: values.map((v) => `${value} !== ${valueLiteral(v)}`).join(" && "),
      then: [w.report(context, place, "enum", `must be one of ${values.map(jsonText).join(", ")}`)],
    });
  }
  if (Object.hasOwn(schema, "const")) {
    stmts.push({ if: `${value} !== ${valueLiteral(schema["const"])}`, then: [w.report(context, place, "const", `must be ${jsonText(schema["const"])}`)] });
  }
  // The same value: not a level deeper.
  if (typeof schema["$ref"] === "string") stmts.push(...w.call(refName(schema["$ref"]), value, place, context, "depth"));
  for (const branch of (schema["allOf"] as Json[] | undefined) ?? []) stmts.push(...branchChecks(w, branch, value, place, context));
  if (Array.isArray(schema["anyOf"])) stmts.push(...anyOfChecks(w, schema["anyOf"] as Json[], value, place, context));
  if (Array.isArray(schema["oneOf"])) stmts.push(...oneOfChecks(w, schema["oneOf"] as Json[], value, place, context));
  return stmts;
}

export function branchChecks(w: Writer, branch: Json, value: string, place: Place, context: Context): Stmt[] {
  const ref = pureRef(branch);
  return ref ? w.call(ref, value, place, context, "depth") : w.schemaChecks(branch, value, place, context);
}

/**
 * Branches are tried in order until one matches. Each records its issues in the report like any
 * check; when one matches, what those before it found is taken back (as Ajv does), and when none
 * does it stays, followed by the anyOf issue.
 */
export function anyOfChecks(w: Writer, branches: Json[], value: string, place: Place, context: Context): Stmt[] {
  const described = branches.map(describeBranch).join(", ");
  const failures = context.locals.name("failures");
  const branchFailures = context.locals.name("branchFailures");
  const matched = context.locals.name("matched");
  const stmts: Stmt[] = [
    `// anyOf: ${commentText(described, "line")}.`,
    `const ${failures} = report.failures;`,
    `let ${branchFailures} = ${failures};`,
    "report.trying++;",
    ...branchChecks(w, branches[0]!, value, place, context),
    `let ${matched} = report.failures === ${branchFailures};`,
  ];
  for (const branch of branches.slice(1)) {
    stmts.push({
      if: `!${matched}`,
      then: [`${branchFailures} = report.failures;`, ...branchChecks(w, branch, value, place, context), `${matched} = report.failures === ${branchFailures};`],
    });
  }
  stmts.push("report.trying--;", {
    if: matched,
    then: [`report.takeBack(${failures});`],
    else: [w.report(context, place, "anyOf", `must match at least one of: ${described}`)],
  });
  return stmts;
}

/**
 * Every branch is tried and the ones that find nothing counted. Exactly one: what the others found
 * is taken back; otherwise it stays, followed by the oneOf issue.
 */
export function oneOfChecks(w: Writer, branches: Json[], value: string, place: Place, context: Context): Stmt[] {
  w.helpers.add("reportIssue");
  const described = branches.map(describeBranch).join(", ");
  const failures = context.locals.name("failures");
  const branchFailures = context.locals.name("branchFailures");
  const matches = context.locals.name("matches");
  const stmts: Stmt[] = [
    `// oneOf: ${commentText(described, "line")}.`,
    `const ${failures} = report.failures;`,
    `let ${branchFailures} = ${failures};`,
    `let ${matches} = 0;`,
    "report.trying++;",
  ];
  branches.forEach((branch, i) => {
    if (i > 0) stmts.push(`${branchFailures} = report.failures;`);
    stmts.push(...branchChecks(w, branch, value, place, context), { if: `report.failures === ${branchFailures}`, then: [`${matches}++;`] });
  });
  const none = stringLiteral(`must match one of: ${described}`);
  const several = stringLiteral(`must match only one of: ${described}; matches `);
  stmts.push("report.trying--;", {
    if: `${matches} === 1`,
    then: [`report.takeBack(${failures});`],
    else: [`reportIssue(report, ${w.at(place)}, "oneOf", ${matches} === 0 ? ${none} : ${several} + ${matches});`],
  });
  return stmts;
}
