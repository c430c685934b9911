/**
 * The release a diff needs. From 1.0.0 on: breaking → major, additive → minor, neutral → patch.
 * Before 1.0.0 (`0.x`): breaking → minor, additive and neutral → patch, since npm's caret range
 * `^0.3.1` takes every 0.3.x and nothing else: a breaking change must leave it, an additive one may
 * arrive in it. After a pre-release base (`1.0.0-rc.1`), which promises no compatibility, any later
 * version covers any change. Pure.
 */
import type { ChangeClass } from "./classify.js";

export type Bump = "major" | "minor" | "patch" | "none";

export interface Version {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly prerelease: string | undefined;
}

const LEVEL: Record<Bump, number> = { none: 0, patch: 1, minor: 2, major: 3 };

export const RULES_TEXT =
  "from 1.0.0: breaking → major, additive → minor, neutral → patch; 0.x: breaking → minor, additive or neutral → patch";

/** `1.2.3`, `v1.2.3` or `1.2.3-rc.1` (build metadata ignored); undefined for anything else. */
export function parseVersion(text: string): Version | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(text.trim());
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]), prerelease: match[4] };
}

export function formatVersion(v: Version): string {
  return `${v.major}.${v.minor}.${v.patch}${v.prerelease !== undefined ? `-${v.prerelease}` : ""}`;
}

/** The bump the most severe change needs, for a base version (undefined: the 1.0.0-and-later rule). */
export function requiredBump(worst: ChangeClass | undefined, base: Version | undefined): Bump {
  if (worst === undefined) return "none";
  const stable = base === undefined || base.major > 0;
  if (worst === "breaking") return stable ? "major" : "minor";
  if (worst === "additive") return stable ? "minor" : "patch";
  return "patch";
}

/** Why that bump, in words, e.g. `breaking changes in 0.x → minor`. */
export function bumpReason(worst: ChangeClass | undefined, base: Version | undefined): string {
  if (worst === undefined) return "no changes";
  const what = worst === "breaking" ? "breaking changes" : worst === "additive" ? "additive changes" : "documentation changes only";
  const series = base === undefined ? "" : base.major === 0 ? " in 0.x" : "";
  return `${what}${series} → ${requiredBump(worst, base)}`;
}

/** The smallest version after `base` that the bump allows. */
export function nextVersion(base: Version, bump: Bump): Version {
  if (base.prerelease !== undefined && bump !== "none") return { ...base, prerelease: undefined };
  if (bump === "major") return { major: base.major + 1, minor: 0, patch: 0, prerelease: undefined };
  if (bump === "minor") return { major: base.major, minor: base.minor + 1, patch: 0, prerelease: undefined };
  if (bump === "patch") return { major: base.major, minor: base.minor, patch: base.patch + 1, prerelease: undefined };
  return base;
}

/** Whether going from `base` to `current` is a release of at least `bump`. */
export function covers(base: Version, current: Version, bump: Bump): boolean {
  if (bump === "none") return compareVersions(current, base) >= 0;
  if (base.prerelease !== undefined) return compareVersions(current, base) > 0;
  return compareVersions(current, base) > 0 && LEVEL[bumpBetween(base, current)] >= LEVEL[bump];
}

/** Which number moved first from `base` to `current` (a pre-release of the next version counts as it). */
function bumpBetween(base: Version, current: Version): Bump {
  if (current.major !== base.major) return current.major > base.major ? "major" : "none";
  if (current.minor !== base.minor) return current.minor > base.minor ? "minor" : "none";
  if (current.patch !== base.patch) return current.patch > base.patch ? "patch" : "none";
  return "none";
}

/** Semver precedence: numbers, then a pre-release before its release, pre-release fields compared as semver says. */
export function compareVersions(a: Version, b: Version): number {
  const numbers = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (numbers !== 0) return Math.sign(numbers);
  if (a.prerelease === b.prerelease) return 0;
  if (a.prerelease === undefined) return 1;
  if (b.prerelease === undefined) return -1;
  const x = a.prerelease.split(".");
  const y = b.prerelease.split(".");
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] === undefined) return -1;
    if (y[i] === undefined) return 1;
    const nx = /^\d+$/.test(x[i]!) ? Number(x[i]) : undefined;
    const ny = /^\d+$/.test(y[i]!) ? Number(y[i]) : undefined;
    if (nx !== undefined && ny !== undefined && nx !== ny) return Math.sign(nx - ny);
    if (nx !== undefined && ny === undefined) return -1;
    if (nx === undefined && ny !== undefined) return 1;
    if (x[i]! !== y[i]!) return x[i]! < y[i]! ? -1 : 1;
  }
  return 0;
}
