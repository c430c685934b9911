/** A problem found in a spec, reported as `file:line:col: message` like a compiler would. */
export interface SpecProblem {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly message: string;
}

export function formatProblem(p: SpecProblem): string {
  return `${p.file}:${p.line}:${p.col}: ${p.message}`;
}

/** Thrown by the load and check stages; carries every problem found, not only the first. */
export class SpecError extends Error {
  override readonly name = "SpecError";
  constructor(readonly problems: readonly SpecProblem[]) {
    super(problems.map(formatProblem).join("\n"));
  }
}

/** How a check reports a problem: at a JSON pointer into the spec, which the caller turns into a position. */
export type Report = (pointer: string, message: string) => void;
