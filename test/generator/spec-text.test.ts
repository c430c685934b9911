/**
 * One way for spec text to reach generated code (scripts/emit/spec-text.ts): the templates and emitters
 * are grepped for any other way, and each escaping function is property-tested on arbitrary text,
 * lone surrogates and line terminators included, by evaluating or tokenizing what it writes.
 */
import { readdirSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import fc from "fast-check";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { TEMPLATE_HELPERS } from "../../scripts/emit/template-helpers.js";
import {
  commentText, identifier, identifierProblem, memberAccess, propertyKey, regexLiteral, stringLiteral, UncheckedSpecTextError, valueLiteral,
} from "../../scripts/emit/spec-text.js";
import { repoRoot } from "../support/helpers.js";

/** Modules that write generated code: the emit stage (but the escaping itself, spec-text.ts) and the model, which builds code for it (item types). */
const EMITTERS = (["scripts/emit", "scripts/model"] as const).flatMap((dir) =>
  readdirSync(path.join(repoRoot, dir), { recursive: true, encoding: "utf8" }).filter((name) => name.endsWith(".ts") && name !== "spec-text.ts").map((name) => `${dir}/${name}`).sort(),
);

/** Any UTF-16 text: lone surrogates, line terminators, quotes, `*\/`, `${`, `</script>`. */
const anyText = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n)), maxLength: 30 }),
  fc.string({ unit: fc.constantFrom("*", "/", "\\", "\n", "\r", "\u2028", "\u2029", "'", '"', "`", "$", "{", "}", "@", "<", "\uD800", "\uDC00", "a"), maxLength: 30 }),
);

/** Evaluates an expression written by the generator (a test only ever evaluates what it generated itself). */
function evaluate(expression: string): unknown {
  return new Function(`"use strict"; return (${expression});`)();
}

/** The tokens TypeScript's scanner reads from `text`. */
function tokens(text: string, reScanRegex = false): { kind: ts.SyntaxKind; text: string }[] {
  const scanner = ts.createScanner(ts.ScriptTarget.ES2022, true, ts.LanguageVariant.Standard, text);
  const found: { kind: ts.SyntaxKind; text: string }[] = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (reScanRegex && (kind === ts.SyntaxKind.SlashToken || kind === ts.SyntaxKind.SlashEqualsToken)) kind = scanner.reScanSlashToken();
    found.push({ kind, text: scanner.getTokenText() });
  }
  return found;
}

describe("templates and emitters write spec text only through scripts/emit/spec-text.ts", () => {
  it("every {{…}} of templates/ is a block, a partial or one of the escaping helpers", async () => {
    const dir = path.join(repoRoot, "templates");
    const offenders: string[] = [];
    let interpolations = 0;
    for (const name of (await readdir(dir)).filter((f) => f.endsWith(".hbs"))) {
      const text = await readFile(path.join(dir, name), "utf8");
      for (const match of text.matchAll(/\{\{(\{?)([^}]*)\}\}/g)) {
        const [whole, triple, inner] = match as unknown as [string, string, string];
        const body = inner.replace(/^~|~$/g, "").trim();
        // Blocks, their ends, else, partials and comments write no value.
        if (triple === "" && /^(#|\/|>|!|else$|\^)/.test(body)) continue;
        interpolations++;
        const helper = body.split(/\s+/)[0]!;
        if (triple !== "" || !(TEMPLATE_HELPERS as readonly string[]).includes(helper) || body.split(/\s+/).length < 2) offenders.push(`${name}: ${whole}`);
      }
    }
    expect(offenders).toEqual([]);
    expect(interpolations).toBeGreaterThan(150);
  });

  it("no emitter writes a literal or a comment by hand", async () => {
    const offenders: string[] = [];
    for (const file of EMITTERS) {
      const lines = (await readFile(path.join(repoRoot, file), "utf8")).split("\n");
      lines.forEach((line, i) => {
        const where = `${file}:${i + 1}: ${line.trim()}`;
        // Literals: JSON.stringify writes neither U+2028 safely nor `__proto__` keys as own members.
        if (/JSON\.stringify\(/.test(line) && !/^\s*(\/\/|\*)/.test(line)) offenders.push(where);
        // Code comments built with interpolations must escape what they interpolate.
        for (const literal of line.matchAll(/`\s*(\/\/|\/\*)[^`]*`/g)) {
          for (const interpolation of literal[0].matchAll(/\$\{([^}]*)\}/g)) {
            if (!/^commentText\(/.test(interpolation[1]!)) offenders.push(where);
          }
        }
      });
    }
    expect(offenders).toEqual([]);
  });

  it("the `code` helper only passes through code the emitters built", async () => {
    const dir = path.join(repoRoot, "templates");
    const passed = new Set<string>();
    for (const name of (await readdir(dir)).filter((f) => f.endsWith(".hbs"))) {
      for (const match of (await readFile(path.join(dir, name), "utf8")).matchAll(/\{\{code ([^}\s]+)\}\}/g)) passed.add(match[1]!);
    }
    // Each of these is built in scripts/emit/validators/, scripts/emit/template-context.ts (laid out by
    // scripts/emit/layout.ts) or scripts/model/paging.ts with spec-text.ts.
    expect([...passed].sort()).toEqual([
      "body",
      "comment",
      "commonErrorCodes",
      "declaration",
      "itemType",
      "keyType",
      "signature",
      "standardSchema.closing",
      "standardSchema.member",
      "standardSchema.opening",
      "validator",
      "validators.imports",
    ]);
  });
});

describe("stringLiteral and valueLiteral", () => {
  it("evaluate to the text and the value they were given", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const literal = stringLiteral(text);
        expect(literal).not.toMatch(/[\n\r\u2028\u2029]/);
        expect(evaluate(literal)).toBe(text);
      }),
      { seed: 11, numRuns: 2000 },
    );
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: "small" },
        anyText,
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie("value"), { maxLength: 4 }),
        fc.dictionary(fc.oneof(anyText, fc.constantFrom("__proto__", "constructor", "toString", "then")), tie("value"), { maxKeys: 4 }),
      ),
    })).value;
    fc.assert(
      fc.property(json, fc.boolean(), (value, multiline) => {
        const literal = valueLiteral(value, multiline ? "" : undefined);
        const back = evaluate(literal);
        // -0 is written 0, as JSON writes it.
        expect(back).toEqual(JSON.parse(JSON.stringify(value)));
        if (typeof value === "object" && value !== null && !Array.isArray(value)) expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
      }),
      { seed: 12, numRuns: 1000 },
    );
  });

  it("keep __proto__ an own member", () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}, "a": [{"__proto__": 1}]}');
    const back = evaluate(valueLiteral(value)) as Record<string, unknown>;
    expect(Object.keys(back)).toEqual(["__proto__", "a"]);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
  });

  it("refuse what is not JSON", () => {
    expect(() => valueLiteral(Number.NaN)).toThrow(UncheckedSpecTextError);
    expect(() => valueLiteral(Infinity)).toThrow(UncheckedSpecTextError);
    expect(() => valueLiteral(undefined)).toThrow(UncheckedSpecTextError);
    expect(() => valueLiteral(() => 1)).toThrow(UncheckedSpecTextError);
  });
});

describe("commentText", () => {
  it("never ends its comment, whatever the text", () => {
    fc.assert(
      fc.property(anyText, fc.constantFrom("doc", "block", "line") as fc.Arbitrary<"doc" | "block" | "line">, (text, kind) => {
        const safe = commentText(text, kind);
        const source = kind === "line" ? `// ${safe}\nx;` : `/** ${safe} */ x;`;
        // The whole text is one comment followed by `x`, `;`.
        expect(tokens(source).map((t) => t.text)).toEqual(["x", ";"]);
        expect(safe).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
        if (kind === "doc") expect(safe).not.toMatch(/(^|[^\\])@/);
      }),
      { seed: 13, numRuns: 3000 },
    );
  });
});

describe("regexLiteral", () => {
  const patterns = fc.oneof(
    fc.constantFrom("^[/*]+$", "", "a/b", "[/]", "\\/", "^x*$", "[\\]/]", "(?:/)", "\\u{1F600}", "[\\n/]", "a\u2028b", "[\r]", "\uD800", "/*", "*/"),
    fc.string({ unit: fc.constantFrom("a", "/", "*", "[", "]", "\\", "n", "\n", "(", ")", "?", ":", "^", "$", "\u2028", "\uDC00", "{", "}"), maxLength: 12 }),
  );

  it("writes one regular expression token with the pattern's meaning", () => {
    fc.assert(
      fc.property(patterns, fc.array(anyText, { maxLength: 6 }), (pattern, inputs) => {
        let original: RegExp;
        try {
          original = new RegExp(pattern, "u");
        } catch {
          return; // the check stage refuses it
        }
        const literal = regexLiteral(pattern);
        const scanned = tokens(`x = ${literal};`, true);
        expect(scanned.map((t) => t.kind)).toEqual([ts.SyntaxKind.Identifier, ts.SyntaxKind.EqualsToken, ts.SyntaxKind.RegularExpressionLiteral, ts.SyntaxKind.SemicolonToken]);
        const written = evaluate(literal) as RegExp;
        for (const input of [...inputs, "/", "*", "//", "a/b", ""]) expect(written.test(input)).toBe(original.test(input));
      }),
      { seed: 14, numRuns: 3000 },
    );
  });
});

describe("names", () => {
  it("identifierProblem refuses what cannot be a name, identifier() throws on it", () => {
    for (const [name, use] of [["Instance-State", "type"], ["class", "value"], ["string", "type"], ["1st", "property"], ["constructor", "property"], ["__proto__", "property"], ["then", "method"], ["toJSON", "method"], ["toString", "method"]] as const) {
      expect(identifierProblem(name, use), `${name} as ${use}`).toBeDefined();
      expect(() => identifier(name, use)).toThrow(UncheckedSpecTextError);
    }
    for (const [name, use] of [["DescribeInstances", "type"], ["delete", "method"], ["then", "property"], ["string", "value"], ["$x_1", "type"]] as const) {
      expect(identifierProblem(name, use), `${name} as ${use}`).toBeUndefined();
    }
  });

  it("propertyKey and memberAccess quote what is not a plain name and keep __proto__ an own member", () => {
    fc.assert(
      fc.property(fc.oneof(anyText, fc.constantFrom("__proto__", "constructor", "a", "delete")), (name) => {
        const object = evaluate(`{ ${propertyKey(name)}: 1 }`) as Record<string, unknown>;
        expect(Object.keys(object)).toEqual([name]);
        expect(evaluate(`((o) => ${memberAccess("o", name)})(${valueLiteral({ [name]: 2 })})`)).toBe(2);
      }),
      { seed: 15, numRuns: 1000 },
    );
  });
});
