/**
 * `npm run bench:download`: download throughput (MiB/s) of a several-hundred-MiB file from the COS
 * emulator on loopback, with and without the CRC-64, side by side in one run:
 *
 *   - floor: fetch + write to the file, nothing else (what any downloader pays);
 *   - floor + SHA-256, floor + CRC-64, floor + both: the cost of each hash alone; + fsync: the
 *     cost of making the file durable (downloadFile does it before the rename);
 *   - downloadFile: the job's download (CRC-64 verified against x-cos-hash-crc64ecma, SHA-256,
 *     size enforced, sidecar, fsync, atomic rename);
 *   - resume of a 90 % partial file: what downloadFile pays to re-read the bytes on disk into both
 *     hashes (rehash MiB/s) and the bytes it fetches (~10 %).
 *
 * The COS server runs in a child process, so serving does not share the event loop being measured.
 *
 *   node --import tsx bench/download.ts [--mib=512] [--rounds=2]
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, open, rm, truncate } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createCrc64 } from "../jobs/backup/crc64.js";
import { downloadFile } from "../jobs/backup/download.js";
import { startCosServer } from "../mock/cos/index.js";
import { median } from "./lib/stats.js";
import { renderTable } from "./lib/table.js";

const { values: args } = parseArgs({ options: { mib: { type: "string", default: "512" }, rounds: { type: "string", default: "2" }, serve: { type: "boolean", default: false } } });
const MIB = 1024 * 1024;
const SIZE = Number(args.mib) * MIB;
const KEY = "bench/cmgo-bench_0.tar";

if (args.serve) {
  // The child: serve the object, print a URL for it, stop when the parent closes stdin.
  const cos = await startCosServer({ objects: [{ key: KEY, size: SIZE }] });
  await cos.crc(KEY); // computed before the parent measures anything
  console.log(JSON.stringify({ url: cos.presign(KEY), crc: (await cos.crc(KEY)).toString() }));
  process.stdin.resume();
  process.stdin.on("end", () => void cos.close().then(() => process.exit(0)));
} else {
  await measure();
}

async function measure(): Promise<void> {
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "--serve", `--mib=${args.mib}`], { stdio: ["pipe", "pipe", "inherit"] });
  try {
    const first = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once("line", resolve);
      child.once("exit", (code) => reject(new Error(`the COS server child exited (${code})`)));
    });
    const { url, crc } = JSON.parse(first) as { url: string; crc: string };
    const dir = await mkdtemp(path.join(os.tmpdir(), "tcgen-bench-download-"));
    try {
      await run(url, crc, dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  } finally {
    child.stdin!.end();
  }
}

/** fetch + write, feeding each chunk to the given hashes: the floor and its hashed variants. */
async function floor(url: string, file: string, hashes: { sha?: boolean; crc?: boolean; fsync?: boolean }): Promise<string> {
  const sha = hashes.sha ? createHash("sha256") : undefined;
  const crc = hashes.crc ? await createCrc64() : undefined;
  const response = await fetch(url);
  const handle = await open(file, "w");
  try {
    let position = 0;
    const reader = response.body!.getReader();
    const pending: Uint8Array[] = [];
    let pendingBytes = 0;
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      sha?.update(r.value);
      crc?.update(r.value);
      pending.push(r.value);
      pendingBytes += r.value.length;
      if (pendingBytes >= MIB) {
        position += (await handle.write(Buffer.concat(pending, pendingBytes), 0, pendingBytes, position)).bytesWritten;
        pending.length = 0;
        pendingBytes = 0;
      }
    }
    if (pendingBytes) position += (await handle.write(Buffer.concat(pending, pendingBytes), 0, pendingBytes, position)).bytesWritten;
    if (position !== SIZE) throw new Error(`floor received ${position} bytes`);
    if (hashes.fsync) await handle.sync();
  } finally {
    await handle.close();
  }
  return crc ? crc.digest().toString() : "";
}

async function run(url: string, crc: string, dir: string): Promise<void> {
  const target = path.join(dir, "file.tar");
  const contenders: { name: string; run(): Promise<unknown> }[] = [
    { name: "floor: fetch + write", run: () => floor(url, target, {}) },
    { name: "floor + SHA-256", run: () => floor(url, target, { sha: true }) },
    {
      name: "floor + CRC-64",
      run: async () => {
        if ((await floor(url, target, { crc: true })) !== crc) throw new Error("CRC mismatch in the floor");
      },
    },
    { name: "floor + CRC-64 + SHA-256", run: () => floor(url, target, { sha: true, crc: true }) },
    { name: "floor + CRC-64 + SHA-256 + fsync", run: () => floor(url, target, { sha: true, crc: true, fsync: true }) },
    {
      name: "downloadFile (CRC-64 verified + SHA-256)",
      run: async () => {
        const result = await downloadFile({ url, target, expectedSize: SIZE });
        if (!result.crcVerified || result.crc64 !== crc) throw new Error("downloadFile did not verify the CRC");
      },
    },
  ];
  const samples = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  for (let round = 0; round < Number(args.rounds); round++) {
    for (const c of round % 2 ? [...contenders].reverse() : contenders) {
      await rm(target, { force: true });
      const started = performance.now();
      await c.run();
      samples.get(c.name)!.push(SIZE / MIB / ((performance.now() - started) / 1000));
    }
  }
  const base = median(samples.get(contenders[0]!.name)!);
  console.log(`${args.mib} MiB from the COS emulator on loopback (server in a child process), median of ${args.rounds} rounds\n`);
  console.log(
    renderTable(
      ["download", "MiB/s", "vs floor"],
      contenders.map((c) => {
        const mibs = median(samples.get(c.name)!);
        return [c.name, mibs.toFixed(0), `${(mibs / base).toFixed(2)}×`];
      }),
    ),
  );

  // Resume: the file of the last round, cut back to 90 % and given back its sidecar.
  await rm(target, { force: true });
  const cut = Math.floor(SIZE * 0.9);
  await floor(url, `${target}.part`, {});
  await truncate(`${target}.part`, cut);
  const probe = await fetch(url, { headers: { range: "bytes=0-0" } });
  await probe.arrayBuffer();
  const { writeFile } = await import("node:fs/promises");
  await writeFile(`${target}.part.json`, JSON.stringify({ schema: 1, expectedSize: SIZE, validator: probe.headers.get("etag"), startedAt: new Date().toISOString() }));
  const started = performance.now();
  const resumed = await downloadFile({ url, target, expectedSize: SIZE });
  const totalMs = performance.now() - started;
  console.log(
    `\nresume of a 90 % partial file: fetched ${resumed.bytesFetched} of ${SIZE} bytes (${((resumed.bytesFetched / SIZE) * 100).toFixed(1)} %), ` +
      `re-read ${(cut / MIB).toFixed(0)} MiB into CRC-64 + SHA-256 in ${resumed.rehashMs.toFixed(0)} ms (${(cut / MIB / (resumed.rehashMs / 1000)).toFixed(0)} MiB/s), ` +
      `whole call ${totalMs.toFixed(0)} ms, CRC ${resumed.crcVerified ? "verified" : "NOT verified"}`,
  );
}
