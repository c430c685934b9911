/**
 * downloadFile against the COS emulator on loopback: resume after a cut (bytes fetched), a refreshed
 * URL, a corrupted byte, an endless body, an object replaced between attempts, a stall.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { downloadFile, isExpired, type DownloadEvent } from "../../jobs/backup/download.js";
import { ChecksumMismatchError, DownloadError, SizeMismatchError, UrlExpiredError } from "../../jobs/backup/errors.js";
import { bytesOf, startCosServer, type RunningCosServer } from "../../mock/cos/index.js";

const MiB = 1024 * 1024;
let cos: RunningCosServer;
let dir: string;
let clock = Date.now();
let n = 0;

beforeAll(async () => {
  cos = await startCosServer({ now: () => clock });
  dir = await mkdtemp(path.join(os.tmpdir(), "tcgen-download-"));
});
afterAll(async () => {
  await cos.close();
  await rm(dir, { recursive: true, force: true });
});

/** A fresh object of `size` bytes and a target file name for it. */
function object(size: number, extra: Partial<Parameters<RunningCosServer["put"]>[0]> = {}) {
  const key = `backups/file-${++n}.tar`;
  cos.put({ key, size, ...extra });
  return { key, target: path.join(dir, `file-${n}.tar`), url: cos.presign(key) };
}

const sha256 = (data: Uint8Array) => createHash("sha256").update(data).digest("hex");
const noWait = () => 0;

describe("downloadFile", () => {
  it("downloads, verifies the CRC-64 and SHA-256, and leaves only the final file", async () => {
    const { key, target, url } = object(3 * MiB + 17);
    const result = await downloadFile({ url, target, expectedSize: 3 * MiB + 17 });
    const data = await readFile(target);
    expect(data.equals(bytesOf(cos.content(key)))).toBe(true);
    expect(result).toMatchObject({ size: 3 * MiB + 17, crcVerified: true, crc64: (await cos.crc(key)).toString(), sha256: sha256(data), resumedFrom: 0, attempts: 1 });
    expect(result.bytesFetched).toBe(3 * MiB + 17);
    expect(existsSync(`${target}.part`) || existsSync(`${target}.part.json`)).toBe(false);
  });

  it("resumes a download cut at 90 % from there, within one call", async () => {
    const size = 8 * MiB;
    const { key, target, url } = object(size, { faults: [{ kind: "drop", atByte: Math.floor(size * 0.9) }] });
    const events: DownloadEvent[] = [];
    const result = await downloadFile({ url, target, expectedSize: size, backoff: noWait, onProgress: (e) => events.push(e) });
    expect((await readFile(target)).equals(bytesOf(cos.content(key)))).toBe(true);
    const gets = cos.log.filter((r) => r.key === key);
    expect(gets.map((r) => r.status)).toEqual([200, 206]);
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(gets[1]!.range!)![1]);
    expect(resumedAt).toBeGreaterThan(size * 0.85);
    expect(gets[1]!.ifRange).toBe(cos.etag(key));
    expect(result.attempts).toBe(2);
    expect(result.bytesFetched).toBe(size); // no byte fetched twice
    expect(events.some((e) => e.type === "retry")).toBe(true);
  });

  it("resumes a partial file left by an earlier run, fetching only the missing ~10 %", async () => {
    const size = 10 * MiB;
    const { key, target, url } = object(size, { faults: [{ kind: "drop", atByte: 9 * MiB }] });
    const first = downloadFile({ url, target, expectedSize: size, maxAttempts: 1 });
    await expect(first).rejects.toThrow(/gave up after 1 failed attempt.*partial file is kept/);
    const kept = (await stat(`${target}.part`)).size;
    expect(kept).toBeGreaterThan(8 * MiB);
    expect(JSON.parse(await readFile(`${target}.part.json`, "utf8"))).toMatchObject({ schema: 1, expectedSize: size, validator: cos.etag(key) });

    const second = await downloadFile({ url, target, expectedSize: size });
    expect(second.resumedFrom).toBe(kept);
    expect(second.bytesFetched).toBe(size - kept);
    expect(second.bytesFetched / size).toBeLessThan(0.15);
    expect(second.crcVerified).toBe(true);
    expect((await readFile(target)).equals(bytesOf(cos.content(key)))).toBe(true);
  });

  it("resumes after the downloading process was killed (SIGKILL) mid-way", async () => {
    const size = 12 * MiB;
    const { key, target, url } = object(size, { faults: [{ kind: "stall", atByte: 8 * MiB }] });
    const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("./download-child.ts", import.meta.url)), url, target, String(size)], { stdio: "ignore" });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    try {
      // Until the child has written (at least) the first 7 MiB; it then waits on the stalled server.
      for (let waited = 0; ((await stat(`${target}.part`).catch(() => undefined))?.size ?? 0) < 7 * MiB; waited += 50) {
        if (waited > 30_000) throw new Error("the child did not get going");
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      child.kill("SIGKILL");
      await exited;
    }
    const kept = (await stat(`${target}.part`)).size;
    const result = await downloadFile({ url, target, expectedSize: size });
    expect(result.resumedFrom).toBe(kept);
    expect(result.bytesFetched).toBe(size - kept);
    expect(result.crcVerified).toBe(true);
    expect((await readFile(target)).equals(bytesOf(cos.content(key)))).toBe(true);
  });

  it("re-checks a complete partial file by fetching its last byte (the CRC comes with the headers)", async () => {
    const size = 2 * MiB;
    const { key, target, url } = object(size);
    await writeFile(`${target}.part`, bytesOf(cos.content(key)));
    await writeFile(`${target}.part.json`, JSON.stringify({ schema: 1, expectedSize: size, validator: cos.etag(key), startedAt: new Date().toISOString() }));
    const result = await downloadFile({ url, target, expectedSize: size });
    expect(result).toMatchObject({ bytesFetched: 1, resumedFrom: size - 1, crcVerified: true });
  });

  it("gets a fresh URL when the one it has has expired, before asking", async () => {
    const size = MiB;
    const { key, target } = object(size);
    const stale = cos.presign(key, { startSeconds: Math.floor(clock / 1000) - 90_000, expiresSeconds: 86_400 });
    expect(isExpired(stale, clock)).toBe(true);
    let asked = 0;
    const result = await downloadFile({ url: stale, target, expectedSize: size, getFreshUrl: async () => (asked++, cos.presign(key)) });
    expect(asked).toBe(1);
    expect(result.urlRefreshes).toBe(1);
    expect(cos.log.filter((r) => r.key === key).map((r) => r.status)).toEqual([200]);
  });

  // The URL's 60 s window ends while the first attempt is cut (the clock moves 120 s in the backoff).
  // When the job's clock sees it, the URL is refreshed before asking; when only the server's does, the 403 tells.
  it.each([
    { seen: "by the server only: the 403 asks for a fresh URL", moves: "server", statuses: [200, 403, 206] },
    { seen: "by the job's clock: a fresh URL before the retry, no 403", moves: "job", statuses: [200, 206] },
  ] as const)("gets a fresh URL when the window ended during a cut, seen $seen", async ({ moves, statuses }) => {
    const size = 4 * MiB;
    const { key, target } = object(size, { faults: [{ kind: "drop", atByte: 2 * MiB }] });
    const url = cos.presign(key, { expiresSeconds: 60 });
    const saved = clock;
    let jobClock = clock;
    let asked = 0;
    const result = await downloadFile({
      url,
      target,
      expectedSize: size,
      now: () => jobClock,
      backoff: () => (moves === "server" ? (clock = saved + 120_000) : (jobClock = saved + 120_000), 0),
      getFreshUrl: async () => (asked++, cos.presign(key)),
    });
    clock = saved;
    expect(asked).toBe(1);
    expect(cos.log.filter((r) => r.key === key).map((r) => r.status)).toEqual(statuses);
    expect(result).toMatchObject({ urlRefreshes: 1, bytesFetched: size });
  });

  it("gives up with UrlExpiredError when fresh URLs keep being refused", async () => {
    const { key, target } = object(MiB);
    const bad = cos.presign(key).replace(/q-signature=[0-9a-f]+/, "q-signature=" + "0".repeat(40));
    const download = downloadFile({ url: bad, target, expectedSize: MiB, getFreshUrl: async () => bad, maxUrlRefreshes: 2 });
    await expect(download).rejects.toBeInstanceOf(UrlExpiredError);
    await expect(download).rejects.toThrow(/403 \(SignatureDoesNotMatch.*after 2 fresh URLs/);
  });

  it("fails a corrupted byte on the CRC-64 and keeps no file", async () => {
    const size = 3 * MiB;
    const { target, url } = object(size, { faults: [{ kind: "corrupt", atByte: 1_234_567 }] });
    const download = downloadFile({ url, target, expectedSize: size });
    await expect(download).rejects.toBeInstanceOf(ChecksumMismatchError);
    await expect(download).rejects.toThrow(/was not kept/);
    for (const name of [target, `${target}.part`, `${target}.part.json`]) expect(existsSync(name)).toBe(false);
  });

  it("stops an endless body as soon as it passes expectedSize, writing no byte past it", async () => {
    const size = 2 * MiB;
    const { target, url } = object(size, { faults: [{ kind: "endless" }] });
    let fetched = 0;
    let mostWritten = 0;
    const download = downloadFile({
      url,
      target,
      expectedSize: size,
      onProgress: (e) => {
        if (e.type === "progress") [fetched, mostWritten] = [e.fetched, Math.max(mostWritten, e.written)];
      },
    });
    await expect(download).rejects.toBeInstanceOf(SizeMismatchError);
    await expect(download).rejects.toThrow(/sent more than the expected 2097152 bytes/);
    expect(mostWritten).toBeLessThanOrEqual(size);
    expect(fetched).toBeGreaterThan(size);
    expect(fetched - size).toBeLessThanOrEqual(1 * MiB); // one network chunk past the limit at most
    expect(existsSync(target) || existsSync(`${target}.part`)).toBe(false);
  });

  it("refuses an object whose Content-Length is not expectedSize before writing anything", async () => {
    const { target, url } = object(MiB);
    await expect(downloadFile({ url, target, expectedSize: MiB + 1 })).rejects.toThrow(/announces 1048576 bytes.*1048577 bytes in all/);
    const lying = object(MiB, { faults: [{ kind: "wrong-length", contentLength: MiB - 10 }] });
    await expect(downloadFile({ url: lying.url, target: lying.target, expectedSize: MiB })).rejects.toBeInstanceOf(SizeMismatchError);
  });

  it("starts again from byte 0 when the object changed between attempts (If-Range answered 200)", async () => {
    const size = 4 * MiB;
    const { key, target, url } = object(size, { faults: [{ kind: "drop", atByte: 3 * MiB }] });
    await expect(downloadFile({ url, target, expectedSize: size, maxAttempts: 1 })).rejects.toThrow(DownloadError);
    const oldEtag = cos.etag(key);
    cos.replace(key);
    expect(cos.etag(key)).not.toBe(oldEtag);
    const events: DownloadEvent[] = [];
    const result = await downloadFile({ url, target, expectedSize: size, onProgress: (e) => events.push(e) });
    expect(events.find((e) => e.type === "restart")).toMatchObject({ reason: expect.stringMatching(/answered 200 to a request from byte \d+: the object changed/) });
    const last = cos.log.filter((r) => r.key === key).at(-1)!;
    expect(last).toMatchObject({ status: 200, ifRange: oldEtag });
    expect(result).toMatchObject({ restarts: 1, validator: cos.etag(key), crcVerified: true });
    expect((await readFile(target)).equals(bytesOf(cos.content(key)))).toBe(true);
  });

  it("resumes with Last-Modified when the server sends no ETag", async () => {
    const size = 2 * MiB;
    const { key, target, url } = object(size, { sendEtag: false, faults: [{ kind: "drop", atByte: MiB }] });
    const result = await downloadFile({ url, target, expectedSize: size, backoff: noWait });
    const resumed = cos.log.filter((r) => r.key === key)[1]!;
    expect(resumed.status).toBe(206);
    expect(resumed.ifRange).toMatch(/GMT$/);
    expect(result.bytesFetched).toBe(size);
  });

  it("aborts a stalled attempt after stallMs and resumes", async () => {
    const size = 2 * MiB;
    const { key, target, url } = object(size, { faults: [{ kind: "stall", atByte: MiB }] });
    const events: DownloadEvent[] = [];
    const result = await downloadFile({ url, target, expectedSize: size, stallMs: 300, backoff: noWait, onProgress: (e) => events.push(e) });
    expect(events.find((e) => e.type === "retry")).toMatchObject({ error: "no data for 0.3 s" });
    expect(cos.log.filter((r) => r.key === key).map((r) => r.status)).toEqual([200, 206]);
    expect(result.bytesFetched).toBe(size);
  });

  it("ends an attempt at its deadline even while bytes trickle in, and resumes", async () => {
    const size = 2 * MiB;
    const { key, target, url } = object(size, { faults: [{ kind: "stall", atByte: MiB, ms: 1_500 }] });
    const events: DownloadEvent[] = [];
    const result = await downloadFile({ url, target, expectedSize: size, stallMs: 10_000, attemptTimeoutMs: 400, backoff: noWait, onProgress: (e) => events.push(e) });
    expect(events.find((e) => e.type === "retry")).toMatchObject({ error: "the attempt ran past its 0.4 s deadline" });
    expect(cos.log.filter((r) => r.key === key).map((r) => r.status)).toEqual([200, 206]);
    expect(result.bytesFetched).toBe(size);
  });

  it("keeps the partial file when the caller aborts, for a later resume", async () => {
    const size = 4 * MiB;
    const { target, url } = object(size, { faults: [{ kind: "stall", atByte: 2 * MiB }] });
    const controller = new AbortController();
    const download = downloadFile({
      url,
      target,
      expectedSize: size,
      signal: controller.signal,
      onProgress: (e) => {
        if (e.type === "progress" && e.written >= 2 * MiB) controller.abort(new Error("stop"));
      },
    });
    await expect(download).rejects.toThrow("stop");
    expect((await stat(`${target}.part`)).size).toBe(2 * MiB);
    expect(existsSync(`${target}.part.json`)).toBe(true);
  });

  it("downloads a several-hundred-MiB file with its CRC-64 verified (throughput: npm run bench:download)", async () => {
    const size = 320 * MiB;
    const { key, target, url } = object(size);
    const result = await downloadFile({ url, target, expectedSize: size });
    expect(result).toMatchObject({ size, crcVerified: true, crc64: (await cos.crc(key)).toString(), bytesFetched: size, attempts: 1 });
    expect((await stat(target)).size).toBe(size);
    await rm(target);
  });

  it("downloads an empty object", async () => {
    const { key, target, url } = object(0);
    const result = await downloadFile({ url, target, expectedSize: 0 });
    expect(result).toMatchObject({ size: 0, crcVerified: true, crc64: (await cos.crc(key)).toString(), sha256: sha256(new Uint8Array()) });
    expect((await stat(target)).size).toBe(0);
  });

  it("retries a 5xx answer and resumes; does not retry a 404", async () => {
    const size = 2 * MiB;
    const { key, target, url } = object(size, { faults: [{ kind: "drop", atByte: MiB }] });
    let calls = 0;
    // A fetch that answers 503 once, after the cut: the download goes on from where it was.
    const flaky: typeof fetch = async (input, init) => (++calls === 2 ? new Response("busy", { status: 503 }) : fetch(input, init));
    const result = await downloadFile({ url, target, expectedSize: size, fetch: flaky, backoff: noWait });
    expect(result.attempts).toBe(3);
    expect(result.bytesFetched).toBe(size);
    expect((await readFile(target)).equals(bytesOf(cos.content(key)))).toBe(true);
    const missing = cos.presign("backups/never-put.tar");
    await expect(downloadFile({ url: missing, target: path.join(dir, "never.tar"), expectedSize: 1, backoff: noWait })).rejects.toThrow(/answered HTTP 404 \(NoSuchKey/);
  });

  it("gives up after maxAttempts when every attempt is cut", async () => {
    const { target, url } = object(MiB, { faults: [{ kind: "drop", atByte: 0, times: Number.POSITIVE_INFINITY }] });
    await expect(downloadFile({ url, target, expectedSize: MiB, maxAttempts: 3, backoff: noWait })).rejects.toThrow(/gave up after 3 failed attempts/);
  });
});
