/**
 * `tcgen diff`: the command, and the stage's two I/O ends. Reads both sides (files, directories or
 * git revisions), diffs them, prints the result and the release it needs, optionally writes a
 * CHANGELOG entry, and turns it all into an exit status a CI gate can use:
 * 0 nothing at or above `--fail-on` (with `--check-version`: package.json's version covers the
 * changes), 1 otherwise, 2 wrong usage, 3 a spec is invalid or a side cannot be read.
 */
import { randomBytes } from "node:crypto";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { formatProblem, SpecError } from "../spec/problems.js";
import { UsageError } from "../usage-error.js";
import { mergeEntry, renderEntry } from "./changelog.js";
import { rank, type ChangeClass } from "./classify.js";
import { DIFF_USAGE } from "./usage.js";
import { diffSpecs, type SpecSet } from "./diff.js";
import { readSpecs, type SpecText } from "./read.js";
import { assessRelease } from "./release.js";
import { parseVersion } from "./semver.js";
import { releaseLine, renderJson, renderText } from "./render.js";
import { GitError, lastReleaseTag, packageVersion, readRevision, readWorkingTree } from "./source.js";

const FAIL_ON = ["breaking", "additive", "neutral", "never"] as const;

export interface DiffIo {
  readonly cwd: string;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const processIo: DiffIo = {
  cwd: process.cwd(),
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

export async function runDiff(args: string[], io: DiffIo = processIo): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    io.out(`usage:\n${DIFF_USAGE}\n`);
    return 0;
  }
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      base: { type: "string" },
      head: { type: "string" },
      "since-release": { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      "fail-on": { type: "string" },
      "check-version": { type: "boolean", default: false },
      changelog: { type: "boolean", default: false },
      "changelog-file": { type: "string" },
      date: { type: "string" },
    },
  });
  const failOn = values["fail-on"] ?? (values["check-version"] ? "never" : "breaking");
  if (!(FAIL_ON as readonly string[]).includes(failOn)) throw new UsageError(`--fail-on must be one of ${FAIL_ON.join(", ")}, got "${failOn}"`);
  if (values.date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.date)) throw new UsageError(`--date must be YYYY-MM-DD, got "${values.date}"`);
  const gitMode = values.base !== undefined || values["since-release"];
  if (values.base !== undefined && values["since-release"]) throw new UsageError("give --base or --since-release, not both");
  if (values.head !== undefined && !gitMode) throw new UsageError("--head needs --base or --since-release");
  if (gitMode ? positionals.length > 1 : positionals.length !== 2) {
    throw new UsageError(gitMode ? "give at most one <path> with --base or --since-release" : "give two specs, <old> <new>, or --base <rev>");
  }
  if (values["check-version"] && !gitMode) throw new UsageError("--check-version compares with a released version: give --base <tag> or --since-release");

  try {
    const sides = await readSides(values, positionals, io);
    if ("none" in sides) {
      // No release yet: nothing was promised to anyone, so any version passes.
      io.err(`tcgen diff: ${sides.none}; compared with no spec at all\n`);
    }
    const before = parse(sides.old);
    const after = parse(sides.new);
    const result = diffSpecs(before, after, { pairFiles: sides.pairFiles });
    const release = assessRelease(result, { ...sides.versions });
    io.out(values.json ? renderJson(result, release) : renderText(result, release));

    if (values.changelog) {
      const version = release.covered ? release.current : (release.next ?? release.current);
      if (version === undefined) throw new UsageError("--changelog needs a version: package.json has none and no release tag gives one");
      const file = path.resolve(io.cwd, values["changelog-file"] ?? "CHANGELOG.md");
      const existing = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT") return undefined;
        throw error;
      });
      const entry = renderEntry(result, { version, date: values.date ?? new Date().toISOString().slice(0, 10), since: sides.since });
      await writeAtomically(file, mergeEntry(existing, entry, version));
      io.err(`tcgen diff: ${path.relative(io.cwd, file) || file}: entry for ${version} written\n`);
    }

    if (values["check-version"]) {
      if ("none" in sides) {
        io.err("tcgen diff: version check passed: there is no release to compare with yet\n");
        return 0;
      }
      if (release.covered === undefined) {
        io.err(`tcgen diff: cannot check the version: ${release.base === undefined ? `no version at ${sides.since} (package.json or a v<x.y.z> tag name)` : "package.json has no semver version"}\n`);
        return 3;
      }
      if (!release.covered) {
        io.err(`tcgen diff: version check failed: ${releaseLine(release).replace(/^release: /, "").replace(/\n\s+/g, "; ")}\n`);
        return 1;
      }
      io.err(`tcgen diff: version check passed: ${release.current} covers the changes since ${release.base!.from} (${release.reason})\n`);
    }
    return failOn !== "never" && release.worst !== undefined && rank(release.worst) >= rank(failOn as ChangeClass) ? 1 : 0;
  } catch (error) {
    if (error instanceof SpecError) {
      io.err(error.problems.map(formatProblem).join("\n") + `\ntcgen diff: ${error.problems.length} problem(s); both sides must be valid specs\n`);
      return 3;
    }
    if (error instanceof GitError) {
      io.err(`tcgen diff: ${error.message}\n`);
      return 3;
    }
    throw error;
  }
}

interface Sides {
  readonly old: { label: string; texts: SpecText[] };
  readonly new: { label: string; texts: SpecText[] };
  readonly pairFiles: boolean;
  /** What the changes are counted from, for the changelog. */
  readonly since: string;
  readonly versions: { baseVersion?: string; baseFrom?: string; currentVersion?: string };
}

async function readSides(
  values: { base?: string | undefined; head?: string | undefined; "since-release"?: boolean | undefined },
  positionals: string[],
  io: DiffIo,
): Promise<Sides | (Sides & { none: string })> {
  if (values.base === undefined && !values["since-release"]) {
    const [oldPath, newPath] = positionals as [string, string];
    const [oldTexts, newTexts] = await Promise.all([readWorkingTree(oldPath, io.cwd), readWorkingTree(newPath, io.cwd)]);
    const pairFiles = oldTexts.length === 1 && newTexts.length === 1 && oldTexts[0]!.layoutPath === undefined && newTexts[0]!.layoutPath === undefined;
    const currentVersion = await packageVersion(io.cwd);
    return { old: { label: oldPath, texts: oldTexts }, new: { label: newPath, texts: newTexts }, pairFiles, since: oldPath, versions: currentVersion !== undefined ? { currentVersion } : {} };
  }
  const target = positionals[0] ?? "spec";
  const newSide = async () => ({
    label: values.head !== undefined ? `${values.head}:${target}` : target,
    texts: values.head !== undefined ? await readRevision(values.head, target, io.cwd) : await readWorkingTree(target, io.cwd),
  });
  const currentVersion = await packageVersion(io.cwd, values.head);
  const current = currentVersion !== undefined ? { currentVersion } : {};
  let base = values.base;
  if (base === undefined) {
    const found = await lastReleaseTag(io.cwd);
    if ("none" in found) {
      return { old: { label: "(no release)", texts: [] }, new: await newSide(), pairFiles: false, since: "the start", versions: current, none: found.none };
    }
    base = found.tag;
  }
  const oldTexts = await readRevision(base, target, io.cwd);
  // A tag names the version it released; any other revision says it in its package.json.
  const baseVersion = parseVersion(base) !== undefined ? base : ((await packageVersion(io.cwd, base)) ?? base);
  return { old: { label: `${base}:${target}`, texts: oldTexts }, new: await newSide(), pairFiles: false, since: base, versions: { baseVersion, baseFrom: base, ...current } };
}

function parse(side: { label: string; texts: SpecText[] }): SpecSet {
  return { label: side.label, sides: readSpecs(side.texts) };
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const temp = `${file}.tcgen-${randomBytes(4).toString("hex")}`;
  try {
    await writeFile(temp, text);
    await rename(temp, file);
  } finally {
    await rm(temp, { force: true });
  }
}
