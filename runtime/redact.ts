/**
 * Keeps a client's secrets out of what its errors carry. Gateways and proxies echo requests back
 * (a 400 page listing the request headers, a debug JSON of the request), so an error excerpt may hold
 * the session token or the `Authorization` signature, raw or re-encoded. Before any text from the
 * network reaches an error's `body` or message, every secret the client knows is replaced by
 * `[redacted]`:
 *
 *   - the secret keys and tokens it has signed with (the last {@link REMEMBERED} pairs), found in any
 *     mix of the encodings a server may apply character by character: raw, percent-encoded (either
 *     case, UTF-8 bytes), JSON/JavaScript `\uXXXX` and `\/` escapes, HTML entities (`&#43;`,
 *     `&#x2B;`, `&amp;`…), plus the whole value in base64 and base64url;
 *   - every TC3 signature, by its form: 64 hexadecimal digits (a signature is never known ahead, and
 *     each request has its own).
 *
 * Only error paths run it; a successful call never does.
 */
import type { Credentials } from "./credentials.js";

export const REDACTED = "[redacted]";

/** How many distinct key pairs (rotating temporary credentials) a client remembers to redact. */
export const REMEMBERED = 8;

/** A TC3 signature (or any SHA-256 in hex): 64 hex digits not part of a longer hex run. */
const SIGNATURE = /(?<![0-9a-fA-F])[0-9a-fA-F]{64}(?![0-9a-fA-F])/g;

export class Redactor {
  private readonly secrets: string[] = [];
  private pattern: RegExp | undefined;
  private last: Credentials | undefined;

  /** Records the secrets of credentials about to be used (cheap when they are the same as last time). */
  learn(credentials: Credentials): void {
    if (credentials === this.last) return;
    this.last = credentials;
    let changed = false;
    for (const secret of [credentials.secretKey, credentials.token]) {
      if (!secret || this.secrets.includes(secret)) continue;
      this.secrets.push(secret);
      changed = true;
    }
    if (!changed) return;
    while (this.secrets.length > 2 * REMEMBERED) this.secrets.shift();
    this.pattern = secretsPattern(this.secrets);
  }

  /** `text` with every known secret and every signature replaced by `[redacted]`. */
  redact(text: string): string {
    const withoutSecrets = this.pattern ? text.replace(this.pattern, REDACTED) : text;
    return withoutSecrets.replace(SIGNATURE, REDACTED);
  }
}

/** One regular expression matching any of `secrets` in any of the forms above; longest first. */
export function secretsPattern(secrets: readonly string[]): RegExp {
  const alternatives: string[] = [];
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    alternatives.push([...secret].map(characterForms).join(""));
    const bytes = new TextEncoder().encode(secret);
    const base64 = btoa(String.fromCharCode(...bytes));
    alternatives.push(escape(base64), escape(base64.replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_")));
  }
  return new RegExp(alternatives.join("|"), "g");
}

const HTML_NAMED: Readonly<Record<string, string>> = { "&": "amp", "<": "lt", ">": "gt", '"': "quot", "'": "apos" };

/** A regular expression for one character written raw or escaped in any way a server may echo it. */
function characterForms(char: string): string {
  const code = char.codePointAt(0)!;
  const forms = [escape(char)];
  // Percent-encoding of its UTF-8 bytes, hex digits in either case.
  forms.push(
    [...new TextEncoder().encode(char)]
      .map((byte) => {
        const hex = byte.toString(16).padStart(2, "0");
        return `%${caseless(hex)}`;
      })
      .join(""),
  );
  if (char === " ") forms.push("\\+");
  // JSON and JavaScript escapes: \uXXXX (each UTF-16 unit), and \/ for a slash.
  forms.push(
    char
      .split("")
      .map((unit) => `\\\\u${caseless(unit.charCodeAt(0).toString(16).padStart(4, "0"))}`)
      .join(""),
  );
  if (char === "/" || char === '"' || char === "\\") forms.push(`\\\\${escape(char)}`);
  // HTML character references: decimal, hexadecimal (either case, leading zeros), and the named ones.
  forms.push(`&#0*${code};`, `&#[xX]0*${caseless(code.toString(16))};`);
  if (HTML_NAMED[char]) forms.push(`&${HTML_NAMED[char]};`);
  return `(?:${forms.join("|")})`;
}

function caseless(hex: string): string {
  return hex.replace(/[a-f]/gi, (digit) => `[${digit.toLowerCase()}${digit.toUpperCase()}]`);
}

function escape(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
}
