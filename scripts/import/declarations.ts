/**
 * Deliberate differences from the definitions, declared in the spec where they are:
 *
 *   x-tc-verify:
 *     ignore: [pattern]
 *     reason: The API page gives the format "ins-xxxxxxxx".
 *
 * A declaration covers the differences of the kinds it names at its own node and anywhere inside
 * it (on a schema: its members too; at the root: the whole spec). One that covers nothing is stale
 * and reported, so declarations do not outlive the difference they explain. Pure.
 */
import { CONSTRAINT_KINDS, CONTRACT_KINDS, MERGE_KINDS, type Difference } from "./compare.js";
import { isObject, joinPointer, type Json } from "../lib/utils.js";

export const VERIFY_KEY = "x-tc-verify";

export interface Declaration {
  /** The node holding `x-tc-verify`. */
  readonly pointer: string;
  readonly kinds: readonly string[];
  readonly reason: string;
}

/** A problem with a declaration itself: malformed, or stale. Reported like a difference. */
export interface DeclarationProblem {
  readonly pointer: string;
  readonly message: string;
}

const KINDS = new Set<string>([...CONTRACT_KINDS, ...CONSTRAINT_KINDS, ...MERGE_KINDS]);

/** Every `x-tc-verify` in the spec (example values are data, not spec, and are skipped). */
export function findDeclarations(spec: Json): { declarations: Declaration[]; problems: DeclarationProblem[] } {
  const declarations: Declaration[] = [];
  const problems: DeclarationProblem[] = [];
  const visit = (node: unknown, pointer: string): void => {
    if (Array.isArray(node)) return node.forEach((item, i) => visit(item, `${pointer}/${i}`));
    if (!isObject(node)) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === VERIFY_KEY) {
        const parsed = parseDeclaration(value, pointer);
        if ("message" in parsed) problems.push(parsed);
        else declarations.push(parsed);
      } else if (key !== "examples" && key !== "example") {
        visit(value, `${pointer}${joinPointer(key)}`);
      }
    }
  };
  visit(spec, "");
  return { declarations, problems };
}

function parseDeclaration(value: unknown, pointer: string): Declaration | DeclarationProblem {
  const at = `${pointer}/${VERIFY_KEY}`;
  const shape = `${VERIFY_KEY} must be { ignore: [<kind>, ...], reason: <why the spec differs> }`;
  if (!isObject(value) || !Array.isArray(value["ignore"]) || value["ignore"].length === 0) return { pointer: at, message: shape };
  const unknown = value["ignore"].filter((k) => typeof k !== "string" || !KINDS.has(k));
  if (unknown.length > 0) {
    return { pointer: `${at}/ignore`, message: `${VERIFY_KEY}: unknown kind(s) ${unknown.map((k) => JSON.stringify(k)).join(", ")}; the kinds are ${[...KINDS].join(", ")}` };
  }
  if (typeof value["reason"] !== "string" || value["reason"].trim() === "") return { pointer: at, message: `${VERIFY_KEY} needs a "reason": why the spec deliberately differs` };
  const extra = Object.keys(value).filter((k) => k !== "ignore" && k !== "reason");
  if (extra.length > 0) return { pointer: `${at}${joinPointer(extra[0]!)}`, message: `${VERIFY_KEY}: unknown key "${extra[0]}"; ${shape}` };
  return { pointer, kinds: value["ignore"] as string[], reason: value["reason"] };
}

export interface Sorted {
  /** Differences no declaration covers. */
  readonly reported: Difference[];
  /** Differences a declaration covers, with it. */
  readonly declared: { difference: Difference; declaration: Declaration }[];
  /** Declared kinds that covered nothing. */
  readonly stale: DeclarationProblem[];
}

export function applyDeclarations(differences: readonly Difference[], declarations: readonly Declaration[]): Sorted {
  const used = new Set<string>();
  const reported: Difference[] = [];
  const declared: Sorted["declared"] = [];
  for (const difference of differences) {
    // The innermost declaration wins, so its reason is the one shown.
    const covering = declarations
      .filter((d) => d.kinds.includes(difference.kind) && within(difference.pointer, d.pointer))
      .sort((a, b) => b.pointer.length - a.pointer.length)[0];
    if (!covering) {
      reported.push(difference);
      continue;
    }
    used.add(`${covering.pointer}\u0000${difference.kind}`);
    declared.push({ difference, declaration: covering });
  }
  const stale: DeclarationProblem[] = [];
  for (const d of declarations) {
    d.kinds.forEach((kind, i) => {
      if (!used.has(`${d.pointer}\u0000${kind}`)) {
        stale.push({ pointer: `${d.pointer}/${VERIFY_KEY}/ignore/${i}`, message: `${VERIFY_KEY} ignores "${kind}" here, but there is no such difference: remove it` });
      }
    });
  }
  return { reported, declared, stale };
}

/** Whether `pointer` is `container` or inside it. */
function within(pointer: string, container: string): boolean {
  return container === "" || pointer === container || pointer.startsWith(`${container}/`);
}
