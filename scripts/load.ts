/**
 * Stage 1, load: read a spec file and parse it with `yaml`, keeping every node's position so later
 * stages can report `file:line:col` for any JSON pointer. This is one of the two I/O edges.
 */
import { readFile } from "node:fs/promises";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import { SpecError, type SpecProblem } from "./problems.js";

export interface LoadedSpec {
  /** The path reported in messages and generated headers (relative to the working directory). */
  readonly displayPath: string;
  /** The parsed document as plain JSON values. */
  readonly value: unknown;
  /** `{ line, col }` (1-based) of the node at a JSON pointer, or of its nearest existing ancestor. */
  readonly positionOf: (pointer: string) => { line: number; col: number };
}

export async function loadSpec(file: string, displayPath: string): Promise<LoadedSpec> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "file not found" : String(error);
    throw new SpecError([{ file: displayPath, line: 1, col: 1, message: `cannot read spec: ${reason}` }]);
  }
  return parseSpec(text, displayPath);
}

/** The pure half of loading: text → LoadedSpec, or a SpecError listing every YAML problem. */
export function parseSpec(text: string, displayPath: string): LoadedSpec {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const problems: SpecProblem[] = [...document.errors, ...document.warnings].map((e) => {
    const pos = lineCounter.linePos(e.pos[0]);
    return { file: displayPath, line: pos.line, col: pos.col, message: `YAML: ${firstLine(e.message)}` };
  });
  if (problems.length > 0) throw new SpecError(problems);

  const value = document.toJS({ maxAliasCount: 100 }) as unknown;
  const positionOf = (pointer: string) => {
    let node: unknown = document.contents;
    let offset = (document.contents as Node | null)?.range?.[0] ?? 0;
    for (const segment of splitPointer(pointer)) {
      const next = childOf(node, segment);
      if (next === undefined) break;
      node = next.node;
      offset = next.offset ?? offset;
    }
    return lineCounter.linePos(offset);
  };
  return { displayPath, value, positionOf };
}

/** Splits an RFC 6901 JSON pointer into its unescaped segments. */
export function splitPointer(pointer: string): string[] {
  if (pointer === "" || pointer === "#") return [];
  return pointer
    .replace(/^#/, "")
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** Joins segments into an RFC 6901 JSON pointer. */
export function joinPointer(...segments: (string | number)[]): string {
  return segments.map((s) => "/" + String(s).replace(/~/g, "~0").replace(/\//g, "~1")).join("");
}

function childOf(node: unknown, segment: string): { node: unknown; offset: number | undefined } | undefined {
  if (isMap(node)) {
    const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === segment);
    if (!pair) return undefined;
    const valueNode = pair.value as Node | null;
    const keyOffset = (pair.key as Node | null)?.range?.[0];
    // A scalar or flow collection is reported where the value is; a block mapping or list where its
    // key is, since it only starts on the next line.
    const sameLine = isScalar(valueNode) || ((isMap(valueNode) || isSeq(valueNode)) && valueNode.flow === true);
    return { node: valueNode, offset: sameLine ? valueNode?.range?.[0] : keyOffset ?? valueNode?.range?.[0] };
  }
  if (isSeq(node)) {
    const item = node.items[Number(segment)] as Node | undefined;
    return item === undefined ? undefined : { node: item, offset: item.range?.[0] };
  }
  return undefined;
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}
