/**
 * Multi-file specs (spec/parts.ts, spec/README.md "Layout"): a directory `<service>/<version>/` with
 * `openapi.yaml` and part files. The parts merge into one document, every problem is reported in the
 * file that holds it, a path or component defined twice is refused where it is defined the second
 * time, and generate, verify, diff and `import --merge` read the directory as one spec.
 */
import { cp, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generate } from "../../scripts/generate.js";
import { runImport } from "../../scripts/import/run-import.js";
import { parseSpecParts, findSpecs } from "../../scripts/spec/parts.js";
import { formatProblem, SpecError } from "../../scripts/spec/problems.js";
import { positionIn, repoRoot, runCli } from "../support/helpers.js";
import { definitionsDir, edit, scratchDirs } from "../support/import-support.js";

const scratch = scratchDirs();
const SPEC = "spec/mongodb/2019-07-25";

/** A scratch project with a copy of the repository's mongodb spec directory. */
async function project(): Promise<string> {
  const dir = await scratch("multi");
  await cp(path.join(repoRoot, SPEC), path.join(dir, SPEC), { recursive: true });
  return dir;
}

async function problemsOf(dir: string): Promise<string[]> {
  try {
    await generate({ spec: "spec", out: "out", cwd: dir, check: true });
  } catch (error) {
    if (error instanceof SpecError) return error.problems.map(formatProblem);
    throw error;
  }
  return [];
}

const root = ["openapi: 3.1.0", "info: { title: T, version: v }", "x-tc-service: s", 'x-tc-version: "2024-01-01"', "components:", "  schemas:", "    A: { type: string }", ""].join("\n");

describe("merging the parts", () => {
  it("merges paths and components, root first, parts in name order, positions in their own files", () => {
    const spec = parseSpecParts(
      [
        { displayPath: "d/openapi.yaml", text: root },
        { displayPath: "d/a.yaml", text: "paths:\n  /X: {}\ncomponents:\n  schemas:\n    B: { type: integer }\n" },
        { displayPath: "d/b.yaml", text: "components:\n  schemas:\n    C: { type: boolean }\n" },
      ],
      "d",
    );
    const value = spec.value as { paths: object; components: { schemas: object } };
    expect(Object.keys(value.components.schemas)).toEqual(["A", "B", "C"]);
    expect(Object.keys(value.paths)).toEqual(["/X"]);
    expect(spec.positionOf("/components/schemas/B/type")).toEqual({ file: "d/a.yaml", line: 5, col: 16 });
    expect(spec.positionOf("/components/schemas/C")).toMatchObject({ file: "d/b.yaml", line: 3 });
    expect(spec.positionOf("/x-tc-service")).toMatchObject({ file: "d/openapi.yaml", line: 3 });
    expect(spec.files).toEqual(["d/openapi.yaml", "d/a.yaml", "d/b.yaml"]);
  });

  it("refuses a path or component defined twice, where the second is, naming the first", () => {
    const run = () =>
      parseSpecParts(
        [
          { displayPath: "d/openapi.yaml", text: root },
          { displayPath: "d/a.yaml", text: "paths:\n  /X: {}\n" },
          { displayPath: "d/b.yaml", text: "paths:\n  /X: {}\ncomponents:\n  schemas:\n    A: { type: integer }\n" },
        ],
        "d",
      );
    expect(run).toThrow(SpecError);
    try {
      run();
    } catch (error) {
      expect((error as SpecError).problems.map(formatProblem)).toEqual([
        'd/b.yaml:2:7: path "/X" is also defined at d/a.yaml:2:7; each path and component is defined in one file',
        "d/b.yaml:5:8: component schemas.A is also defined at d/openapi.yaml:7:8; each path and component is defined in one file",
      ]);
    }
  });

  it("refuses root members in a part, and reports YAML problems of every file at once", () => {
    try {
      parseSpecParts(
        [
          { displayPath: "d/openapi.yaml", text: root },
          { displayPath: "d/a.yaml", text: "info: { title: X }\npaths: {}\n" },
          { displayPath: "d/b.yaml", text: "paths:\n  /X: {}\n  /X: {}\n" },
        ],
        "d",
      );
      expect.unreachable();
    } catch (error) {
      const lines = (error as SpecError).problems.map(formatProblem);
      expect(lines.some((l) => l.startsWith("d/b.yaml:3:3:"))).toBe(true);
    }
    try {
      parseSpecParts([{ displayPath: "d/openapi.yaml", text: root }, { displayPath: "d/a.yaml", text: "info: { title: X }\npaths: {}\n" }], "d");
      expect.unreachable();
    } catch (error) {
      expect((error as SpecError).problems.map(formatProblem)).toEqual(['d/a.yaml:1:7: "info" belongs in openapi.yaml: a part file holds only "paths" and "components"']);
    }
  });

  it("finds a spec directory as one spec, beside single-file specs", async () => {
    const dir = await project();
    await mkdir(path.join(dir, "spec/other"), { recursive: true });
    await writeFile(path.join(dir, "spec/other/2020-01-01.yaml"), "x: 1\n");
    expect((await findSpecs(path.join(dir, "spec"))).map((f) => path.relative(dir, f))).toEqual(["spec/mongodb/2019-07-25", "spec/other/2020-01-01.yaml"]);
  });
});

describe("the generator, verify and import on the multi-file mongodb spec", () => {
  it("reports a problem in a part at its file:line:col", async () => {
    const dir = await project();
    const file = path.join(dir, SPEC, "instances.yaml");
    const text = await readFile(file, "utf8");
    const broken = edit(text, ["      x-tc-idempotent: true # a query\n", "      x-tc-idempotent: maybe\n"]);
    await writeFile(file, broken);
    const { line, col } = positionIn(broken, "maybe");
    expect(await problemsOf(dir)).toEqual([`${SPEC}/instances.yaml:${line}:${col}: "x-tc-idempotent" must be true or false`]);
  }, 120_000);

  it("refuses a schema defined in two parts", async () => {
    const dir = await project();
    const file = path.join(dir, SPEC, "accounts.yaml");
    const text = await readFile(file, "utf8");
    await writeFile(file, `${text}    ErrorDetail:\n      type: object\n`);
    const problems = await problemsOf(dir);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${SPEC}/accounts\\.yaml:\\d+:5: component schemas\\.ErrorDetail is also defined at ${SPEC}/openapi\\.yaml:\\d+:5`));
  }, 120_000);

  it("verify compares all 86 actions with 0 differences", async () => {
    const result = await runCli(["verify", "--spec", SPEC, "--defs", "test/fixtures/definitions"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/86 of 86 actions compared .*; 0 difference\(s\), \d+ declared/);
  }, 120_000);

  it("import --merge adds into the right files and keeps every hand edit", async () => {
    const dir = await project();
    const accounts = path.join(dir, SPEC, "accounts.yaml");
    const backup = path.join(dir, SPEC, "backup.yaml");
    const network = path.join(dir, SPEC, "purchase.yaml");
    // A person's spec lacking an action (DescribeAccountUsers, from accounts.yaml), a member (BackupRemark) and an error code.
    const accountsText = await readFile(accounts, "utf8");
    const start = accountsText.indexOf("  /DescribeAccountUsers:\n");
    const end = accountsText.indexOf("\n  /", start + 5);
    await writeFile(accounts, accountsText.slice(0, start) + accountsText.slice(end + 1));
    const backupText = await readFile(backup, "utf8");
    const withoutMember = edit(backupText, ["        BackupRemark:\n          type: string\n          description: Backup remarks information.\n          examples:\n            - remarkInfo\n", ""]);
    await writeFile(backup, withoutMember);
    const before = { accounts: await readFile(accounts, "utf8"), backup: withoutMember, network: await readFile(network, "utf8") };

    const outcome = await runImport({ location: { defs: path.join(definitionsDir, "mongodb/v20190725") }, actions: [], merge: true, dryRun: false, cwd: dir });
    expect(outcome.mode).toBe("merged");
    expect(outcome.added.some((l) => /added action DescribeAccountUsers/.test(l))).toBe(true);
    expect(outcome.added.some((l) => l.startsWith(`${SPEC}/backup.yaml:`) && /added member BackupRemark/.test(l))).toBe(true);
    const after = { accounts: await readFile(accounts, "utf8"), backup: await readFile(backup, "utf8"), network: await readFile(network, "utf8") };
    // The member went back into its schema's file; the new action into the last part with paths; nothing else changed.
    expect(after.backup).toContain("        BackupRemark:\n");
    expect(after.backup.startsWith(before.backup.slice(0, before.backup.indexOf("    CreateBackupDBInstanceRequest:")))).toBe(true);
    expect(after.accounts).toBe(before.accounts);
    expect(after.network).not.toBe(before.network);
    expect(after.network).toContain("  /DescribeAccountUsers:\n");
    expect(after.network.startsWith(before.network.trimEnd().split("\ncomponents:")[0]!)).toBe(true);
    // The result is a spec the generator takes, and merging again adds nothing.
    expect(await problemsOf(dir)).toEqual([]);
    const again = await runImport({ location: { defs: path.join(definitionsDir, "mongodb/v20190725") }, actions: [], merge: true, dryRun: false, cwd: dir });
    expect(again.added).toEqual([]);
    expect(again.written).toBe(false);
  }, 300_000);
});
