/**
 * `npm run bench:crc64`: CRC-64/XZ (COS's x-cos-hash-crc64ecma) throughput of the implementation the
 * backup job uses (jobs/backup/crc64.ts on hash-wasm) beside the alternatives tried, and node:crypto's
 * SHA-256 (which the job computes too) for scale. The same random buffer, fed in 64 KiB chunks as a
 * download delivers it; each contender's result is checked against the others and against the check
 * value of "123456789". Median MiB/s of alternating rounds.
 *
 *   node --import tsx bench/crc64.ts [--mib=64] [--rounds=5]
 *
 * Alternatives load only when installed (devDependencies: crc64-ecma182.js, js-crc); the native
 * `crc64-ecma182` package needs a node-gyp build and is not installed (see the README, "Fleet backup job").
 */
import { createHash, randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { parseArgs } from "node:util";
import { createCrc64 } from "../jobs/backup/crc64.js";
import { Crc64 as SlicingCrc64 } from "./lib/crc64-slicing8.js";
import { median } from "./lib/stats.js";
import { renderTable } from "./lib/table.js";

const { values: args } = parseArgs({ options: { mib: { type: "string", default: "64" }, rounds: { type: "string", default: "5" } } });
const MIB = 1024 * 1024;
const data = randomBytes(Number(args.mib) * MIB);
const CHUNK = 64 * 1024;
const require = createRequire(import.meta.url);

/** A contender: CRC (or hash) of `input` fed in chunks, as a decimal or hex string. */
interface Contender {
  readonly name: string;
  readonly note: string;
  run(input: Buffer): string | Promise<string>;
  /** Not a CRC-64 (SHA-256 for scale): left out of the agreement check. */
  readonly scale?: boolean;
}

const chunks = (input: Buffer, each: (piece: Buffer) => void) => {
  for (let i = 0; i < input.length; i += CHUNK) each(input.subarray(i, i + CHUNK));
};

const contenders: Contender[] = [
  {
    name: "hash-wasm 4.13.0 (chosen)",
    note: "WebAssembly, incremental",
    async run(input) {
      const crc = await createCrc64();
      chunks(input, (p) => crc.update(p));
      return crc.digest().toString();
    },
  },
  {
    name: "slicing-by-8, pure TS",
    note: "bench/lib/crc64-slicing8.ts",
    run(input) {
      const crc = new SlicingCrc64();
      chunks(input, (p) => crc.update(p));
      return crc.digestDecimal();
    },
  },
];

function optional(name: string, note: string, load: () => (input: Buffer) => string): void {
  try {
    contenders.push({ name, note, run: load() });
  } catch {
    console.log(`(${name} is not installed: left out)`);
  }
}

optional("crc64-ecma182.js 2.0.2", "emscripten asm.js, state as decimal string", () => {
  const lib = require("crc64-ecma182.js") as { crc64(buffer: Buffer, previous?: string): string };
  return (input) => {
    let previous = "0";
    chunks(input, (p) => (previous = lib.crc64(p, previous)));
    return previous;
  };
});
optional("js-crc 0.3.1 (crc_64_xz)", "generic table-driven model", () => {
  const { crc_64_xz } = require("js-crc/models") as { crc_64_xz: { create(): { update(b: Uint8Array): unknown; hex(): string } } };
  return (input) => {
    const crc = crc_64_xz.create();
    chunks(input, (p) => crc.update(p));
    return BigInt(`0x${crc.hex()}`).toString();
  };
});
contenders.push({
  name: "node:crypto SHA-256",
  note: "for scale (the job computes it too)",
  scale: true,
  run(input) {
    const hash = createHash("sha256");
    chunks(input, (p) => hash.update(p));
    return hash.digest("hex");
  },
});

// Correctness first: the check value, and agreement on the benchmark buffer.
const check = Buffer.from("123456789");
const results = new Map<string, string>();
for (const c of contenders.filter((c) => !c.scale)) {
  const value = await c.run(check);
  if (value !== "11051210869376104954") throw new Error(`${c.name}: CRC of "123456789" is ${value}, not 11051210869376104954 (0x995DC9BBDF1939FA)`);
  results.set(c.name, await c.run(data));
}
if (new Set(results.values()).size !== 1) throw new Error(`the contenders disagree: ${JSON.stringify(Object.fromEntries(results))}`);

const samples = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
for (let round = 0; round < Number(args.rounds); round++) {
  for (const c of round % 2 ? [...contenders].reverse() : contenders) {
    const started = performance.now();
    await c.run(data);
    samples.get(c.name)!.push(data.length / MIB / ((performance.now() - started) / 1000));
  }
}
const chosen = median(samples.get(contenders[0]!.name)!);
console.log(`CRC-64/XZ over ${args.mib} MiB in 64 KiB chunks, median of ${args.rounds} rounds (all agree: ${[...results.values()][0]})\n`);
console.log(
  renderTable(
    ["implementation", "MiB/s", "vs chosen", "how"],
    contenders.map((c) => {
      const mibs = median(samples.get(c.name)!);
      return [c.name, mibs.toFixed(0), `${(mibs / chosen).toFixed(2)}×`, c.note];
    }),
    { left: [3] },
  ),
);
