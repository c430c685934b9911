/**
 * `x-tc-review`: facts a spec states on a default rather than on a source, each with why (the
 * importer writes them; spec/README.md, "Review markers"). The generator reports every entry as a
 * warning at its position until a person has checked the fact and deleted the entry; `tcgen
 * generate --strict` fails on them. Pure.
 */
import { isObject, joinPointer } from "../lib/utils.js";
import type { LoadedSpec } from "../spec/load.js";
import type { SpecProblem } from "../spec/problems.js";

export const REVIEW_KEY = "x-tc-review";

export interface ReviewMarkers {
  /** One per entry: `warning: to review: <fact>: <reason>`. */
  readonly warnings: SpecProblem[];
  /** Malformed markers: errors, like any other spec problem. */
  readonly problems: SpecProblem[];
}

export function reviewMarkers(spec: LoadedSpec): ReviewMarkers {
  const warnings: SpecProblem[] = [];
  const problems: SpecProblem[] = [];
  const at = (pointer: string, message: string, into: SpecProblem[]) => {
    into.push({ ...spec.positionOf(pointer), message });
  };
  const visit = (node: unknown, pointer: string): void => {
    if (Array.isArray(node)) return node.forEach((item, i) => visit(item, `${pointer}/${i}`));
    if (!isObject(node)) return;
    for (const [key, value] of Object.entries(node)) {
      const here = `${pointer}${joinPointer(key)}`;
      if (key === REVIEW_KEY) {
        if (!Array.isArray(value)) {
          at(here, `${REVIEW_KEY} must be a list of { fact, reason }`, problems);
          continue;
        }
        value.forEach((entry: unknown, i: number) => {
          const fact = isObject(entry) ? entry["fact"] : undefined;
          const reason = isObject(entry) ? entry["reason"] : undefined;
          if (typeof fact !== "string" || fact.trim() === "" || typeof reason !== "string" || reason.trim() === "") {
            at(`${here}/${i}`, `each ${REVIEW_KEY} entry needs a "fact" (what to check) and a "reason" (why it is not certain)`, problems);
          } else {
            at(`${here}/${i}`, `warning: to review: ${fact}: ${reason.replace(/\s+/g, " ").trim()}`, warnings);
          }
        });
      } else if (key !== "examples" && key !== "example") {
        visit(value, here);
      }
    }
  };
  visit(spec.value, "");
  return { warnings, problems };
}
