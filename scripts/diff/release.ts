/**
 * What a diff means for the package's version: the bump it needs, the smallest version that has it,
 * and whether package.json's version covers it. Pure.
 */
import type { DiffResult } from "./change.js";
import { overall, type ChangeClass } from "./classify.js";
import { bumpReason, covers, formatVersion, nextVersion, parseVersion, requiredBump, RULES_TEXT, type Bump } from "./semver.js";

export interface Release {
  readonly worst: ChangeClass | undefined;
  readonly bump: Bump;
  /** `breaking changes in 0.x → minor`. */
  readonly reason: string;
  readonly rules: string;
  /** The released version compared with, and where it was read (`v0.1.0`). */
  readonly base?: { readonly version: string; readonly from: string };
  /** The smallest version that covers the changes. */
  readonly next?: string;
  /** package.json's version, and whether it covers the changes. */
  readonly current?: string;
  readonly covered?: boolean;
}

export interface VersionFacts {
  readonly baseVersion?: string;
  /** Where the base version was read, e.g. the tag. */
  readonly baseFrom?: string;
  readonly currentVersion?: string;
}

export function assessRelease(result: DiffResult, facts: VersionFacts): Release {
  const worst = overall(result.changes.map((c) => c.class));
  const base = facts.baseVersion !== undefined ? parseVersion(facts.baseVersion) : undefined;
  const current = facts.currentVersion !== undefined ? parseVersion(facts.currentVersion) : undefined;
  // Without a released version, the package's own version says which series (0.x or not) applies.
  const series = base ?? current;
  const bump = requiredBump(worst, series);
  return {
    worst,
    bump,
    reason: bumpReason(worst, series),
    rules: RULES_TEXT,
    ...(base ? { base: { version: formatVersion(base), from: facts.baseFrom ?? formatVersion(base) }, next: formatVersion(nextVersion(base, bump)) } : {}),
    ...(current ? { current: formatVersion(current) } : {}),
    ...(base && current ? { covered: covers(base, current, bump) } : {}),
  };
}
