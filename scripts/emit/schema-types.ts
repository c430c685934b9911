/**
 * `schema.ts`: the TypeScript types of the spec's schemas, by openapi-typescript (with the int64
 * members typed by scripts/emit/int64-type.ts), laid out as Prettier would lay them out.
 */
import openapiTS, { astToString } from "openapi-typescript";
import { int64Type } from "./int64-type.js";
import { fitsLine, topLevelUnion } from "./layout.js";

/** The text of `schema.ts`, under `header`. */
export async function emitSchemaTypes(specValue: unknown, header: string): Promise<string> {
  // openapi-typescript may annotate what it is given; hand it a copy.
  const ast = await openapiTS(structuredClone(specValue) as Parameters<typeof openapiTS>[0], { silent: true, transform: int64Type });
  return `${header}\n${layOutPrinted(astToString(ast))}`;
}

/**
 * TypeScript's printer (what `astToString` uses) indents by 4 spaces and never breaks a line; the
 * rest of its output is already what Prettier writes for these declarations. So: 2 spaces per level
 * (the lines of a doc comment keep their ` *` one column in), and a member typed by a union that does
 * not fit written as Prettier writes it: the type on the next line, then one member per line if
 * needed.
 */
export function layOutPrinted(text: string): string {
  const lines = text.split("\n");
  const out: string[] = [];
  for (const printed of lines) {
    let spaces = 0;
    while (printed.charCodeAt(spaces) === 32) spaces++;
    const inComment = printed.charCodeAt(spaces) === 42 /* * */ && spaces % 2 === 1;
    const depth = inComment ? (spaces - 1) / 2 + 1 : spaces / 2;
    const lineText = spaces === 0 ? printed : " ".repeat(depth) + printed.slice(spaces);
    out.push(fitsLine(lineText, 0) || inComment ? lineText : unionMember(lineText, depth));
  }
  return out.join("\n");
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
