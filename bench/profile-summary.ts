/**
 * Summarises a V8 CPU profile (`node --cpu-prof`, a .cpuprofile JSON) of a per-call contender:
 * self time by category (openapi-fetch, undici/fetch, web streams, signing, tcgen's middleware,
 * JSON, GC...), by module, by function, and the inclusive time of the frames that matter (time with
 * that frame anywhere on the stack), optionally cut to a window of the profile clock (µs, the
 * `startUs`/`endUs` the driver prints for its load phase).
 *
 *   tsx bench/profile-summary.ts <file.cpuprofile> [startUs endUs]
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Share {
  name: string;
  ms: number;
  /** Percent of the busy (non-idle) time in the window. */
  pct: number;
}

export interface ProfileSummary {
  windowMs: number;
  busyMs: number;
  samples: number;
  /** Whether the window given matched the profile's clock (otherwise the whole profile is used). */
  windowApplied: boolean;
  byCategory: Share[];
  byModule: Share[];
  byFunction: Share[];
  inclusive: Share[];
}

/** Inclusive probes: time during which a frame matching them is on the stack. */
const INCLUSIVE_PROBES: { name: string; match: (frame: CallFrame) => boolean }[] = [
  { name: "generated method createBackupDownloadTask", match: (f) => f.url.includes("/generated/") && f.functionName.includes("createBackupDownloadTask") },
  { name: "tcgen call loop runCall (limiter, retries, envelope)", match: (f) => f.url.includes("/runtime/") && f.functionName === "runCall" },
  { name: "openapi-fetch (any frame)", match: (f) => f.url.includes("/node_modules/openapi-fetch/") },
  { name: "tcgen middleware onRequest", match: (f) => f.url.includes("/runtime/") && f.functionName === "onRequest" },
  { name: "tcgen middleware onResponse", match: (f) => f.url.includes("/runtime/") && f.functionName === "onResponse" },
  { name: "signTc3", match: (f) => f.functionName === "signTc3" },
  { name: "readEnvelope", match: (f) => f.functionName === "readEnvelope" },
  { name: "undici (any frame)", match: (f) => f.url.includes("internal/deps/undici") },
  { name: "undici fetch() entry (fetch / fetching / schemeFetch / httpFetch)", match: (f) => f.url.includes("internal/deps/undici") && /^(fetch|fetching|mainFetch|schemeFetch|httpFetch|httpNetworkOrCacheFetch|httpNetworkFetch)$/.test(f.functionName) },
  { name: "new Request (undici Request constructor)", match: (f) => f.url.includes("internal/deps/undici") && f.functionName === "Request" },
  { name: "new Response / body mixin (text, json, consumeBody)", match: (f) => f.url.includes("internal/deps/undici") && /^(Response|text|json|consumeBody|fullyReadBody|readAllBytes|specConsumeBody)$/.test(f.functionName) },
  { name: "web streams (any frame)", match: (f) => /internal\/(webstreams|worker\/js_transferable)/.test(f.url) },
  { name: "AbortSignal / EventTarget (any frame)", match: (f) => /internal\/(abort_controller|event_target)/.test(f.url) },
  { name: "node:crypto JS (any frame)", match: (f) => f.url.includes("internal/crypto") },
];

export function categoryOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (functionName === "(garbage collector)") return "GC";
  if (functionName === "(program)") return "V8 / native, unattributed (program)";
  if (functionName === "(idle)") return "idle";
  if (url.includes("/runtime/signing")) return "tcgen signing (runtime/signing.ts)";
  if (url.includes("/runtime/")) return "tcgen middleware & envelope (runtime/)";
  if (url.includes("/generated/")) return "tcgen generated client";
  if (url.includes("/node_modules/openapi-fetch/")) return "openapi-fetch";
  const pkg = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pkg) return `package ${pkg[1]}`;
  if (url.includes("/bench/")) return "bench harness";
  if (url.includes("internal/deps/undici")) return "undici (global fetch, Request/Response/Headers)";
  // Node 20's ReadableStream constructor calls makeTransferable (internal/worker/js_transferable).
  if (/internal\/(webstreams|worker\/js_transferable)/.test(url)) return "web streams (Request/Response bodies)";
  if (/internal\/(abort_controller|event_target)/.test(url)) return "AbortSignal / EventTarget";
  if (/internal\/url|^node:url$/.test(url)) return "URL";
  if (url.includes("internal/crypto")) return "node:crypto (JS side)";
  if (/^node:(_http|http|internal\/http)/.test(url)) return "node:http";
  if (/^node:(net|internal\/stream_base_commons|internal\/streams|stream|internal\/net|internal\/dns)/.test(url)) return "sockets & node streams";
  if (/internal\/(process\/task_queues|timers)|^node:timers/.test(url)) return "event loop (microtasks, timers)";
  if (/^node:internal\/(util|buffer|encoding|validators|errors)|^node:buffer/.test(url)) return "node util/buffer/encoding";
  if (url.startsWith("node:")) return "node internals (other)";
  if (url.startsWith("wasm://")) return "undici llhttp parser (wasm)";
  if (url === "") {
    if (/^(parse|stringify)$/.test(functionName)) return "JSON (native)";
    // The socket write syscall; V8 samples wall time, so this also holds time the thread was preempted there.
    if (/^(writev|writeBuffer|writeUtf8String|writeLatin1String|writeAsciiString)$/.test(functionName)) return "socket writes (native writev; wall time)";
    if (functionName === "runMicrotasks") return "event loop (microtasks, timers)";
    if (functionName === "JSTransferable") return "web streams (Request/Response bodies)";
    return "native builtins (other)";
  }
  return "other";
}

function moduleOf(frame: CallFrame, root: string): string {
  const { url, functionName } = frame;
  if (url === "") return functionName.startsWith("(") ? functionName : `(native) ${functionName}`;
  if (url.startsWith("file://")) {
    const file = fileURLToPath(url);
    const nm = file.lastIndexOf("/node_modules/");
    if (nm >= 0) return file.slice(nm + 1);
    return path.relative(root, file).replace(/^bench\/\.out\/[^/]+\//, "");
  }
  return url;
}

export function summarizeProfile(profile: CpuProfile, window?: { startUs: number; endUs: number }, root = process.cwd()): ProfileSummary {
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  // Sample i lasts until sample i+1 (the DevTools convention).
  const times: number[] = [];
  let t = profile.startTime;
  for (const delta of profile.timeDeltas) times.push((t += delta));
  const windowApplied = window !== undefined && window.startUs < profile.endTime && window.endUs > profile.startTime;
  const from = windowApplied ? window!.startUs : profile.startTime;
  const to = windowApplied ? window!.endUs : profile.endTime;

  const category = new Map<string, number>();
  const module = new Map<string, number>();
  const fn = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let busy = 0;
  let counted = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const at = times[i]!;
    if (at < from || at > to) continue;
    const duration = (times[i + 1] ?? profile.endTime) - at;
    if (duration <= 0) continue;
    const node = byId.get(profile.samples[i]!);
    if (!node) continue;
    counted++;
    const cat = categoryOf(node.callFrame);
    add(category, cat, duration);
    if (cat === "idle") continue;
    busy += duration;
    const mod = moduleOf(node.callFrame, root);
    add(module, mod, duration);
    const { functionName, lineNumber } = node.callFrame;
    add(fn, `${functionName || "(anonymous)"}  ${mod}${lineNumber >= 0 && !mod.startsWith("(") ? `:${lineNumber + 1}` : ""}`, duration);
    // Inclusive probes: once per sample whatever the recursion.
    const hit = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)!.callFrame;
      for (const probe of INCLUSIVE_PROBES) if (!hit.has(probe.name) && probe.match(frame)) hit.add(probe.name);
    }
    for (const name of hit) add(inclusive, name, duration);
  }
  const shares = (map: Map<string, number>, limit: number, withIdle = false): Share[] =>
    [...map]
      .filter(([name]) => withIdle || name !== "idle")
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, us]) => ({ name, ms: us / 1000, pct: (100 * us) / busy }));
  return {
    windowMs: (to - from) / 1000,
    busyMs: busy / 1000,
    samples: counted,
    windowApplied,
    byCategory: shares(category, 40),
    byModule: shares(module, 20),
    byFunction: shares(fn, 25),
    inclusive: INCLUSIVE_PROBES.map((p) => p.name)
      .filter((name) => inclusive.has(name))
      .map((name) => ({ name, ms: inclusive.get(name)! / 1000, pct: (100 * inclusive.get(name)!) / busy })),
  };
}

function add(map: Map<string, number>, key: string, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value);
}

export function renderProfileSummary(summary: ProfileSummary, calls?: number): string {
  const perCall = (ms: number) => (calls ? `  ${((ms * 1000) / calls).toFixed(1).padStart(7)} µs/call` : "");
  const section = (title: string, rows: Share[]) =>
    [`${title}`, ...rows.map((r) => `  ${r.pct.toFixed(1).padStart(5)}%  ${r.ms.toFixed(1).padStart(8)} ms${perCall(r.ms)}  ${r.name}`)].join("\n");
  return [
    `window ${summary.windowMs.toFixed(0)} ms${summary.windowApplied ? " (load phase only)" : " (whole profile)"}, busy ${summary.busyMs.toFixed(0)} ms, ${summary.samples} samples${calls ? `, ${calls} calls` : ""}`,
    section("self time by category (% of busy time):", summary.byCategory),
    section("inclusive time (frame anywhere on the stack; async frames cut at awaits):", summary.inclusive),
    section("self time by module (top 20):", summary.byModule),
    section("self time by function (top 25):", summary.byFunction),
  ].join("\n\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const [file, start, end] = process.argv.slice(2);
  if (!file) {
    console.error("usage: tsx bench/profile-summary.ts <file.cpuprofile> [startUs endUs]");
    process.exit(2);
  }
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const window = start && end ? { startUs: Number(start), endUs: Number(end) } : undefined;
  console.log(renderProfileSummary(summarizeProfile(profile, window)));
}
