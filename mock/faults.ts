/**
 * Fault injection for the emulator: the documented per-action rate limits, and the failures a
 * client must survive (error answers, gateway errors, latency, dropped connections, a skewed clock).
 * Random faults draw from a seeded generator so a failing test can be replayed.
 */

export interface MockFaults {
  /** Enforce each action's `x-tc-rate-limit` per SecretId (`RequestLimitExceeded` beyond it); `false` turns it off; a map overrides limits. Default true. */
  rateLimit?: boolean | Readonly<Record<string, number>>;
  /** Share of calls answered with `InternalError` (0–1). */
  internalErrorRate?: number;
  /** Share of calls answered with HTTP 502 / 503 instead of an envelope (0–1 each). */
  http502Rate?: number;
  http503Rate?: number;
  /** Share of calls whose connection is dropped without an answer (0–1). */
  dropRate?: number;
  /** Added latency before answering, in ms: a fixed value or a [min, max] range. */
  latencyMs?: number | readonly [number, number];
  /** The server's clock runs this many ms ahead (negative: behind) of the machine's. */
  clockSkewMs?: number;
  /** Scripted answers for the next calls, consumed in order before anything else (e.g. throttle the first N). */
  script?: ScriptedFault[];
  /** Seed of the generator behind the rates. */
  seed?: number;
}

/** One scripted answer: an API error, an HTTP status, or a dropped connection; optionally for one action only. */
export type ScriptedFault = { readonly action?: string } & (
  | { readonly error: string; readonly message?: string }
  | { readonly status: number }
  | { readonly drop: true }
);

export type FaultDecision =
  | { kind: "none" }
  | { kind: "error"; code: string; message: string }
  | { kind: "status"; status: number }
  | { kind: "drop" };

/** A small, fast, seedable PRNG (mulberry32): same seed, same faults. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Requests per sliding second per (SecretId, action), as Tencent counts them. */
export class RateLimiter {
  private readonly windows = new Map<string, number[]>();

  /** Records the call and returns true when it is within `limit` calls in the last 1,000 ms. */
  admit(key: string, limit: number, nowMs: number): boolean {
    let window = this.windows.get(key);
    if (!window) this.windows.set(key, (window = []));
    while (window.length > 0 && window[0]! <= nowMs - 1000) window.shift();
    if (window.length >= limit) return false;
    window.push(nowMs);
    return true;
  }
}

/** Picks what happens to one call, scripted faults first, then the configured rates. */
export function decideFault(faults: MockFaults, action: string, random: () => number): FaultDecision {
  const script = faults.script;
  if (script && script.length > 0) {
    const index = script.findIndex((f) => f.action === undefined || f.action === action);
    if (index >= 0) {
      const [fault] = script.splice(index, 1);
      if ("error" in fault!) return { kind: "error", code: fault.error, message: fault.message ?? `injected ${fault.error}` };
      if ("status" in fault!) return { kind: "status", status: fault.status };
      return { kind: "drop" };
    }
  }
  if (faults.dropRate && random() < faults.dropRate) return { kind: "drop" };
  if (faults.http502Rate && random() < faults.http502Rate) return { kind: "status", status: 502 };
  if (faults.http503Rate && random() < faults.http503Rate) return { kind: "status", status: 503 };
  if (faults.internalErrorRate && random() < faults.internalErrorRate) {
    return { kind: "error", code: "InternalError", message: "injected internal error" };
  }
  return { kind: "none" };
}

export function latencyOf(faults: MockFaults, random: () => number): number {
  const latency = faults.latencyMs;
  if (latency === undefined) return 0;
  if (typeof latency === "number") return latency;
  return latency[0] + random() * (latency[1] - latency[0]);
}
