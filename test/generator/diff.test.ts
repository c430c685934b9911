/**
 * `tcgen diff` end to end: output for people and `--json`, positions of changes and of removals,
 * exit statuses, invalid specs, git revisions (`--base`, `--head`, `--since-release`) in temporary
 * repositories with and without release tags, the version gate, CHANGELOG entries, the semver rules,
 * and the README's classification table against the one the diff uses.
 */
import { execFileSync } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseDocument, type Document } from "yaml";
import { FIXED_KINDS, SCHEMA_KINDS } from "../../scripts/diff/classify.js";
import { mergeEntry } from "../../scripts/diff/changelog.js";
import { diffSpecs } from "../../scripts/diff/diff.js";
import { readSpecs } from "../../scripts/diff/read.js";
import { runDiff } from "../../scripts/diff/run.js";
import { compareVersions, covers, nextVersion, parseVersion, requiredBump } from "../../scripts/diff/semver.js";
import { UsageError } from "../../scripts/usage-error.js";
import { positionIn, repoRoot, runCli, scratchDir } from "../support/helpers.js";

const BASE = path.join(repoRoot, "test/fixtures/spec-changes/cbs/2024-01-01.yaml");
let baseText: string;

function edited(edit: (doc: Document) => void): string {
  const doc = parseDocument(baseText);
  edit(doc);
  return doc.toString();
}

async function diff(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runDiff(args, { cwd, out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

/** A package at 0.1.0 with `old/cbs/2024-01-01.yaml` and `new/cbs/2024-01-01.yaml`. */
async function pairOfSpecs(prefix: string, newText: string): Promise<string> {
  const dir = await scratchDir(prefix);
  await setVersion(dir, "0.1.0");
  for (const [side, text] of [["old", baseText], ["new", newText]] as const) {
    await mkdir(path.join(dir, side, "cbs"), { recursive: true });
    await writeFile(path.join(dir, side, "cbs", "2024-01-01.yaml"), text);
  }
  return dir;
}

/** Where a member of a component schema is: its key, 8 spaces in. */
function memberAt(text: string, name: string): { line: number; col: number } {
  const { line } = positionIn(text, `\n        ${name}:`);
  return { line: line + 1, col: 9 };
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=tcgen", "-c", "user.email=tcgen@example.com", "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", ...args], { cwd, encoding: "utf8" });
}

/** A git repository with spec/cbs/2024-01-01.yaml and package.json at `version`, committed. */
async function repository(prefix: string, version: string, tag?: string): Promise<string> {
  const dir = await scratchDir(prefix);
  git(dir, "init", "-q", "-b", "main");
  await mkdir(path.join(dir, "spec", "cbs"), { recursive: true });
  await writeFile(path.join(dir, "spec", "cbs", "2024-01-01.yaml"), baseText);
  await setVersion(dir, version);
  git(dir, "add", ".");
  git(dir, "commit", "-q", "-m", "first");
  if (tag) git(dir, "tag", tag);
  return dir;
}

async function setVersion(dir: string, version: string): Promise<void> {
  await writeFile(path.join(dir, "package.json"), JSON.stringify({ name: "consumer-facing", version }, null, 2) + "\n");
}

async function writeSpec(dir: string, text: string): Promise<void> {
  await writeFile(path.join(dir, "spec", "cbs", "2024-01-01.yaml"), text);
}

const removeOrder = (doc: Document) => doc.deleteIn(["components", "schemas", "DescribeDisksRequest", "properties", "Order"]);
const addEncrypted = (doc: Document) => doc.setIn(["components", "schemas", "DescribeDisksRequest", "properties", "Encrypted"], doc.createNode({ type: "boolean" }));
const describeDisks = (doc: Document) => doc.setIn(["paths", "/DescribeDisks", "post", "description"], "Lists disks.");

beforeAll(async () => {
  baseText = await readFile(BASE, "utf8");
});

describe("tcgen diff <old> <new>", () => {
  it("groups changes by class, each at file:line:col with what it affects, and fails on breaking ones", async () => {
    const dir = await pairOfSpecs("diff-text", edited((doc) => {
      removeOrder(doc);
      addEncrypted(doc);
      describeDisks(doc);
    }));
    const { code, out } = await diff(["old", "new"], dir);
    expect(code).toBe(1);
    const order = memberAt(baseText, "Order");
    const encrypted = memberAt(edited((doc) => { removeOrder(doc); addEncrypted(doc); describeDisks(doc); }), "Encrypted");
    expect(out).toContain("tcgen diff: old → new\n  cbs 2024-01-01: 1 breaking, 1 additive, 1 neutral\n");
    expect(out).toContain(`breaking (1)\n  old/cbs/2024-01-01.yaml:${order.line}:${order.col}  DescribeDisksRequest.Order: member removed\n`);
    expect(out).toContain("      member-removed, in requests; affects DescribeDisksRequest, validateDescribeDisksRequest, DescribeDisksRequestSchema, describeDisks(), paginateDescribeDisks(), waitForDisksAttached()\n");
    expect(out).toContain(`additive (1)\n  new/cbs/2024-01-01.yaml:${encrypted.line}:${encrypted.col}  DescribeDisksRequest.Encrypted: member added (optional)\n`);
    expect(out).toMatch(/neutral \(1\)\n {2}new\/cbs\/2024-01-01\.yaml:\d+:\d+ {2}DescribeDisks: description changed\n/);
    expect(out).toContain("release: breaking changes in 0.x → minor: a minor release");
  });

  it("--json gives every change with both places, the affected names and the release", async () => {
    const dir = await pairOfSpecs("diff-json", edited(removeOrder));
    const { code, out } = await diff(["old", "new", "--json", "--fail-on", "never"], dir);
    expect(code).toBe(0);
    const result = JSON.parse(out) as Record<string, any>;
    expect(result["summary"]).toEqual({ breaking: 1, additive: 0, neutral: 0 });
    expect(result["services"]).toEqual([{ service: "cbs", oldVersion: "2024-01-01", newVersion: "2024-01-01", oldFile: "old/cbs/2024-01-01.yaml", newFile: "new/cbs/2024-01-01.yaml" }]);
    const [change] = result["changes"];
    const order = memberAt(baseText, "Order");
    expect(change).toMatchObject({
      service: "cbs",
      kind: "member-removed",
      class: "breaking",
      direction: "request",
      subject: "DescribeDisksRequest.Order",
      location: { file: "old/cbs/2024-01-01.yaml", line: order.line, col: order.col, pointer: "/components/schemas/DescribeDisksRequest/properties/Order" },
      old: { file: "old/cbs/2024-01-01.yaml", line: order.line },
      new: { file: "new/cbs/2024-01-01.yaml", pointer: "/components/schemas/DescribeDisksRequest/properties" },
    });
    expect(change.affects).toContain("describeDisks()");
    expect(result["release"]).toMatchObject({ worst: "breaking", bump: "minor", current: "0.1.0" });
  });

  it("exits 0 for additive and neutral changes, and --fail-on lowers the bar", async () => {
    const dir = await pairOfSpecs("diff-additive", edited(addEncrypted));
    expect((await diff(["old", "new"], dir)).code).toBe(0);
    expect((await diff(["old", "new", "--fail-on", "additive"], dir)).code).toBe(1);
    const same = await diff(["old", "old"], dir);
    expect(same.code).toBe(0);
    expect(same.out).toContain("cbs 2024-01-01: no changes");
    expect(same.out).toContain("release: no spec changes, no new version needed");
  });

  it("compares two files named on the command line whatever they are called", async () => {
    const dir = await scratchDir("diff-files");
    await writeFile(path.join(dir, "before.yaml"), baseText);
    await writeFile(path.join(dir, "after.yaml"), edited((doc) => doc.setIn(["paths", "/DescribeDisks", "post", "x-tc-rate-limit"], 5)));
    const { code, out } = await diff(["before.yaml", "after.yaml"], dir);
    expect(code).toBe(1);
    expect(out).toMatch(/after\.yaml:\d+:24 {2}DescribeDisks: rate limit 20 → 5 requests per second\n {6}rate-limit-lowered; affects describeDisks\(\), paginateDescribeDisks\(\), waitForDisksAttached\(\)/);
  });

  it("pairs services by name in directories: a service added, one removed", async () => {
    const dir = await pairOfSpecs("diff-services", baseText);
    const cvm = await readFile(path.join(repoRoot, "test/fixtures/specs/cvm/2017-03-12.yaml"), "utf8");
    await mkdir(path.join(dir, "new", "cvm"), { recursive: true });
    await writeFile(path.join(dir, "new", "cvm", "2017-03-12.yaml"), cvm);
    const added = JSON.parse((await diff(["old", "new", "--json"], dir)).out) as { changes: { kind: string; affects: string[] }[] };
    expect(added.changes).toEqual([expect.objectContaining({ kind: "service-added", class: "additive", affects: ["tcgen/cvm", "createCvmClient", "CvmClient", "cvmService"] })]);
    const removed = await diff(["new", "old"], dir);
    expect(removed.code).toBe(1);
    expect(removed.out).toMatch(/new\/cvm\/2017-03-12\.yaml:\d+:\d+ {2}cvm: service removed \(cvm 2017-03-12\)/);
  });

  it("recognises renames: an action and a schema with the same structure under new names", async () => {
    const dir = await pairOfSpecs("diff-renames", baseText.replace(/\/AttachDisks:/, "/AttachDisk:").replace(/operationId: AttachDisks/, "operationId: AttachDisk").replace(/x-tc-action: AttachDisks/, "x-tc-action: AttachDisk").replaceAll("schemas/Tag'", "schemas/ResourceTag'").replace("    Tag:\n", "    ResourceTag:\n"));
    const result = JSON.parse((await diff(["old", "new", "--json"], dir)).out) as { changes: { kind: string; detail: string; affects: string[] }[] };
    const kinds = result.changes.map((c) => `${c.kind}: ${c.detail}`);
    expect(kinds).toContain("action-renamed: renamed AttachDisk (same request and answer)");
    expect(kinds).toContain("schema-renamed: renamed ResourceTag (same structure)");
    expect(result.changes.find((c) => c.kind === "action-renamed")!.affects).toEqual(expect.arrayContaining(["attachDisks()", "attachDisk()", "isAttachDisksError", "isAttachDiskError"]));
  });

  it("refuses an invalid spec with its problems at file:line:col (exit 3)", async () => {
    const broken = baseText.replace("x-tc-rate-limit: 20", "x-tc-rate-limit: -1");
    const dir = await pairOfSpecs("diff-invalid", broken);
    const { code, out, err } = await diff(["old", "new"], dir);
    expect(code).toBe(3);
    expect(out).toBe("");
    const at = positionIn(broken, "-1");
    expect(err).toContain(`new/cbs/2024-01-01.yaml:${at.line}:${at.col}: "x-tc-rate-limit" must be a positive integer (requests per second), got -1`);
    expect(err).toContain("tcgen diff: 1 problem(s); both sides must be valid specs");
    const missing = await diff(["old", "nowhere"], dir);
    expect(missing.code).toBe(3);
    expect(missing.err).toContain("nowhere:1:1: no such spec file or directory");
  });

  it("the real mongodb spec has no changes against itself", async () => {
    const { code, out } = await diff(["spec", "spec"], repoRoot);
    expect(code).toBe(0);
    expect(out).toContain("mongodb 2019-07-25: no changes");
  });

  it("refuses wrong usage, which the CLI turns into exit 2 with the usage", async () => {
    for (const [args, message] of [
      [[], "give two specs, <old> <new>, or --base <rev>"],
      [["a"], "give two specs"],
      [["a", "b", "--fail-on", "sometimes"], "--fail-on must be one of breaking, additive, neutral, never"],
      [["a", "b", "--check-version"], "--check-version compares with a released version"],
      [["--base", "v1", "--since-release"], "give --base or --since-release, not both"],
      [["a", "b", "--date", "today"], "--date must be YYYY-MM-DD"],
      [["a", "b", "--head", "HEAD"], "--head needs --base or --since-release"],
    ] as const) {
      await expect(diff([...args], repoRoot), args.join(" ")).rejects.toThrow(new UsageError(message).message);
    }
    const result = await runCli(["diff", "a"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("tcgen: give two specs, <old> <new>, or --base <rev>\nusage:");
    expect(result.stderr).toContain("tcgen diff --base <rev> [--head <rev>] [<path>] [options]");
  });
});

describe("completeness", () => {
  it("reports a change, at a real place, for any leaf of the spec changed (where the result is still a valid spec)", () => {
    const root = parseDocument(baseText).toJS() as unknown;
    const leaves: (string | number)[][] = [];
    const walk = (node: unknown, at: (string | number)[]) => {
      if (Array.isArray(node)) node.forEach((item, i) => walk(item, [...at, i]));
      else if (typeof node === "object" && node !== null) for (const [key, value] of Object.entries(node)) walk(value, [...at, key]);
      else leaves.push(at);
    };
    walk(root, []);
    const old = readSpecs([{ displayPath: "old.yaml", layoutPath: undefined, text: baseText }]);
    let compared = 0;
    for (const at of leaves) {
      const doc = parseDocument(baseText);
      const value = doc.getIn(at) as unknown;
      doc.setIn(at, typeof value === "number" ? value + 1 : typeof value === "boolean" ? !value : `${String(value)}x`);
      let changed;
      try {
        changed = readSpecs([{ displayPath: "new.yaml", layoutPath: undefined, text: doc.toString() }]);
      } catch {
        continue; // the change made an invalid spec, which the diff refuses (tested above)
      }
      compared++;
      const { changes } = diffSpecs({ label: "old", sides: old }, { label: "new", sides: changed }, { pairFiles: true });
      expect(changes.length, `changing ${at.join(".")} went unreported`).toBeGreaterThan(0);
      for (const change of changes) expect(change.location.line, at.join(".")).toBeGreaterThan(0);
    }
    expect(compared).toBeGreaterThan(120);
  });
});

describe("tcgen diff --base / --since-release (git)", () => {
  it("reads the old spec from a revision and reports removals where they were, at the revision", async () => {
    const dir = await repository("diff-git", "0.1.0", "v0.1.0");
    await writeSpec(dir, edited(removeOrder));
    const { code, out } = await diff(["--base", "v0.1.0"], dir);
    expect(code).toBe(1);
    const order = memberAt(baseText, "Order");
    expect(out).toContain("tcgen diff: v0.1.0:spec → spec\n");
    expect(out).toContain(`  v0.1.0:spec/cbs/2024-01-01.yaml:${order.line}:${order.col}  DescribeDisksRequest.Order: member removed\n`);
    expect(out).toContain("release: breaking changes in 0.x → minor: 0.1.0 → 0.2.0 or later");
    expect(out).toContain("package.json's version 0.1.0 does not cover it: set it to 0.2.0 or later");
    // --head compares two revisions.
    git(dir, "commit", "-q", "-am", "drop Order");
    const heads = await diff(["--base", "v0.1.0", "--head", "HEAD", "--json"], dir);
    expect(JSON.parse(heads.out)).toMatchObject({ old: "v0.1.0:spec", new: "HEAD:spec", summary: { breaking: 1 } });
    const bad = await diff(["--base", "v9.9.9"], dir);
    expect(bad.code).toBe(3);
    expect(bad.err).toContain(`"v9.9.9" is not a commit, tag or branch`);
  });

  it("the version gate: fails on a breaking change without a minor bump in 0.x, passes with one", async () => {
    const dir = await repository("diff-gate-0x", "0.1.0", "v0.1.0");
    const gate = () => diff(["--since-release", "--check-version"], dir);
    expect((await gate()).code).toBe(0); // nothing changed since the release
    await writeSpec(dir, edited(removeOrder));
    const failed = await gate();
    expect(failed.code).toBe(1);
    expect(failed.err).toContain("version check failed: breaking changes in 0.x → minor: 0.1.0 → 0.2.0 or later (");
    await setVersion(dir, "0.1.1");
    expect((await gate()).code).toBe(1);
    await setVersion(dir, "0.2.0");
    const passed = await gate();
    expect(passed.code).toBe(0);
    expect(passed.err).toContain("version check passed: 0.2.0 covers the changes since v0.1.0 (breaking changes in 0.x → minor)");
    await setVersion(dir, "1.0.0");
    expect((await gate()).code).toBe(0);
    // Additive only: a patch is enough in 0.x.
    await writeSpec(dir, edited(addEncrypted));
    await setVersion(dir, "0.1.0");
    expect((await gate()).code).toBe(1);
    await setVersion(dir, "0.1.1");
    expect((await gate()).code).toBe(0);
  });

  it("the version gate from 1.0.0: breaking needs a major bump, additive a minor one", async () => {
    const dir = await repository("diff-gate-1x", "1.2.0", "v1.2.0");
    const gate = () => diff(["--since-release", "--check-version"], dir);
    await writeSpec(dir, edited(removeOrder));
    await setVersion(dir, "1.3.0");
    const failed = await gate();
    expect(failed.code).toBe(1);
    expect(failed.err).toContain("breaking changes → major: 1.2.0 → 2.0.0 or later");
    await setVersion(dir, "2.0.0");
    expect((await gate()).code).toBe(0);
    await writeSpec(dir, edited(addEncrypted));
    await setVersion(dir, "1.2.1");
    expect((await gate()).code).toBe(1);
    await setVersion(dir, "1.3.0");
    expect((await gate()).code).toBe(0);
    await writeSpec(dir, edited(describeDisks));
    await setVersion(dir, "1.2.0");
    expect((await gate()).code).toBe(1);
    await setVersion(dir, "1.2.1");
    expect((await gate()).code).toBe(0);
  });

  it("takes the nearest release tag, and passes when there is none yet", async () => {
    const dir = await repository("diff-tags", "0.1.0");
    await writeSpec(dir, edited(removeOrder));
    const untagged = await diff(["--since-release", "--check-version"], dir);
    expect(untagged.code).toBe(0);
    expect(untagged.err).toContain("no release tag (v<major>.<minor>.<patch>) is reachable from HEAD yet");
    expect(untagged.err).toContain("version check passed: there is no release to compare with yet");
    expect(untagged.out).toContain("tcgen diff: (no release) → spec\n  cbs (none) → 2024-01-01: 1 additive, 0 neutral".replace("1 additive", "0 breaking, 1 additive"));
    // Tags that are not releases are ignored; the nearest release tag wins.
    git(dir, "tag", "nightly");
    git(dir, "tag", "v0.1.0");
    git(dir, "commit", "-q", "-am", "breaking", "--allow-empty");
    await setVersion(dir, "0.2.0");
    git(dir, "commit", "-q", "-am", "0.2.0");
    git(dir, "tag", "v0.2.0");
    const since = await diff(["--since-release", "--check-version"], dir);
    expect(since.code).toBe(0);
    expect(since.out).toContain("tcgen diff: v0.2.0:spec → spec");
    // Outside any git repository there is nothing to compare with either.
    const plain = await scratchDir("diff-no-git");
    await mkdir(path.join(plain, "spec", "cbs"), { recursive: true });
    await writeFile(path.join(plain, "spec", "cbs", "2024-01-01.yaml"), baseText);
    await setVersion(plain, "0.1.0");
    await writeFile(path.join(plain, ".git"), "gitdir: /nonexistent\n"); // stops git from finding the enclosing work tree
    const outside = await diff(["--since-release", "--check-version"], plain);
    expect(outside.code).toBe(0);
    expect(outside.err).toContain("no git history here");
  });

  it("--changelog writes the release's entry on top, and replaces it when run again", async () => {
    const dir = await repository("diff-changelog", "0.1.0", "v0.1.0");
    await writeFile(path.join(dir, "CHANGELOG.md"), "# Changelog\n\nAll notable changes.\n\n## 0.1.0 (2026-01-01)\n\nFirst release.\n");
    await writeSpec(dir, edited((doc) => { removeOrder(doc); addEncrypted(doc); }));
    const first = await diff(["--since-release", "--changelog", "--date", "2026-02-03", "--fail-on", "never"], dir);
    expect(first.code).toBe(0);
    expect(first.err).toContain("CHANGELOG.md: entry for 0.2.0 written");
    const text = await readFile(path.join(dir, "CHANGELOG.md"), "utf8");
    expect(text).toBe(
      [
        "# Changelog",
        "",
        "All notable changes.",
        "",
        "## 0.2.0 (2026-02-03)",
        "",
        "Spec changes since v0.1.0: 1 breaking, 1 additive, 0 neutral (`tcgen diff`).",
        "",
        "### Breaking",
        "",
        "- `DescribeDisksRequest.Order`: member removed (affects `DescribeDisksRequest`, `validateDescribeDisksRequest`, `DescribeDisksRequestSchema`, `describeDisks()`, `paginateDescribeDisks()`, `waitForDisksAttached()`)",
        "",
        "### Added",
        "",
        "- `DescribeDisksRequest.Encrypted`: member added (optional) (affects `DescribeDisksRequest`, `validateDescribeDisksRequest`, `DescribeDisksRequestSchema`, `describeDisks()`, `paginateDescribeDisks()`, `waitForDisksAttached()`)",
        "",
        "## 0.1.0 (2026-01-01)",
        "",
        "First release.",
        "",
      ].join("\n"),
    );
    await writeSpec(dir, edited(removeOrder));
    await setVersion(dir, "0.2.0");
    await diff(["--since-release", "--changelog", "--date", "2026-02-04", "--fail-on", "never"], dir);
    const again = await readFile(path.join(dir, "CHANGELOG.md"), "utf8");
    expect(again.match(/^## 0\.2\.0/gm)).toHaveLength(1);
    expect(again).toContain("## 0.2.0 (2026-02-04)\n\nSpec changes since v0.1.0: 1 breaking, 0 additive, 0 neutral");
    expect(again).toContain("## 0.1.0 (2026-01-01)\n\nFirst release.\n");
  });
});

describe("semver rules", () => {
  const v = (text: string) => parseVersion(text)!;

  it("needs major/minor/patch from 1.0.0 and minor/patch/patch in 0.x", () => {
    expect(["breaking", "additive", "neutral", undefined].map((c) => requiredBump(c as never, v("1.4.2")))).toEqual(["major", "minor", "patch", "none"]);
    expect(["breaking", "additive", "neutral", undefined].map((c) => requiredBump(c as never, v("0.4.2")))).toEqual(["minor", "patch", "patch", "none"]);
    expect(nextVersion(v("0.4.2"), "minor")).toEqual(v("0.5.0"));
    expect(nextVersion(v("1.4.2"), "major")).toEqual(v("2.0.0"));
    expect(nextVersion(v("1.4.2"), "patch")).toEqual(v("1.4.3"));
  });

  it("a version covers a bump when it moved that number or a higher one", () => {
    expect(covers(v("0.4.2"), v("0.5.0"), "minor")).toBe(true);
    expect(covers(v("0.4.2"), v("0.5.0-rc.1"), "minor")).toBe(true);
    expect(covers(v("0.4.2"), v("0.4.3"), "minor")).toBe(false);
    expect(covers(v("0.4.2"), v("1.0.0"), "minor")).toBe(true);
    expect(covers(v("1.4.2"), v("1.5.0"), "major")).toBe(false);
    expect(covers(v("1.4.2"), v("1.4.2"), "none")).toBe(true);
    expect(covers(v("1.4.2"), v("1.4.1"), "none")).toBe(false);
    expect(covers(v("1.4.2"), v("1.4.2"), "patch")).toBe(false);
    // After a pre-release, which promises nothing, any later version covers any change.
    expect(covers(v("2.0.0-rc.1"), v("2.0.0"), "major")).toBe(true);
    expect(covers(v("2.0.0-rc.1"), v("2.0.0-rc.1"), "patch")).toBe(false);
  });

  it("orders versions as semver says", () => {
    const sorted = ["1.0.0", "1.0.0-rc.1", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-beta.11", "1.0.0-beta.2", "0.9.9", "v1.0.1"].map(v).sort(compareVersions);
    expect(sorted.map((x) => `${x.major}.${x.minor}.${x.patch}${x.prerelease ? "-" + x.prerelease : ""}`)).toEqual(["0.9.9", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1"]);
    expect(parseVersion("1.2")).toBeUndefined();
  });

  it("merges changelog entries: new on top, same version replaced, a new file created", () => {
    expect(mergeEntry(undefined, "## 1.0.0 (d)\n\nx\n", "1.0.0")).toBe("# Changelog\n\n## 1.0.0 (d)\n\nx\n");
    expect(mergeEntry("# Changelog\n\n## [1.0.0] (d)\n\nold\n\n## 0.9.0\n\ny\n", "## 1.0.0 (e)\n\nnew\n", "1.0.0")).toBe("# Changelog\n\n## 1.0.0 (e)\n\nnew\n\n## 0.9.0\n\ny\n");
  });
});

describe("the README's classification table", () => {
  it("lists every kind with the class the diff gives it", async () => {
    const text = await readFile(path.join(repoRoot, "README.md"), "utf8");
    const readme = text.slice(text.indexOf("### How changes are classified"), text.indexOf("Choices worth knowing"));
    const rows = new Map<string, string[]>();
    for (const [, kind, rest] of readme.matchAll(/^\| `([a-z-]+)` \| (.*) \|$/gm)) rows.set(kind!, rest!.split(" | ").map((cell) => cell.trim()));
    for (const [kind, entry] of Object.entries(SCHEMA_KINDS)) expect(rows.get(kind)?.slice(0, 2), kind).toEqual([entry.request, entry.answer]);
    for (const [kind, entry] of Object.entries(FIXED_KINDS)) expect(rows.get(kind)?.slice(0, 2), kind).toEqual([entry.class, entry.class]);
    expect(rows.size).toBe(Object.keys(SCHEMA_KINDS).length + Object.keys(FIXED_KINDS).length);
  });
});
