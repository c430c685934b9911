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
 *     `&#x2B;`, `&amp;`…), and inside base64 or base64url text at any alignment (a whole header
 *     block encoded);
 *   - every TC3 signature, by its form (64 hexadecimal digits, however it is escaped: hex digits are
 *     never escaped), and the signatures of its last {@link SIGNATURES} requests also inside base64.
 *
 * Only error paths run it; a successful call never does.
 */
import type { Credentials } from "../credentials.js";

export const REDACTED = "[redacted]";

/** How many distinct key pairs (rotating temporary credentials) a client remembers to redact. */
export const REMEMBERED = 8;

/** How many recent request signatures are remembered, to find them inside base64 text. */
export const SIGNATURES = 256;

/**
 * A TC3 signature (or any SHA-256 in hex): a run of 64 or more hex digits, taken whole, since an
 * escape before it may end in hex digits too (`Signature%3D…`).
 */
const SIGNATURE = /[0-9a-fA-F]{64,}/g;

export class Redactor {
  private readonly secrets: string[] = [];
  private readonly pinned: string[] = [];
  private pattern: RegExp | undefined;
  private last: Credentials | undefined;
  private readonly signatures: string[] = [];
  private nextSignature = 0;

  /** Records a request's signature: one array write per request, the only cost on the success path. */
  rememberSignature(signature: string): void {
    this.signatures[this.nextSignature] = signature;
    this.nextSignature = (this.nextSignature + 1) % SIGNATURES;
  }

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
    this.pattern = secretsPattern([...this.pinned, ...this.secrets]);
  }

  /** Records secrets that never rotate out (a proxy's password): cheap when already known. */
  learnSecrets(secrets: readonly string[]): void {
    const added = secrets.filter((secret) => secret !== "" && !this.pinned.includes(secret));
    if (added.length === 0) return;
    this.pinned.push(...added);
    this.pattern = secretsPattern([...this.pinned, ...this.secrets]);
  }

  /** `text` with every known secret and every signature replaced by `[redacted]`. */
  redact(text: string): string {
    let clean = this.pattern ? text.replace(this.pattern, REDACTED) : text;
    clean = clean.replace(SIGNATURE, REDACTED);
    if (this.signatures.length > 0 && /[A-Za-z0-9+/_-]{40}/.test(clean)) {
      clean = clean.replace(new RegExp(this.signatures.flatMap(base64Forms).map(escape).join("|"), "g"), REDACTED);
    }
    return clean;
  }
}

/** One regular expression matching any of `secrets` in any of the forms above; longest first. */
export function secretsPattern(secrets: readonly string[]): RegExp {
  const alternatives: string[] = [];
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    alternatives.push([...secret].map(characterForms).join(""), ...base64Forms(secret).map(escape));
  }
  return new RegExp(alternatives.join("|"), "g");
}

/**
 * What base64 (and base64url) text holding `secret` anywhere contains, whatever its offset: for each
 * of the three alignments, the characters that only the secret's own bytes determine.
 */
export function base64Forms(secret: string): string[] {
  const bytes = new TextEncoder().encode(secret);
  const forms: string[] = [];
  for (let pad = 0; pad < 3; pad++) {
    const padded = new Uint8Array(pad + bytes.length);
    padded.set(bytes, pad);
    let binary = "";
    for (const byte of padded) binary += String.fromCharCode(byte);
    const start = Math.ceil((8 * pad) / 6);
    const end = Math.floor((8 * padded.length) / 6);
    const form = btoa(binary).slice(start, end);
    // Too short a run could occur by chance in other base64 text; secrets are long.
    if (form.length < 8) continue;
    forms.push(form, form.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  return forms;
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
  // Its UTF-8 bytes read back as Latin-1, as servers read header bytes ("ü" echoed as "Ã¼").
  if (code > 0x7f) forms.push(escape(String.fromCharCode(...new TextEncoder().encode(char))));
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
