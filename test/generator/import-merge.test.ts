/**
 * `tcgen import --merge`: what the definitions have and the spec lacks is added, nothing a person
 * wrote changes (not a byte of it), and every difference is reported at its file:line:col.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runImport } from "../../scripts/import/run-import.js";
import { positionIn, repoRoot, runCli } from "../support/helpers.js";
import { definitionsDir as definitions, edit, scratchDirs } from "../support/import-support.js";

const mongodb = path.join(definitions, "mongodb/v20190725");
const specFile = "spec/mongodb/2019-07-25.yaml";
/**
 * The hand-written spec of the three backup actions, as it was before the whole service was merged
 * into it (what spec/mongodb/2019-07-25/ grew from): the spec a person wrote, to merge into.
 */
const handWritten = "test/fixtures/merge/mongodb-2019-07-25-backup-actions.yaml";
const scratch = scratchDirs();

type Json = Record<string, any>;

/** A scratch project holding `text` as its mongodb spec. */
async function project(text: string): Promise<string> {
  const dir = await scratch("merge");
  await mkdir(path.join(dir, "spec/mongodb"), { recursive: true });
  await writeFile(path.join(dir, specFile), text);
  return dir;
}

/** Whether every line of `original` is in `merged`, in order: nothing removed or changed, only added. */
function onlyAdded(original: string, merged: string): boolean {
  const lines = merged.split("\n");
  let at = 0;
  for (const line of original.split("\n")) {
    while (at < lines.length && lines[at] !== line) at++;
    if (at === lines.length) return false;
    at++;
  }
  return true;
}

async function importedText(actions: string[]): Promise<string> {
  const dir = await scratch("merge-base");
  const outcome = await runImport({ location: { defs: mongodb }, actions, merge: false, dryRun: false, cwd: dir });
  return readFile(outcome.file, "utf8");
}

describe("merging into a spec a person edited", () => {
  it("keeps every hand edit, adds what is missing, and reports each difference at its position", async () => {
    const base = await importedText(["DescribeDBBackups", "CreateBackupDownloadTask"]);
    // A person's edits: a rewritten description, a pattern, an enum, a member, an error code and an action removed.
    const edited = edit(
      base,
      ["      description: Backup information.\n", "      description: One backup of an instance, as DescribeDBBackups lists it (edited by hand).\n"],
      ["          description: Instance ID.\n          examples:\n            - cmgo-ca2n****\n", "          description: Instance ID.\n          pattern: '^cmgo-[a-z0-9]{8}$'\n          examples:\n            - cmgo-ca2n****\n"],
      ["          description: |-\n            Backup method.\n\n            - 0: Automatic backup.\n", "          enum: [0, 1]\n          description: |-\n            Backup method.\n\n            - 0: Automatic backup.\n"],
      ["        BackupRegion:\n          type: string\n          description: Backup region in a different location.\n          examples:\n            - ap-guangzhou\n", ""],
      ["        - code: InvalidParameterValue.NotFoundInstance\n          description: The instance was not found.\n\n  # Pseudo-path", "\n  # Pseudo-path"],
    );
    const dir = await project(edited);

    const result = await runCli(["import", "--defs", mongodb, "--action", "DescribeDBBackups", "--action", "CreateBackupDownloadTask", "--action", "DescribeBackupDownloadTask", "--merge"], dir);
    expect(result.code).toBe(0);
    const merged = await readFile(path.join(dir, specFile), "utf8");
    expect(onlyAdded(edited, merged)).toBe(true);
    expect(merged).toContain("description: One backup of an instance, as DescribeDBBackups lists it (edited by hand).");
    expect(merged).toContain("pattern: '^cmgo-[a-z0-9]{8}$'");
    expect(merged).toContain("enum: [0, 1]");

    const spec = parse(merged) as Json;
    expect(Object.keys(spec["paths"])).toEqual(["/CreateBackupDownloadTask", "/DescribeDBBackups", "/DescribeBackupDownloadTask"]);
    expect(spec["components"]["schemas"]["BackupInfo"]["properties"]["BackupRegion"]).toMatchObject({ type: "string" });
    expect(spec["components"]["schemas"]["BackupDownloadTask"]).toBeDefined();
    expect(spec["paths"]["/CreateBackupDownloadTask"]["post"]["x-tc-errors"].map((e: Json) => e.code)).toContain("InvalidParameterValue.NotFoundInstance");

    // Additions are named where they went, differences where they are, both in the spec as it was.
    const at = (needle: string, offset = 0) => {
      const { line, col } = positionIn(edited, needle);
      return `${specFile}:${line}:${col + offset}`;
    };
    expect(result.stdout).toContain(`${at("      properties:\n        InstanceId:\n          type: string\n          description: Instance ID.", 6)}: added member BackupRegion`);
    expect(result.stdout).toContain("added action DescribeBackupDownloadTask");
    expect(result.stdout).toContain("added schema BackupDownloadTask");
    expect(result.stdout).toContain("added error code InvalidParameterValue.NotFoundInstance");
    expect(result.stderr).toContain(`${at("One backup of an instance")}: BackupInfo: the description differs from the definitions': "Backup information." [description]`);
    expect(result.stderr).toContain(`${at("'^cmgo-[a-z0-9]{8}$'")}: BackupInfo.InstanceId: pattern "^cmgo-[a-z0-9]{8}$" in the spec, not in the definitions [pattern]`);
    expect(result.stderr).toContain(`${at("[0, 1]")}: BackupInfo.BackupType: enum [0,1] in the spec, not in the definitions [enum]`);
    expect(result.stdout).toMatch(/tcgen import: wrote spec\/mongodb\/2019-07-25\.yaml: \d+ addition\(s\), 3 difference\(s\) left as the spec has them/);

    // The merged spec is sound, and merging again adds nothing and changes nothing.
    const again = await runCli(["import", "--defs", mongodb, "--action", "DescribeDBBackups", "--action", "CreateBackupDownloadTask", "--action", "DescribeBackupDownloadTask", "--merge"], dir);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/left unchanged spec\/mongodb\/2019-07-25\.yaml: 0 addition\(s\), 3 difference\(s\)/);
    expect(await readFile(path.join(dir, specFile), "utf8")).toBe(merged);
    const generated = await runCli(["generate", "--spec", "spec", "--out", "out"], dir);
    expect(generated.code).toBe(0);
  }, 120_000);

  it("adds a required member to a flow list, a block list, or a new required list", async () => {
    const base = await importedText(["DescribeDBBackups"]);
    const dir = await project(
      edit(
        base,
        // BackupInfo: its required list in block style, without InstanceId, and the member removed.
        ["        InstanceId:\n          type: string\n          description: Instance ID.\n          examples:\n            - cmgo-ca2n****\n", ""],
        ["        - InstanceId\n        - BackupType\n", "        - BackupType\n"],
        // DescribeDBBackupsResponse: TotalCount out of its flow list and its properties.
        ["required: [BackupList, TotalCount, RequestId]", "required: [BackupList, RequestId]"],
        ["        TotalCount:\n          type: integer\n          format: int64\n          minimum: 0\n          description: Number of backups.\n          examples:\n            - 0\n", ""],
        // DescribeDBBackupsRequest: no required list at all, and no InstanceId.
        ["      required: [InstanceId]\n      properties:\n        InstanceId:\n          type: string\n          description: >-\n            Instance ID. Log in to the [TencentDB for MongoDB\n            console](https://console.cloud.tencent.com/mongodb), and copy the instance ID from the\n            instance list.\n          examples:\n            - cmgo-f555zzzz\n", "      properties:\n"],
      ),
    );
    const before = await readFile(path.join(dir, specFile), "utf8");
    const outcome = await runImport({ location: { defs: mongodb }, actions: ["DescribeDBBackups"], merge: true, dryRun: false, cwd: dir });
    const schemas = (parse(outcome.text) as Json)["components"]["schemas"];
    expect(schemas["BackupInfo"]["required"]).toEqual(["BackupType", "BackupName", "Status", "BackupMethod", "InstanceId"]);
    expect(schemas["DescribeDBBackupsResponse"]["required"]).toEqual(["BackupList", "RequestId", "TotalCount"]);
    expect(schemas["DescribeDBBackupsRequest"]["required"]).toEqual(["InstanceId"]);
    expect(Object.keys(schemas["DescribeDBBackupsRequest"]["properties"])).toEqual(["BackupMethod", "Limit", "Offset", "InstanceId"]);
    // Adding to the flow list changes its line; every other line stays.
    expect(onlyAdded(before.replace("required: [BackupList, RequestId]", "required: [BackupList, RequestId, TotalCount]"), outcome.text)).toBe(true);
  });

  it("adds the examples of an action that has none, and missing common error codes", async () => {
    const base = await importedText(["DescribeDBBackups"]);
    const spec = parse(base) as Json;
    const op = spec["paths"]["/DescribeDBBackups"]["post"];
    const [name] = Object.keys(op["requestBody"]["content"]["application/json"]["examples"]);
    // Cut both named examples (request and answer) and one common code.
    const cut = (text: string, from: string, until: string) => {
      const start = text.indexOf(from);
      return text.slice(0, start) + text.slice(text.indexOf(until, start));
    };
    let edited = cut(base, "            examples:\n", "      responses:\n");
    edited = cut(edited, "              examples:\n", "      # Codes specific to this action");
    edited = edit(edited, ["  - code: IpInBlacklist\n    description: Your IP is in uin IP blacklist.\n", ""]);
    const dir = await project(edited);
    const result = await runCli(["import", "--defs", mongodb, "--action", "DescribeDBBackups", "--merge"], dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("added the definitions' examples of DescribeDBBackups");
    expect(result.stdout).toContain("added common error code IpInBlacklist");
    const merged = parse(await readFile(path.join(dir, specFile), "utf8")) as Json;
    const mergedOp = merged["paths"]["/DescribeDBBackups"]["post"];
    expect(mergedOp["requestBody"]["content"]["application/json"]["examples"]).toEqual(op["requestBody"]["content"]["application/json"]["examples"]);
    expect(mergedOp["responses"]["200"]["content"]["application/json"]["examples"][name!]).toEqual(op["responses"]["200"]["content"]["application/json"]["examples"][name!]);
    expect(merged["x-tc-common-errors"].map((e: Json) => e.code)).toContain("IpInBlacklist");
  });

  it("--dry-run reports the same and writes nothing", async () => {
    const base = await importedText(["DescribeDBBackups"]);
    const dir = await project(base);
    const result = await runCli(["import", "--defs", mongodb, "--action", "DescribeDBBackups", "--action", "AssignProject", "--merge", "--dry-run"], dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("added action AssignProject");
    expect(result.stdout).toMatch(/would write spec\/mongodb\/2019-07-25\.yaml/);
    expect(await readFile(path.join(dir, specFile), "utf8")).toBe(base);
  });

  it("a container written in flow style is left for a person, and said so", async () => {
    const base = await importedText(["DescribeDBBackups"]);
    const response = base.slice(base.indexOf("    DescribeDBBackupsResponse:"), base.indexOf("    BackupInfo:"));
    const flow = response.slice(0, response.indexOf("      properties:\n")) + "      properties: { RequestId: { type: string } }\n\n";
    const dir = await project(edit(base, [response, flow]));
    const result = await runCli(["import", "--defs", mongodb, "--action", "DescribeDBBackups", "--merge"], dir);
    expect(result.code).toBe(0);
    const { line, col } = positionIn(flow, "{ RequestId");
    expect(result.stderr).toContain(
      `${specFile}:${positionIn(base, "    DescribeDBBackupsResponse:").line + line - 1}:${col}: member BackupList is missing, and cannot be added automatically (the mapping at /components/schemas/DescribeDBBackupsResponse/properties is not in block style): add it by hand`,
    );
    expect(result.stdout).toMatch(/left unchanged .*, 2 addition\(s\) to make by hand/);
  });
});

describe("merging into the repository's hand-written spec", () => {
  it("adds the other 83 actions without changing a line; verify then finds its declaration of missing actions stale", async () => {
    const original = await readFile(path.join(repoRoot, handWritten), "utf8");
    const dir = await project(original);
    const result = await runCli(["import", "--defs", mongodb, "--merge"], dir);
    expect(result.code).toBe(0);
    const merged = await readFile(path.join(dir, specFile), "utf8");
    expect(onlyAdded(original, merged)).toBe(true);
    expect(Object.keys((parse(merged) as Json)["paths"])).toHaveLength(86);
    // The hand-written precision is still there: patterns, enums, x-tc-field-patterns, waiters.
    for (const kept of ["pattern: '^cmgo-[a-z0-9]{8}_[0-9]+$'", "x-tc-field-patterns:", "x-tc-waiters:", "x-enum-varnames: [Logical, Physical, Snapshot]"]) expect(merged).toContain(kept);

    const verified = await runCli(["verify", "--defs", definitions], dir);
    expect(verified.code).toBe(1);
    const { line, col } = positionIn(merged, "ignore: [missing-action]");
    expect(verified.stderr.trim().split("\n")).toEqual([
      `${specFile}:${line}:${col + 9}: x-tc-verify ignores "missing-action" here, but there is no such difference: remove it [x-tc-verify]`,
      "tcgen verify: 1 difference(s) from the definitions (25 declared in the spec)",
    ]);
  }, 120_000);

  it("refuses a spec with problems, naming them, and writes nothing", async () => {
    const broken = (await readFile(path.join(repoRoot, handWritten), "utf8")).replace("x-tc-rate-limit: 150", "x-tc-rate-limit: fast");
    const dir = await project(broken);
    const result = await runCli(["import", "--defs", mongodb, "--merge"], dir);
    expect(result.code).toBe(1);
    const { line, col } = positionIn(broken, "fast");
    expect(result.stderr).toContain(`${specFile}:${line}:${col}: "x-tc-rate-limit" must be a positive integer`);
    expect(result.stderr).toContain("nothing was written");
    expect(await readFile(path.join(dir, specFile), "utf8")).toBe(broken);
  });
});
