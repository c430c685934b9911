/**
 * Stage 1, load: read a spec file and parse it with `yaml`, keeping every node's position so later
 * stages can report `file:line:col` for any JSON pointer. This is one of the two I/O edges.
 *
 * The YAML document becomes plain JSON values here, by our own walk of yaml's nodes rather than
 * `document.toJS()`, so that everything a JSON value cannot hold is a problem at its position:
 * duplicate keys (checked with one Map per mapping, linear where yaml's `uniqueKeys` is quadratic in
 * the size of a mapping), aliases that are undefined, recursive or expand to far more than the file
 * holds, keys that are not scalars, `.nan` and `.inf`, and tags outside YAML's core schema. The file
 * itself must be valid UTF-8.
 */
import { readFile } from "node:fs/promises";
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Alias, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from "yaml";
import { splitPointer } from "../lib/utils.js";
import { SpecError, type SpecProblem } from "./problems.js";

export interface LoadedSpec {
  /** The path reported in messages and generated headers (relative to the working directory). */
  readonly displayPath: string;
  /** The parsed document as plain JSON values (objects and lists may be shared where the YAML uses aliases). */
  readonly value: unknown;
  /**
   * `{ file, line, col }` (1-based) of the node at a JSON pointer, or of its nearest existing
   * ancestor; `file` is the displayed path of the file holding it (a multi-file spec has several).
   */
  readonly positionOf: (pointer: string) => { file: string; line: number; col: number };
  /** The displayed paths of the files the spec was read from, when it has several (spec/parts.ts). */
  readonly files?: readonly string[];
}

/** How many nodes aliases may add to a document beyond those it writes out, at least. */
export const MIN_ALIAS_BUDGET = 10_000;

/**
 * How deep mappings and lists may nest. Far beyond any API (Tencent's definitions nest objects a
 * dozen levels), and shallow enough that no later stage, nor openapi-typescript or Prettier, runs
 * out of stack on what it is given.
 */
export const MAX_NESTING = 100;

export async function loadSpec(file: string, displayPath: string): Promise<LoadedSpec> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "file not found" : code === "EISDIR" ? "is a directory" : (error as Error).message;
    throw new SpecError([{ file: displayPath, line: 1, col: 1, message: `cannot read spec: ${reason}` }]);
  }
  return parseSpec(decodeUtf8(bytes, displayPath), displayPath);
}

/** The bytes as text; every sequence that is not UTF-8 is a problem at its line and column. */
export function decodeUtf8(bytes: Uint8Array, displayPath: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const problems = invalidUtf8Offsets(bytes)
      .slice(0, 20)
      .map((offset) => {
        const lineStart = offset === 0 ? 0 : bytes.lastIndexOf(0x0a, offset - 1) + 1;
        let line = 1;
        for (let i = 0; i < lineStart; i++) if (bytes[i] === 0x0a) line++;
        // Columns count UTF-16 code units, as yaml's positions (and editors' LSP positions) do.
        const col = new TextDecoder().decode(bytes.subarray(lineStart, offset)).length + 1;
        const byte = bytes[offset]!.toString(16).toUpperCase().padStart(2, "0");
        return { file: displayPath, line, col, message: `the spec is not valid UTF-8: byte 0x${byte} does not start or continue a UTF-8 character here` };
      });
    throw new SpecError(problems);
  }
}

/** Offsets of the first byte of every invalid UTF-8 sequence (WHATWG's decoding rules: no overlongs, surrogates or values above U+10FFFF). */
function invalidUtf8Offsets(bytes: Uint8Array): number[] {
  const offsets: number[] = [];
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    let length = 0;
    let low = 0x80;
    let high = 0xbf;
    if (b < 0x80) length = 1;
    else if (b >= 0xc2 && b <= 0xdf) length = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    }
    // The bytes of the sequence that are right so far: an invalid sequence is reported once, from
    // its first byte to the first byte that does not fit ("maximal subpart", as decoders count).
    let fitting = length > 0 ? 1 : 0;
    while (fitting > 0 && fitting < length) {
      const c = bytes[i + fitting];
      if (c === undefined || c < (fitting === 1 ? low : 0x80) || c > (fitting === 1 ? high : 0xbf)) break;
      fitting++;
    }
    if (length === 0 || fitting !== length) offsets.push(i);
    i += Math.max(1, fitting);
  }
  return offsets;
}

/** The pure half of loading: text → LoadedSpec, or a SpecError listing every YAML problem. */
export function parseSpec(text: string, displayPath: string): LoadedSpec {
  const lineCounter = new LineCounter();
  // uniqueKeys is off: duplicate keys are found by JsonConverter, in linear time.
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false, strict: true });
  const problem = (offset: number, message: string): SpecProblem => {
    const pos = lineCounter.linePos(offset);
    return { file: displayPath, line: pos.line, col: pos.col, message };
  };
  const yamlProblems = [...document.errors, ...document.warnings].map((e) => problem(e.pos[0], `YAML: ${firstLine(e.message)}`));
  if (yamlProblems.length > 0) throw new SpecError(yamlProblems);

  const converter = new JsonConverter(document, problem);
  const value = converter.convert();
  if (converter.problems.length > 0) throw new SpecError(converter.problems);

  // Positions are looked up in yaml's nodes, along the same path the JSON value was built on.
  const rootOffset = (document.contents as Node | null)?.range?.[0] ?? 0;
  const positionOf = (pointer: string) => {
    let node = document.contents as Node | null;
    let offset = rootOffset;
    for (const segment of splitPointer(pointer)) {
      node = converter.resolved(node);
      if (isMap(node)) {
        const pair = converter.pairOf(node, segment);
        if (pair === undefined) break;
        offset = valueOffset(pair, node);
        node = pair.value as Node | null;
      } else if (isSeq(node)) {
        const index = /^(0|[1-9][0-9]*)$/.test(segment) ? Number(segment) : -1;
        const item = node.items[index] as Node | null | undefined;
        if (item === undefined) break;
        offset = item?.range?.[0] ?? node.range?.[0] ?? offset;
        node = item;
      } else break;
    }
    const { line, col } = lineCounter.linePos(offset);
    return { file: displayPath, line, col };
  };
  return { displayPath, value, positionOf };
}

/**
 * Where a problem about a member's value is reported: a scalar, alias or flow collection where the
 * value is; a block mapping or list where its key is, since it only starts on the next line.
 */
function valueOffset(pair: Pair, map: YAMLMap): number {
  const keyNode = pair.key as Node | null;
  const valueNode = pair.value as Node | null;
  const keyOffset = keyNode?.range?.[0] ?? map.range?.[0] ?? 0;
  const sameLine = isScalar(valueNode) || isAlias(valueNode) || ((isMap(valueNode) || isSeq(valueNode)) && valueNode.flow === true);
  return sameLine ? (valueNode!.range?.[0] ?? keyOffset) : keyOffset;
}

/** Tags of YAML's core schema: the only ones a spec may write. */
const CORE_TAGS = new Set(["tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"]);

/**
 * yaml's nodes → JSON values. Linear in the size of the document, and lean: it allocates the JSON
 * values and little else, since positions are found in yaml's nodes only when a problem is reported
 * (`pairOf`, `resolved`). Each `node` call leaves the size (in nodes, aliases expanded) and height
 * of what it converted in `size` and `height`, which mappings and lists add up.
 */
class JsonConverter {
  readonly problems: SpecProblem[] = [];
  /** Per mapping, its first pair of each key: built when first needed (a duplicate, a position). */
  private readonly pairIndex = new Map<YAMLMap, Map<string, Pair>>();
  /** The value, size and height of each anchored node, once converted. */
  private readonly converted = new Map<Node, { value: unknown; size: number; height: number }>();
  /** The node each anchor name stands for at this point of the walk (an anchor may be redefined). */
  private readonly anchors = new Map<string, Node>();
  /** Anchored nodes being converted: an alias to one of them is recursive. */
  private readonly open = new Set<Node>();
  private size = 0;
  private height = 0;
  /** Nodes written out (counted at the first alias), and nodes aliases added. */
  private written: number | undefined;
  private aliased = 0;
  /** For `resolved`: yaml's own alias resolution, with its cache of anchors. */
  private readonly aliasContext = {} as Parameters<Alias["resolve"]>[1];

  constructor(
    private readonly document: Document,
    private readonly problem: (offset: number, message: string) => SpecProblem,
  ) {}

  convert(): unknown {
    const root = this.document.contents as Node | null;
    return root === null ? null : this.node(root, 0);
  }

  /** The node an alias stands for (as converted: the last anchor of its name before it); any other node itself. */
  resolved(node: Node | null): Node | null {
    return isAlias(node) ? ((node.resolve(this.document, this.aliasContext) as Node | undefined) ?? null) : node;
  }

  /** The first pair of `map` whose key is `key`, as converted. */
  pairOf(map: YAMLMap, key: string): Pair | undefined {
    let index = this.pairIndex.get(map);
    if (index === undefined) {
      index = new Map();
      for (const pair of map.items) {
        const keyNode = this.resolved(pair.key as Node | null);
        const name = isScalar(keyNode) ? scalarKey(keyNode) : undefined;
        if (name !== undefined && !index.has(name)) index.set(name, pair as Pair);
      }
      this.pairIndex.set(map, index);
    }
    return index.get(key);
  }

  private report(node: Node | null | undefined, message: string): void {
    this.problems.push(this.problem(node?.range?.[0] ?? 0, message));
  }

  private leaf(value: unknown): unknown {
    this.size = 1;
    this.height = 0;
    return value;
  }

  /** The JSON value of a node; its size and height are left in `size` and `height`. */
  private node(node: Node, depth: number): unknown {
    if (isAlias(node)) return this.alias(node, depth);
    if (depth > MAX_NESTING && (isMap(node) || isSeq(node))) {
      this.report(node, `YAML: mappings and lists nest more than ${MAX_NESTING} levels deep here`);
      return this.leaf(null);
    }
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor !== undefined) {
      this.anchors.set(anchor, node);
      this.open.add(node);
    }
    const tag = (node as { tag?: string }).tag;
    let value: unknown;
    if (tag !== undefined && !CORE_TAGS.has(tag)) {
      this.report(node, `YAML: the tag ${tag} is not one of YAML's core schema (str, int, float, bool, null, map, seq); a spec holds JSON values only`);
      value = this.leaf(null);
    } else if (isMap(node)) value = this.map(node, depth);
    else if (isSeq(node)) value = this.seq(node, depth);
    else if (isScalar(node)) value = this.leaf(this.scalar(node));
    else {
      this.report(node, "YAML: not a mapping, list or scalar");
      value = this.leaf(null);
    }
    if (anchor !== undefined) {
      this.open.delete(node);
      this.converted.set(node, { value, size: this.size, height: this.height });
    }
    return value;
  }

  private alias(node: Alias, depth: number): unknown {
    const target = this.anchors.get(node.source);
    if (target === undefined) {
      this.report(node, `YAML: alias *${node.source} refers to no anchor &${node.source} before it`);
      return this.leaf(null);
    }
    if (this.open.has(target)) {
      this.report(node, `YAML: alias *${node.source} is inside the node it refers to; a spec cannot be infinite`);
      return this.leaf(null);
    }
    const done = this.converted.get(target)!;
    this.written ??= countNodes(this.document.contents as Node | null);
    const budget = Math.max(MIN_ALIAS_BUDGET, this.written);
    this.aliased += done.size;
    if (this.aliased > budget) {
      if (this.aliased - done.size <= budget) {
        this.report(node, `YAML: aliases expand this document to more than ${this.written + budget} nodes (it writes out ${this.written}); refusing what looks like an alias bomb`);
      }
      return this.leaf(null);
    }
    if (depth + done.height > MAX_NESTING) {
      this.report(node, `YAML: mappings and lists nest more than ${MAX_NESTING} levels deep where alias *${node.source} is expanded`);
      return this.leaf(null);
    }
    this.size = done.size;
    this.height = done.height;
    return done.value;
  }

  private map(node: YAMLMap, depth: number): unknown {
    const value: Record<string, unknown> = {};
    let size = 1;
    let height = 0;
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      const key = this.key(keyNode);
      const valueNode = pair.value as Node | null;
      const member = valueNode === null ? this.leaf(null) : this.node(valueNode, depth + 1);
      size += this.size;
      height = Math.max(height, this.height + 1);
      if (key === undefined) continue;
      if (Object.hasOwn(value, key)) {
        const first = this.pairOf(node, key)?.key as Node | null | undefined;
        this.report(keyNode, `YAML: Map keys must be unique; "${key}" is already defined at ${this.describe(first?.range?.[0])}`);
        continue;
      }
      // Assignment would set the prototype for "__proto__", which must be an own member like any other.
      if (key === "__proto__") Object.defineProperty(value, key, { value: member, enumerable: true, writable: true, configurable: true });
      else value[key] = member;
    }
    this.size = size;
    this.height = height;
    return value;
  }

  private seq(node: YAMLSeq, depth: number): unknown {
    const value: unknown[] = [];
    let size = 1;
    let height = 0;
    for (const item of node.items) {
      const itemNode = item as Node | null;
      value.push(itemNode === null ? this.leaf(null) : this.node(itemNode, depth + 1));
      size += this.size;
      height = Math.max(height, this.height + 1);
    }
    this.size = size;
    this.height = height;
    return value;
  }

  /** A mapping key as the string JSON would use; undefined (reported) for keys JSON cannot have. */
  private key(keyNode: Node | null): string | undefined {
    const resolved = isAlias(keyNode) ? this.anchors.get(keyNode.source) : keyNode;
    if (!isScalar(resolved)) {
      this.report(keyNode, isAlias(keyNode) && resolved === undefined ? `YAML: alias *${keyNode.source} refers to no anchor before it` : "YAML: a key must be a string (or a number or boolean), not a mapping or list");
      return undefined;
    }
    const key = scalarKey(resolved);
    if (key === undefined) this.report(keyNode, `YAML: the key ${resolved.value === null ? "null (an empty key or ~)" : String(resolved.value)} is not one a JSON object can have`);
    return key;
  }

  private scalar(node: Node & { value: unknown }): unknown {
    const value = node.value;
    if (value === null || typeof value === "string" || typeof value === "boolean") return value;
    if (typeof value === "number") {
      if (Number.isFinite(value)) return value;
      this.report(node, `YAML: ${String(value)} is not a JSON number; a spec holds JSON values only`);
      return null;
    }
    this.report(node, `YAML: a ${typeof value === "object" ? (value as object).constructor?.name ?? "object" : typeof value} is not a JSON value`);
    return null;
  }

  private describe(offset: number | undefined): string {
    const { line, col } = this.problem(offset ?? 0, "");
    return `line ${line}, column ${col}`;
  }
}

/** The key a scalar gives in JSON: strings as they are, finite numbers and booleans as text; undefined for others. */
function scalarKey(scalar: Node & { value: unknown }): string | undefined {
  const key = scalar.value;
  if (typeof key === "string") return key;
  if ((typeof key === "number" && Number.isFinite(key)) || typeof key === "boolean") return String(key);
  return undefined;
}


/** Nodes written out in the document, aliases counted as one. */
function countNodes(root: Node | null): number {
  let count = 0;
  const stack: unknown[] = root === null ? [] : [root];
  while (stack.length > 0) {
    const node = stack.pop();
    count++;
    if (isMap(node)) for (const pair of node.items) stack.push(pair.value ?? null);
    else if (isSeq(node)) for (const item of node.items) stack.push(item);
  }
  return count;
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}
