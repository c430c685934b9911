/**
 * Prettier over every generated file, with options fixed here so that the output does not depend on
 * where the generator runs.
 */
import * as prettier from "prettier";

const PRETTIER_OPTIONS: prettier.Options = {
  parser: "typescript",
  printWidth: 110,
  // Fixed here, never read from a config file, so output does not depend on where the generator runs.
  tabWidth: 2,
  useTabs: false,
  semi: true,
  singleQuote: false,
  trailingComma: "all",
  endOfLine: "lf",
};

/**
 * Formatted texts by unformatted text, for generators run many times in one process (tests, the
 * fuzz, watch mode): most files come out the same from one run to the next, and Prettier is pure.
 */
const formatted = new Map<string, string>();
const FORMATTED_ENTRIES = 64;

export async function format(text: string, name: string): Promise<string> {
  if (process.env.TCGEN_RAW) return text;
  const known = formatted.get(text);
  if (known !== undefined) return known;
  try {
    const result = await prettier.format(text, PRETTIER_OPTIONS);
    if (formatted.size >= FORMATTED_ENTRIES) formatted.delete(formatted.keys().next().value!);
    formatted.set(text, result);
    return result;
  } catch (error) {
    // A template produced invalid TypeScript: a generator bug, so say which file and keep the cause.
    throw new Error(`generated ${name} is not valid TypeScript: ${(error as Error).message}`, { cause: error });
  }
}
