/**
 * The diff for people (grouped by class, one line per change and its affected names) and for
 * programs (`--json`, a stable shape documented in the README). Pure: text out.
 */
import type { Change, DiffResult } from "./change.js";
import type { ChangeClass } from "./classify.js";
import type { Release } from "./release.js";

const CLASSES: readonly ChangeClass[] = ["breaking", "additive", "neutral"];

export function renderText(result: DiffResult, release: Release): string {
  const lines: string[] = [`tcgen diff: ${result.oldLabel} → ${result.newLabel}`];
  for (const s of result.services) {
    const counts = count(result.changes.filter((c) => c.service === s.service));
    const versions = s.oldVersion === s.newVersion ? s.newVersion : `${s.oldVersion ?? "(none)"} → ${s.newVersion ?? "(none)"}`;
    lines.push(`  ${s.service} ${versions}: ${summary(counts)}`);
  }
  for (const cls of CLASSES) {
    const changes = result.changes.filter((c) => c.class === cls);
    if (changes.length === 0) continue;
    lines.push("", `${cls} (${changes.length})`);
    for (const change of changes) lines.push(...changeLines(change));
  }
  lines.push("", releaseLine(release));
  return lines.join("\n") + "\n";
}

function changeLines(change: Change): string[] {
  const where = `${change.location.file}:${change.location.line}:${change.location.col}`;
  const lines = [`  ${where}  ${change.subject}: ${change.detail}`];
  if (change.class === "neutral") return lines;
  const facts = [change.kind, ...(change.direction !== undefined && change.direction !== "unused" ? [`in ${change.direction === "both" ? "requests and answers" : change.direction + "s"}`] : [])];
  lines.push(`      ${facts.join(", ")}; affects ${change.affects.join(", ")}`);
  if (change.note !== undefined) lines.push(`      note: ${change.note}`);
  return lines;
}

export function releaseLine(release: Release): string {
  if (release.worst === undefined) return "release: no spec changes, no new version needed";
  const needs = release.next !== undefined ? `${release.base!.version} → ${release.next} or later` : `a ${release.bump} release`;
  let line = `release: ${release.reason}: ${needs} (${release.rules})`;
  if (release.current !== undefined && release.covered !== undefined) {
    line += release.covered
      ? `\n         package.json's version ${release.current} covers it`
      : `\n         package.json's version ${release.current} does not cover it: set it to ${release.next} or later`;
  }
  return line;
}

export function renderJson(result: DiffResult, release: Release): string {
  return JSON.stringify({ old: result.oldLabel, new: result.newLabel, services: result.services, summary: count(result.changes), release, changes: result.changes }, null, 2) + "\n";
}

export function count(changes: readonly Change[]): Record<ChangeClass, number> {
  const counts: Record<ChangeClass, number> = { breaking: 0, additive: 0, neutral: 0 };
  for (const change of changes) counts[change.class]++;
  return counts;
}

export function summary(counts: Record<ChangeClass, number>): string {
  const total = counts.breaking + counts.additive + counts.neutral;
  return total === 0 ? "no changes" : CLASSES.map((c) => `${counts[c]} ${c}`).join(", ");
}
