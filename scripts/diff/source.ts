/**
 * The input edge of the diff: spec texts from the file system or from a git revision
 * (`git show <rev>:<path>`), the package version on either side, and the last release tag.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { SpecError } from "../spec/problems.js";
import type { SpecText } from "./read.js";
import { findSpecs, isSpecDirectory, readSpecParts, ROOT_FILE, type SpecPartText } from "../spec/parts.js";
import { byCodePoint } from "../lib/utils.js";
import { compareVersions, parseVersion } from "./semver.js";

const run = promisify(execFile);
const SPEC_FILE = /\.ya?ml$/;

/** A git command failed: a missing revision, no repository, no git. Reported, never a stack trace. */
export class GitError extends Error {
  override readonly name = "GitError";
}

/** The specs at `target` (a file, or a directory searched recursively) in the working tree. */
export async function readWorkingTree(target: string, cwd: string): Promise<SpecText[]> {
  const absolute = path.resolve(cwd, target);
  const shown = displayOf(path.relative(cwd, absolute) || ".");
  const info = await stat(absolute).catch(() => undefined);
  if (!info) throw new SpecError([{ file: shown, line: 1, col: 1, message: "no such spec file or directory" }]);
  if (info.isFile()) return [{ displayPath: shown, layoutPath: undefined, text: await readFile(absolute, "utf8") }];
  return Promise.all(
    (await findSpecs(absolute)).map(async (file) => {
      const displayPath = displayOf(path.relative(cwd, file));
      if (await isSpecDirectory(file)) return { displayPath, layoutPath: file, text: "", parts: await readSpecParts(file, displayPath) };
      return { displayPath, layoutPath: file, text: await readFile(file, "utf8") };
    }),
  );
}

/**
 * The specs at `target` (relative to `cwd`) in revision `rev`. A target the revision does not have
 * gives no specs: every service then counts as added.
 */
export async function readRevision(rev: string, target: string, cwd: string): Promise<SpecText[]> {
  await verifyRevision(rev, cwd);
  const listed = await git(["ls-tree", "-r", "--name-only", rev, "--", target], cwd);
  const names = listed.split("\n").filter((name) => SPEC_FILE.test(name)).sort(byCodePoint);
  // A directory holding openapi.yaml is one multi-file spec (spec/parts.ts): root first, then its parts.
  const specDirs = new Set(names.filter((name) => path.posix.basename(name) === ROOT_FILE).map((name) => path.posix.dirname(name)));
  const texts: SpecText[] = [];
  for (const dir of [...specDirs].sort(byCodePoint)) {
    const files = names.filter((name) => path.posix.dirname(name) === dir && path.posix.basename(name) !== ROOT_FILE);
    const parts: SpecPartText[] = [];
    for (const name of [`${dir}/${ROOT_FILE}`, ...files]) parts.push({ displayPath: `${rev}:${name}`, text: await git(["show", `${rev}:./${name}`], cwd) });
    texts.push({ displayPath: `${rev}:${dir}`, layoutPath: dir, text: "", parts });
  }
  const inSpecDir = (name: string) => [...specDirs].some((dir) => name.startsWith(`${dir}/`));
  for (const name of names.filter((name) => !inSpecDir(name))) {
    const text = await git(["show", `${rev}:./${name}`], cwd);
    texts.push({ displayPath: `${rev}:${name}`, layoutPath: name, text });
  }
  return texts;
}

/**
 * `version` of the package `cwd` belongs to (the nearest package.json above it, as npm finds it) in
 * the working tree, or of the same package.json at `rev`; undefined when there is none.
 */
export async function packageVersion(cwd: string, rev?: string): Promise<string | undefined> {
  const manifest = nearestManifest(cwd);
  if (manifest === undefined) return undefined;
  let text: string | undefined;
  if (rev === undefined) text = await readFile(manifest, "utf8").catch(() => undefined);
  else text = await git(["show", `${rev}:./${displayOf(path.relative(cwd, manifest))}`], cwd).catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const version = (JSON.parse(text) as { version?: unknown }).version;
    return typeof version === "string" ? version : undefined;
  } catch {
    return undefined;
  }
}

function nearestManifest(cwd: string): string | undefined {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (existsSync(manifest)) return manifest;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * The nearest release tag (`v<major>.<minor>.<patch>`, optionally with a pre-release) reachable from
 * HEAD, or why there is none to compare with (no tag yet, not a git work tree, no git).
 */
export async function lastReleaseTag(cwd: string): Promise<{ tag: string } | { none: string }> {
  try {
    await git(["rev-parse", "--verify", "HEAD"], cwd);
  } catch (error) {
    return { none: `no git history here (${(error as Error).message})` };
  }
  let releases: string[];
  try {
    const tags = await git(["tag", "--merged", "HEAD", "--list", "v[0-9]*"], cwd);
    releases = tags.split("\n").filter((tag) => /^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(tag));
  } catch (error) {
    return { none: `the tags cannot be listed (${(error as Error).message})` };
  }
  if (releases.length === 0) return { none: "no release tag (v<major>.<minor>.<patch>) is reachable from HEAD yet" };
  // The nearest of them by history, as `git describe` picks it; a clone too shallow for that falls
  // back to the highest version.
  try {
    const nearest = await git(["describe", "--tags", "--abbrev=0", ...releases.flatMap((tag) => ["--match", tag]), "HEAD"], cwd);
    return { tag: nearest.trim() };
  } catch {
    return { tag: releases.sort((a, b) => compareVersions(parseVersion(b)!, parseVersion(a)!))[0]! };
  }
}

async function verifyRevision(rev: string, cwd: string): Promise<void> {
  if (rev.startsWith("-")) throw new GitError(`"${rev}" is not a revision`);
  await git(["rev-parse", "--verify", "--quiet", `${rev}^{commit}`], cwd).catch(() => {
    throw new GitError(`"${rev}" is not a commit, tag or branch of the repository at ${cwd}`);
  });
}

async function git(args: string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await run("git", args, { cwd, maxBuffer: 256 * 1024 * 1024, encoding: "utf8" });
    return stdout;
  } catch (error) {
    const e = error as { code?: unknown; stderr?: string; message: string };
    if (e.code === "ENOENT") throw new GitError("git is not installed (needed to read a revision)");
    throw new GitError((e.stderr ?? e.message).trim().split("\n")[0] ?? e.message);
  }
}

function displayOf(relative: string): string {
  return relative.split(path.sep).join("/");
}
