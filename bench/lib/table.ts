/** Plain-text tables: the first column left-aligned, the others right-aligned unless told. */

export interface TableOptions {
  /** Columns (by index) to align left; column 0 always is. */
  left?: number[];
}

export function renderTable(header: string[], rows: string[][], options: TableOptions = {}): string {
  const left = new Set([0, ...(options.left ?? [])]);
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ""))));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (left.has(i) ? pad(cell, widths[i]!, "end") : pad(cell, widths[i]!, "start")))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "─".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** Display width: every code point counts one (✓, ✗, µ, × included). */
function width(text: string): number {
  return [...text].length;
}

function pad(text: string, to: number, side: "start" | "end"): string {
  const fill = " ".repeat(Math.max(0, to - width(text)));
  return side === "start" ? fill + text : text + fill;
}
