/**
 * What the bundled command gets for `import * as prettier from "prettier"` (scripts/package/cli.ts):
 * Prettier's standalone build with the two plugins that format TypeScript. Prettier's Node entry
 * loads every built-in language's plugin (about 5 MB minified); the generator formats TypeScript only,
 * and the standalone `format` with these plugins prints exactly what the Node entry prints.
 */
import type { Options } from "prettier";
import * as estree from "prettier/plugins/estree";
import * as typescript from "prettier/plugins/typescript";
import { format as formatStandalone } from "prettier/standalone";

export type { Options };

export function format(text: string, options: Options): Promise<string> {
  return formatStandalone(text, { ...options, plugins: [estree, typescript] });
}
