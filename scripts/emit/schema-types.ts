/**
 * `schema.ts`: the TypeScript types of the spec's schemas, by openapi-typescript (with the int64
 * members typed by scripts/emit/int64-type.ts), laid out as Prettier would lay them out.
 */
import openapiTS, { astToString } from "openapi-typescript";
import { int64Type } from "./int64-type.js";
import { fitsLine, topLevelUnion } from "./layout.js";
import { preferredQuotes } from "./spec-text.js";

/** The text of `schema.ts`, under `header`. */
export async function emitSchemaTypes(specValue: unknown, header: string): Promise<string> {
  // openapi-typescript may annotate what it is given; hand it a copy.
  const ast = await openapiTS(structuredClone(specValue) as Parameters<typeof openapiTS>[0], { silent: true, transform: int64Type });
  return `${header}\n${layOutPrinted(astToString(ast))}`;
}

/**
 * TypeScript's printer (what `astToString` uses) indents by 4 spaces and never breaks a line; the
 * rest of its output is already what Prettier writes for these declarations. So: 2 spaces per level
 * (the lines of a doc comment starting with `*` one column in from its `/**`), string literals quoted
 * as Prettier quotes them, and a member typed by a union that does not fit written as Prettier writes
 * it: the type on the next line, then one member per line if needed.
 */
export function layOutPrinted(text: string): string {
  const lines = text.split("\n");
  const out: string[] = [];
  /** The indentation of the doc comment the line is in, when it is in one. */
  let commentDepth: number | undefined;
  for (const printed of lines) {
    let spaces = 0;
    while (printed.charCodeAt(spaces) === 32) spaces++;
    const content = printed.slice(spaces);
    if (commentDepth !== undefined) {
      // Inside a doc comment, Prettier aligns every line starting with `*` one column in from `/**`.
      out.push(content.startsWith("*") ? " ".repeat(commentDepth + 1) + content : printed);
      if (content.includes("*/")) commentDepth = undefined;
      continue;
    }
    const depth = spaces / 2;
    const lineText = " ".repeat(depth) + (content.includes('\\"') ? requoted(content) : content);
    if (content.startsWith("/**") && !content.includes("*/")) commentDepth = depth;
    out.push(fitsLine(lineText, 0) || content.startsWith("/**") ? lineText : unionMember(lineText, depth));
  }
  return out.join("\n");
}

/** The string literals of a line of types, quoted as Prettier quotes them. */
function requoted(content: string): string {
  return content.replace(/"(?:[^"\\]|\\.)*"/g, preferredQuotes);
}

/** `name: A | B;` too long for its line: `name:` then the union indented, on one line or one member per line. */
function unionMember(lineText: string, depth: number): string {
  const match = /^(\s*)((?:"(?:[^"\\]|\\.)*"|[\w$]+)\??): (.*);$/.exec(lineText);
  if (match === null) return lineText;
  const members = topLevelUnion(match[3]!);
  if (members.length < 2) return lineText;
  const inner = " ".repeat(depth + 2);
  const oneLine = `${inner}${members.join(" | ")};`;
  if (fitsLine(oneLine, 0)) return `${match[1]}${match[2]}:\n${oneLine}`;
  return `${match[1]}${match[2]}:\n${members.map((member) => `${inner}| ${member}`).join("\n")};`;
}
