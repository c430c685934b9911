/**
 * Adding YAML to a hand-written file without touching a byte of what is there: new entries are
 * spliced in as text at the end of the mapping or list they belong to, at its indentation. (The
 * `yaml` Document API would re-flow folded texts and flow lists when writing the whole file back.)
 * Pure: the original text and its parsed document in, insertions out.
 */
import { isMap, isScalar, isSeq, type Document, type Node, type ParsedNode } from "yaml";
import { splitPointer } from "../lib/utils.js";

export interface Insertion {
  readonly offset: number;
  readonly text: string;
}

/** Where an entry goes and how deep: `text` is built by the caller at `indent`. */
export interface Slot {
  readonly offset: number;
  readonly indent: number;
  /** The text before the entry: a newline when the container ends without one, or when replacing `{}`. */
  readonly prefix: string;
  /** Characters to drop at `offset` (an empty flow `{}` being replaced by a block mapping). */
  readonly replace: number;
}

/** The node at a JSON pointer in a parsed document. */
export function nodeAt(doc: Document.Parsed, pointer: string): ParsedNode | null | undefined {
  let node: unknown = doc.contents;
  for (const segment of splitPointer(pointer)) {
    if (isMap(node)) node = node.items.find((p) => isScalar(p.key) && String(p.key.value) === segment)?.value;
    else if (isSeq(node)) node = node.items[Number(segment)];
    else return undefined;
  }
  return node as ParsedNode | null | undefined;
}

/**
 * Where a new `key: value` goes in the block mapping at `pointer`: after its last entry, at the
 * column of its keys. An empty `{}` is replaced. `undefined` for a non-empty flow mapping.
 */
export function mapSlot(text: string, doc: Document.Parsed, pointer: string, parentIndent: number): Slot | undefined {
  const node = nodeAt(doc, pointer);
  if (!isMap(node)) return undefined;
  if (node.flow) {
    if (node.items.length > 0) return undefined;
    return { offset: node.range[0], indent: parentIndent + 2, prefix: "\n", replace: node.range[1] - node.range[0] };
  }
  const first = node.items[0]!;
  const last = node.items[node.items.length - 1]!;
  const end = ((last.value as Node | null) ?? (last.key as Node)).range![1];
  return { ...afterLine(text, end), indent: columnOf(text, (first.key as Node).range![0]), replace: 0 };
}

/** Where a new item goes in the block list at `pointer`: after its last item, at its dash's column. */
export function seqSlot(text: string, doc: Document.Parsed, pointer: string): Slot | undefined {
  const node = nodeAt(doc, pointer);
  if (!isSeq(node) || node.flow || node.items.length === 0) return undefined;
  const first = node.items[0] as Node;
  const last = node.items[node.items.length - 1] as Node;
  const lineStart = text.lastIndexOf("\n", first.range![0] - 1) + 1;
  const dash = text.indexOf("-", lineStart);
  return { ...afterLine(text, last.range![1]), indent: dash - lineStart, replace: 0 };
}

/** A scalar appended to the flow list at `pointer` (`required: [A, B]` → `[A, B, C]`). */
export function flowSeqAppend(text: string, doc: Document.Parsed, pointer: string, item: string): Insertion | undefined {
  const node = nodeAt(doc, pointer);
  if (!isSeq(node) || !node.flow) return undefined;
  const close = text.lastIndexOf("]", node.range[1]);
  if (close < node.range[0]) return undefined;
  return { offset: close, text: node.items.length > 0 ? `, ${item}` : item };
}

/** The column (0-based) of the key or item starting at `offset`. */
export function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf("\n", offset - 1) + 1);
}

/** The start of the line after the content ending at `end` (trailing comments on that line included). */
function afterLine(text: string, end: number): { offset: number; prefix: string } {
  let i = end;
  while (i > 0 && /\s/.test(text[i - 1]!)) i--;
  const newline = text.indexOf("\n", i);
  return newline < 0 ? { offset: text.length, prefix: "\n" } : { offset: newline + 1, prefix: "" };
}

/** The insertions applied; several at one offset keep their order. */
export function applyInsertions(text: string, insertions: readonly (Insertion & { replace?: number })[]): string {
  const ordered = insertions.map((ins, i) => ({ ...ins, i })).sort((a, b) => b.offset - a.offset || b.i - a.i);
  let out = text;
  for (const ins of ordered) out = out.slice(0, ins.offset) + ins.text + out.slice(ins.offset + (ins.replace ?? 0));
  return out;
}
