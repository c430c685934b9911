/** The corpus of bad and hostile specs under test/fixtures/corpus (its README describes it). */
import { readFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "./support/helpers.js";

export const corpusDir = path.join(repoRoot, "test/fixtures/corpus");

export interface CorpusCase {
  /** yaml, utf8, structure, servers, names, patterns, injection or accepted. */
  readonly kind: string;
  readonly note: string;
  /** `<case>/<service>/<version>.yaml`, under corpusDir. */
  readonly spec: string;
  readonly accepted?: true;
  /** Accepted, and carrying text that would run as code if it escaped its literal or comment. */
  readonly payload?: boolean;
  /** Refused: every problem, at its line and column, with a part of its message. */
  readonly problems?: readonly { line: number; col: number; message: string }[];
  /** Generated with schemas renamed (scripts/model/names.ts): the note of every rename, at its line and column, with a part of its message. */
  readonly renamed?: readonly { line: number; col: number; message: string }[];
}

export function corpusCases(): [string, CorpusCase][] {
  return Object.entries(JSON.parse(readFileSync(path.join(corpusDir, "expected.json"), "utf8")) as Record<string, CorpusCase>);
}
