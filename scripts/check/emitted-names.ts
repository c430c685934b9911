/**
 * Part of stage 4, emit: the names in the code just emitted, read back from it with TypeScript's
 * parser. What the templates and emitters declare is therefore known from the emitted files
 * themselves, never from a list kept by hand. Every clash is found here, before anything is written:
 *
 * - a module declaring or importing a name twice (a schema named `CallOptions` next to the runtime's
 *   import, `validateFoo` next to the validator of `Foo`, two enums both named `AB`);
 * - `index.ts` exporting one name from two places, which TypeScript either refuses or resolves
 *   silently in favour of one (a schema type exported in place of the enum object of the same name);
 * - a declaration that shadows a global of the JavaScript library (`Promise`, `Record`, `Error`);
 * - an interface, type or object literal with two members of one name, and an object literal member
 *   written `__proto__:`, which would set the prototype instead.
 *
 * A clash of a schema's name, or of a name derived from it, is resolved by renaming the schema's
 * TypeScript name (scripts/model/names.ts, `schemaRenames`: the generator emits again with the new
 * names, `takenNames` telling it which are taken). Any other clash of a name derived from the spec
 * is a problem at the spec node that gave it (scripts/model/names.ts records them); a clash between
 * tcgen's own names is a bug of tcgen.
 */
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import ts from "typescript";
import type { NameOrigins } from "../model/names.js";
import { internalImportOf } from "../lib/runtime-imports.js";

export interface NameClash {
  readonly name: string;
  /** `<service>/<file>` where it was found. */
  readonly file: string;
  /** What is wrong, as a clause following the name: "is declared twice in the generated client.ts: …". */
  readonly reason: string;
  /** The spec nodes that gave the name; empty when only tcgen's own names clash. */
  readonly pointers: readonly string[];
  /** A declaration, import or export that another name would end; false for two members of one interface or object. */
  readonly renamable: boolean;
}

type Meaning = "value" | "type" | "both" | "import";

interface Declaration {
  readonly meaning: Meaning;
  readonly what: string;
}

interface ModuleNames {
  readonly declarations: Map<string, Declaration[]>;
  /** Exported name → where each export of it comes from: "local" (once for all local declarations), or each export specifier. */
  readonly exports: Map<string, string[]>;
  /** `export * from "<specifier>"`. */
  readonly stars: string[];
}

/** Only names are read here, never doc comments: not parsing them takes a third off the parse. */
const NAMES_ONLY: ts.CreateSourceFileOptions = { languageVersion: ts.ScriptTarget.ES2022, jsDocParsingMode: ts.JSDocParsingMode.ParseNone };

/** Every clash in the files of one service (`<service>/<file>` → text). */
export function findNameClashes(files: ReadonlyMap<string, string>, origins: NameOrigins, runtimeImport: string): NameClash[] {
  const clashes: NameClash[] = [];
  const modules = new Map<string, ModuleNames>();
  const clash = (name: string, file: string, reason: string, renamable = true) =>
    clashes.push({
      name,
      file,
      // Both entries of the runtime (public and internal) are "tcgen's runtime" to the spec's author.
      reason: reason.replaceAll(JSON.stringify(internalImportOf(runtimeImport)), "tcgen's runtime").replaceAll(JSON.stringify(runtimeImport), "tcgen's runtime"),
      pointers: origins.of(name),
      renamable,
    });
  const globals = libraryGlobals();

  for (const [file, text] of files) {
    if (!file.endsWith(".ts")) continue;
    const source = ts.createSourceFile(file, text, NAMES_ONLY, false, ts.ScriptKind.TS);
    const names = moduleNames(source);
    modules.set(file, names);
    const shown = `the generated ${file.split("/").pop()}`;
    for (const [name, declarations] of names.declarations) {
      const values = declarations.filter((d) => d.meaning === "value" || d.meaning === "both").length;
      const types = declarations.filter((d) => d.meaning === "type" || d.meaning === "both").length;
      const imports = declarations.filter((d) => d.meaning === "import").length;
      if (imports > 0 ? declarations.length > 1 : values > 1 || types > 1) clash(name, file, `is declared twice in ${shown}: ${listed(declarations.map((d) => d.what))}`);
      if (globals.has(name)) clash(name, file, `would hide the JavaScript global ${name} in ${shown} (${declarations[0]!.what})`);
    }
    memberClashes(source, (name, what) => clash(name, file, `${what} in ${shown}`, false));
  }

  // What each module exports, `export *` followed into the sibling modules.
  const exportsOf = (file: string, seen = new Set<string>()): Map<string, string[]> => {
    const names = modules.get(file);
    const all = new Map<string, string[]>();
    if (names === undefined || seen.has(file)) return all;
    seen.add(file);
    const add = (name: string, from: string) => all.set(name, [...(all.get(name) ?? []), from]);
    for (const [name, sources] of names.exports) for (const from of sources) add(name, from);
    for (const specifier of names.stars) {
      const sibling = siblingModule(file, specifier);
      if (sibling === undefined) continue;
      for (const name of exportsOf(sibling, seen).keys()) if (name !== "default") add(name, `export * from ${JSON.stringify(specifier)}`);
    }
    return all;
  };
  for (const file of modules.keys()) {
    for (const [name, sources] of exportsOf(file)) {
      if (sources.length > 1) clash(name, file, `is exported twice by the generated ${file.split("/").pop()}: ${[...sources].map((from) => (from === "local" ? "by its own declaration" : `by ${from}`)).join(" and ")}`);
    }
  }
  return clashes;
}

/**
 * Every name a new module-level name of one service's generated code must avoid: those its files
 * declare, import or export, and the JavaScript globals.
 */
export function takenNames(files: ReadonlyMap<string, string>): Set<string> {
  const names = new Set<string>(libraryGlobals());
  for (const [file, text] of files) {
    if (!file.endsWith(".ts")) continue;
    const { declarations, exports } = moduleNames(ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS));
    for (const name of [...declarations.keys(), ...exports.keys()]) names.add(name);
  }
  return names;
}

/** "a, b and c". */
function listed(items: readonly string[]): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

function siblingModule(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith("./")) return undefined;
  return `${path.posix.dirname(file)}/${specifier.slice(2).replace(/\.js$/, ".ts")}`;
}

function moduleNames(source: ts.SourceFile): ModuleNames {
  const declarations = new Map<string, Declaration[]>();
  const exports = new Map<string, string[]>();
  const stars: string[] = [];
  const declare = (name: string, meaning: Meaning, what: string) => declarations.set(name, [...(declarations.get(name) ?? []), { meaning, what }]);
  const exported = (name: string, from: string) => {
    const sources = exports.get(name) ?? [];
    if (from !== "local" || !sources.includes(from)) exports.set(name, [...sources, from]);
  };
  const isExported = (node: ts.Node) => ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      const from = (statement.moduleSpecifier as ts.StringLiteral).text;
      const clause = statement.importClause;
      if (clause?.name) declare(clause.name.text, "import", `an import from ${JSON.stringify(from)}`);
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) declare(bindings.name.text, "import", `an import from ${JSON.stringify(from)}`);
      if (bindings && ts.isNamedImports(bindings)) for (const element of bindings.elements) declare(element.name.text, "import", `an import from ${JSON.stringify(from)}`);
      continue;
    }
    if (ts.isExportDeclaration(statement)) {
      const from = statement.moduleSpecifier ? (statement.moduleSpecifier as ts.StringLiteral).text : undefined;
      if (statement.exportClause === undefined) {
        if (from !== undefined) stars.push(from);
      } else if (ts.isNamedExports(statement.exportClause)) {
        for (const element of statement.exportClause.elements) {
          exported(element.name.text, from === undefined ? "local" : `export ${statement.isTypeOnly || element.isTypeOnly ? "type " : ""}{ … } from ${JSON.stringify(from)}`);
        }
      } else exported(statement.exportClause.name.text, `export * as … from ${JSON.stringify(from)}`);
      continue;
    }
    let found: { name: string; meaning: Meaning; what: string }[] = [];
    if (ts.isVariableStatement(statement)) {
      found = statement.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [{ name: d.name.text, meaning: "value" as const, what: "a constant" }] : []));
    } else if (ts.isFunctionDeclaration(statement) && statement.name) found = [{ name: statement.name.text, meaning: "value", what: "a function" }];
    else if (ts.isClassDeclaration(statement) && statement.name) found = [{ name: statement.name.text, meaning: "both", what: "a class" }];
    else if (ts.isEnumDeclaration(statement)) found = [{ name: statement.name.text, meaning: "both", what: "an enum" }];
    else if (ts.isInterfaceDeclaration(statement)) found = [{ name: statement.name.text, meaning: "type", what: "an interface" }];
    else if (ts.isTypeAliasDeclaration(statement)) found = [{ name: statement.name.text, meaning: "type", what: "a type alias" }];
    else if (ts.isModuleDeclaration(statement) && ts.isIdentifier(statement.name)) found = [{ name: statement.name.text, meaning: "both", what: "a namespace" }];
    for (const { name, meaning, what } of found) {
      declare(name, meaning, what);
      if (isExported(statement)) exported(name, "local");
    }
  }
  return { declarations, exports, stars };
}

/** Two members of one name in an interface, type literal or object literal; `__proto__:` in an object literal. */
function memberClashes(source: ts.SourceFile, clash: (name: string, what: string) => void): void {
  const visit = (node: ts.Node): void => {
    const members = ts.isInterfaceDeclaration(node) || ts.isTypeLiteralNode(node) ? node.members : ts.isObjectLiteralExpression(node) ? node.properties : undefined;
    if (members !== undefined) {
      const container = ts.isInterfaceDeclaration(node) ? `interface ${node.name.text}` : ts.isTypeLiteralNode(node) ? "a type literal" : "an object literal";
      const seen = new Set<string>();
      for (const member of members) {
        const name = member.name === undefined ? undefined : memberName(member.name);
        if (name === undefined) continue;
        if (ts.isObjectLiteralExpression(node) && name === "__proto__" && !ts.isComputedPropertyName(member.name!) && ts.isPropertyAssignment(member)) {
          clash(name, `is written as a member "__proto__:" of ${container}, which sets the prototype instead of adding a member,`);
        }
        // Overloads are the only legitimate repetition; generated code has none.
        if (seen.has(name)) clash(name, `names two members of ${container}`);
        seen.add(name);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}

function memberName(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isNumericLiteral(name)) return String(Number(name.text));
  if (ts.isComputedPropertyName(name) && ts.isStringLiteralLike(name.expression)) return name.expression.text;
  return undefined;
}

let globalsCache: ReadonlySet<string> | undefined;

/** Set by the bundled command's build (scripts/package/cli.ts): the bundle carries no TypeScript lib files. */
declare const TCGEN_LIBRARY_GLOBALS: readonly string[] | undefined;

/**
 * The globals of the JavaScript library that generated code may use, as TypeScript declares them:
 * every top-level name of its ES5 to ES2024 library files (not the DOM's, which generated code does
 * not use). Read once per process from the TypeScript the generator runs with.
 */
export function libraryGlobals(): ReadonlySet<string> {
  if (globalsCache) return globalsCache;
  if (typeof TCGEN_LIBRARY_GLOBALS !== "undefined") return (globalsCache = new Set(TCGEN_LIBRARY_GLOBALS));
  const libDir = path.dirname(createRequire(import.meta.url).resolve("typescript/lib/lib.es5.d.ts"));
  const names = new Set<string>();
  for (const file of readdirSync(libDir).filter((f) => /^lib\.(es5|es20\d\d(\.[a-z.]+)?|decorators(\.legacy)?)\.d\.ts$/.test(f) && !f.includes(".full."))) {
    const source = ts.createSourceFile(file, readFileSync(path.join(libDir, file), "utf8"), NAMES_ONLY, false);
    for (const statement of source.statements) {
      if (ts.isVariableStatement(statement)) {
        for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name)) names.add(d.name.text);
      } else if (
        (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement) || ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isModuleDeclaration(statement)) &&
        statement.name !== undefined &&
        ts.isIdentifier(statement.name)
      ) {
        names.add(statement.name.text);
      }
    }
  }
  globalsCache = names;
  return names;
}
