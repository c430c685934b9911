/**
 * A CHANGELOG.md entry for a release from a diff, and merging it into an existing changelog: a new
 * version goes on top (under the title), an entry for the same version is replaced, so running the
 * command again after more spec edits keeps one entry per version. Pure: text in, text out.
 */
import type { Change, DiffResult } from "./change.js";
import type { ChangeClass } from "./classify.js";
import { count, summary } from "./render.js";

const TITLE = "# Changelog";
const HEADINGS: Record<ChangeClass, string> = { breaking: "Breaking", additive: "Added", neutral: "Documentation" };

export interface EntryFacts {
  readonly version: string;
  /** `YYYY-MM-DD`. */
  readonly date: string;
  /** What the changes are counted from, e.g. `v0.1.0`. */
  readonly since: string;
}

export function renderEntry(result: DiffResult, facts: EntryFacts): string {
  const lines = [`## ${facts.version} (${facts.date})`, "", `Spec changes since ${facts.since}: ${summary(count(result.changes))} (\`tcgen diff\`).`];
  for (const cls of ["breaking", "additive", "neutral"] as const) {
    const changes = result.changes.filter((c) => c.class === cls);
    if (changes.length === 0) continue;
    lines.push("", `### ${HEADINGS[cls]}`, "");
    for (const change of changes) lines.push(entryLine(change, result.services.length > 1));
  }
  return lines.join("\n") + "\n";
}

function entryLine(change: Change, withService: boolean): string {
  const service = withService ? `${change.service}: ` : "";
  const affects = change.class === "neutral" || change.affects.length === 0 ? "" : ` (affects ${change.affects.map((n) => `\`${n}\``).join(", ")})`;
  return `- ${service}\`${change.subject}\`: ${escapeMarkdown(change.detail)}${affects}`;
}

/** Details quote spec text (patterns, values): keep Markdown from reading it as emphasis or HTML. */
function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_<>[\]|])/g, "\\$1");
}

/** `existing` (or a new changelog) with `entry` for `version` on top, replacing an entry of the same version. */
export function mergeEntry(existing: string | undefined, entry: string, version: string): string {
  const text = existing ?? `${TITLE}\n`;
  const sections = splitSections(text);
  const heading = new RegExp(`^## \\[?${version.replace(/[.+]/g, "\\$&")}\\]?(\\s|$)`);
  const kept = sections.entries.filter((section) => !heading.test(section));
  return [sections.preamble.trimEnd(), entry.trimEnd(), ...kept.map((s) => s.trimEnd())].join("\n\n") + "\n";
}

/** The text before the first `## ` heading, and each `## ` section. */
function splitSections(text: string): { preamble: string; entries: string[] } {
  const lines = text.split("\n");
  const first = lines.findIndex((line) => line.startsWith("## "));
  if (first < 0) return { preamble: text, entries: [] };
  const entries: string[] = [];
  let current: string[] = [];
  for (const line of lines.slice(first)) {
    if (line.startsWith("## ") && current.length > 0) {
      entries.push(current.join("\n"));
      current = [];
    }
    current.push(line);
  }
  if (current.length > 0) entries.push(current.join("\n"));
  return { preamble: lines.slice(0, first).join("\n"), entries };
}
