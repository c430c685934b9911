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
