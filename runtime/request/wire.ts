/**
 * Tencent's GET form: nested parameters flattened into `Name.0.Child=value` pairs and back.
 * Shared by the client's GET mode and the emulator.
 */

/** The parameters as `[name, value]` pairs: list element `Name.<i>`, object member `Parent.Child`. */
export function flattenParams(params: Readonly<Record<string, unknown>>): [string, string][] {
  const pairs: [string, string][] = [];
  const visit = (prefix: string, value: unknown): void => {
    if (value === undefined) return;
    if (Array.isArray(value)) value.forEach((item, i) => visit(`${prefix}.${i}`, item));
    else if (typeof value === "object" && value !== null) for (const [k, v] of Object.entries(value)) visit(`${prefix}.${k}`, v);
    else pairs.push([prefix, value === null ? "" : String(value)]);
  };
  for (const [name, value] of Object.entries(params)) visit(name, value);
  return pairs;
}

/** RFC 3986 encoding, the form Tencent signs: everything but unreserved characters is %-escaped. */
export function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The query string of a GET request, in the order given. */
export function toQueryString(params: Readonly<Record<string, unknown>>): string {
  return flattenParams(params)
    .map(([name, value]) => `${encodeRfc3986(name)}=${encodeRfc3986(value)}`)
    .join("&");
}

/**
 * What a request schema says about the types of its parameters, enough to rebuild GET parameters:
 * on the wire every value is a string. Emitted by the generator from the spec.
 */
export type ParamShape =
  | "string"
  | "integer"
  | "number"
  | "boolean"
  | "any"
  | { readonly object: Readonly<Record<string, ParamShape>> }
  | { readonly array: ParamShape };

/**
 * Rebuilds nested parameters from flattened pairs, converting numbers and booleans where the shape
 * says so. Returns the parameters, or the name of the first pair that does not fit.
 */
export function unflattenParams(
  pairs: Iterable<[string, string]>,
  shape: ParamShape | undefined,
): { ok: true; params: Record<string, unknown> } | { ok: false; name: string; reason: string } {
  const root: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [name, raw] of pairs) {
    const segments = name.split(".");
    let container: Record<string, unknown> | unknown[] = root;
    let at: ParamShape | undefined = shape;
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i]!;
      if (segment === "" || segment === "__proto__" || segment === "constructor" || segment === "prototype") {
        return { ok: false, name, reason: `"${segment}" is not a parameter name` };
      }
      const next = childShape(at, segment);
      const isIndex = /^(0|[1-9]\d{0,5})$/.test(segment);
      if (Array.isArray(container) && !isIndex) return { ok: false, name, reason: `"${segment}" is not a list index` };
      const key: string | number = Array.isArray(container) ? Number(segment) : segment;
      const last = i === segments.length - 1;
      const existing = (container as Record<string | number, unknown>)[key];
      if (last) {
        if (existing !== undefined) return { ok: false, name, reason: "the parameter is given twice" };
        (container as Record<string | number, unknown>)[key] = coerce(raw, next);
      } else {
        const wantsList = typeof next === "object" ? "array" in next : /^\d+$/.test(segments[i + 1]!);
        if (existing === undefined) {
          const created: Record<string, unknown> | unknown[] = wantsList ? [] : (Object.create(null) as Record<string, unknown>);
          (container as Record<string | number, unknown>)[key] = created;
          container = created;
        } else if (typeof existing === "object" && existing !== null) {
          container = existing as Record<string, unknown> | unknown[];
        } else {
          return { ok: false, name, reason: "the parameter is both a value and a container" };
        }
      }
      at = next;
    }
  }
  const holes = findHole(root, "");
  if (holes !== undefined) return { ok: false, name: holes, reason: "list indexes must start at 0 and have no gaps" };
  return { ok: true, params: toPlain(root) as Record<string, unknown> };
}

function childShape(shape: ParamShape | undefined, segment: string): ParamShape | undefined {
  if (shape === undefined || typeof shape === "string") return undefined;
  if ("array" in shape) return shape.array;
  return Object.hasOwn(shape.object, segment) ? shape.object[segment] : undefined;
}

function coerce(raw: string, shape: ParamShape | undefined): unknown {
  if ((shape === "integer" || shape === "number") && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(raw)) return Number(raw);
  if (shape === "boolean" && (raw === "true" || raw === "false")) return raw === "true";
  return raw;
}

function findHole(value: unknown, path: string): string | undefined {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) return `${path}.${i}`.replace(/^\./, "");
      const hole = findHole(value[i], `${path}.${i}`);
      if (hole !== undefined) return hole;
    }
  } else if (typeof value === "object" && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      const hole = findHole(v, `${path}.${k}`);
      if (hole !== undefined) return hole;
    }
  }
  return undefined;
}

/** Null-prototype maps (safe while building) become ordinary objects for handlers and validators. */
function toPlain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toPlain);
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k, { value: toPlain(v), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}
