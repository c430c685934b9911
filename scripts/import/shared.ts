/**
 * The leaf module of `tcgen import` and `tcgen verify`: what every other module of both stages uses
 * besides the generator's shared helpers (scripts/lib/utils.ts): reading JSON text with positions,
 * and the error for bad definitions. It imports nothing from either stage.
 */
import { isObject, type Json } from "../lib/utils.js";

/** A problem in one of Tencent's definition files: the file, and a JSON pointer or a position. */
export interface DefinitionsProblem {
  readonly file: string;
  /** RFC 6901 pointer of the offending value ("" for the whole document). */
  readonly pointer?: string;
  /** 1-based position, for text that is not JSON at all. */
  readonly line?: number;
  readonly col?: number;
  readonly message: string;
}

export function formatDefinitionsProblem(p: DefinitionsProblem): string {
  if (p.line !== undefined) return `${p.file}:${p.line}:${p.col ?? 1}: ${p.message}`;
  return `${p.file}: ${p.pointer === undefined || p.pointer === "" ? "(document)" : p.pointer}: ${p.message}`;
}

/** Bad input in the definitions: every problem found, each naming its file and JSON pointer. */
export class DefinitionsError extends Error {
  override readonly name = "DefinitionsError";
  constructor(readonly problems: readonly DefinitionsProblem[]) {
    super(problems.map(formatDefinitionsProblem).join("\n"));
  }
}

/** Marks a BigInt while parsing: JSON.parse cannot return one, so such numbers travel as strings. */
const BIG_INTEGER = "\u0000tcgen-bigint:";

/**
 * `JSON.parse`, except that an integer too large for a double (an int64 ID, say) becomes a BigInt
 * instead of a rounded number, and a syntax error names the file, line and column.
 */
export function parseJsonText(text: string, file: string): unknown {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(quoteUnsafeIntegers(source));
  } catch {
    // Parse the text as given for the message, so that the position is the file's own.
    let message = "unexpected end of input";
    try {
      JSON.parse(source);
    } catch (error) {
      message = (error as Error).message;
    }
    const at = /position (\d+)/.exec(message);
    const offset = at ? Number(at[1]) : /end of JSON input/.test(message) ? source.length : 0;
    const { line, col } = linePos(source, offset);
    const reason = message.replace(/ in JSON at position \d+.*$/s, "").replace(/, ".*" is not valid JSON$/s, "");
    throw new DefinitionsError([{ file, line, col, message: `not valid JSON: ${reason.slice(0, 200)}` }]);
  }
  return reviveBigIntegers(parsed);
}

/** Rewrites integer literals outside the safe range as marked strings; leaves everything else. */
function quoteUnsafeIntegers(text: string): string {
  if (!/\d{16}/.test(text)) return text;
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === "-" || (c >= "0" && c <= "9")) {
      const match = /^-?\d+(\.\d+)?([eE][-+]?\d+)?/.exec(text.slice(i, i + 400));
      if (!match) {
        out += c;
        i++;
        continue;
      }
      const literal = match[0];
      const isInteger = match[1] === undefined && match[2] === undefined;
      // Written as the JSON escape \u0000, which JSON.parse turns into the marker's first character.
      out += isInteger && !Number.isSafeInteger(Number(literal)) ? `"\\u0000${BIG_INTEGER.slice(1)}${literal}"` : literal;
      i += Math.max(literal.length, 1);
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function reviveBigIntegers(value: unknown): unknown {
  if (typeof value === "string") return value.startsWith(BIG_INTEGER) ? BigInt(value.slice(BIG_INTEGER.length)) : value;
  if (Array.isArray(value)) return value.map(reviveBigIntegers);
  if (isObject(value)) {
    const out: Json = {};
    for (const [k, v] of Object.entries(value)) out[k] = reviveBigIntegers(v);
    return out;
  }
  return value;
}

/** 1-based line and column of a character offset. */
export function linePos(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, col: before[before.length - 1]!.length + 1 };
}

