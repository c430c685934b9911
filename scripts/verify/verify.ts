/**
 * `tcgen verify`'s judgement, pure: a loaded spec against the definitions of its service version.
 * Every action and member is compared (names, types, required, nullability, nesting, constraints
 * the spec adds, status, error codes); differences the spec declares with `x-tc-verify` are not
 * reported, declarations that cover nothing are.
 */
import { buildSpec } from "../import/build-spec.js";
import { CONSTRAINT_KINDS, CONTRACT_KINDS, compareSpecs, type DifferenceKind } from "../import/compare.js";
import { applyDeclarations, findDeclarations, VERIFY_KEY } from "../import/declarations.js";
import type { Definitions } from "../import/definitions.js";
import { type Json } from "../lib/utils.js";
import type { LoadedSpec } from "../spec/load.js";
import type { SpecProblem } from "../spec/problems.js";

/** The kinds verify reports: the contract, and what the spec adds to it. */
export const VERIFIED_KINDS: ReadonlySet<DifferenceKind> = new Set<DifferenceKind>([...CONTRACT_KINDS, ...CONSTRAINT_KINDS]);

export interface VerifyResult {
  /** Each difference (and each bad or stale declaration), in file order, message ending in `[kind]`. */
  readonly problems: readonly SpecProblem[];
  /** Differences the spec declares, with their reasons. */
  readonly declared: readonly { problem: SpecProblem; reason: string }[];
  readonly actions: { readonly spec: number; readonly definitions: number };
}

export function verifySpec(spec: LoadedSpec, definitions: Definitions): VerifyResult {
  const root = spec.value as Json;
  const imported = buildSpec(definitions);
  const differences = compareSpecs(root, imported.value, { actions: imported.actions, complete: true, errors: definitions.errors !== undefined });
  const { declarations, problems: malformed } = findDeclarations(root);
  const sorted = applyDeclarations(differences, declarations);
  const at = (pointer: string, message: string): SpecProblem => ({ ...spec.positionOf(pointer), message });

  const problems: SpecProblem[] = [
    ...sorted.reported.filter((d) => VERIFIED_KINDS.has(d.kind)).map((d) => at(d.pointer, `${d.message} [${d.kind}]`)),
    ...malformed.map((p) => at(p.pointer, `${p.message} [${VERIFY_KEY}]`)),
    ...sorted.stale.map((p) => at(p.pointer, `${p.message} [${VERIFY_KEY}]`)),
  ].sort((a, b) => a.line - b.line || a.col - b.col);
  const declared = sorted.declared
    .filter(({ difference }) => VERIFIED_KINDS.has(difference.kind))
    .map(({ difference, declaration }) => ({ problem: at(difference.pointer, `${difference.message} [${difference.kind}]`), reason: declaration.reason }));
  const paths = root["paths"];
  return {
    problems,
    declared,
    actions: { spec: typeof paths === "object" && paths !== null ? Object.keys(paths).length : 0, definitions: imported.actions.length },
  };
}
