/**
 * The per-call path taken apart, without a network: what each layer between the caller and the
 * socket costs on its own, in CPU µs per call (one process, rounds alternating the cases, medians).
 * The in-memory `fetch` answers with a ready Response, so the first two rows are everything tcgen
 * and openapi-fetch do around the transport. Bundled to a .mjs and run with node.
 */
import createClient from "openapi-fetch";
import { createMongodbClient } from "../../generated/mongodb/index.js";
import type { paths } from "../../generated/mongodb/schema.js";
import { signTc3 } from "../../runtime/request/sign-tc3.js";
import { floorTc3 } from "../floor-tc3.js";
import { BENCH_ANSWER, BENCH_CREDENTIALS, benchInput, checkResult } from "../lib/fixture.js";

const config = JSON.parse(process.argv[2] ?? "{}") as { rounds?: number; roundMs?: number };
const rounds = config.rounds ?? 7;
const roundMs = config.roundMs ?? 150;

const url = "http://127.0.0.1:9/";
const answerHeaders = { "Content-Type": "application/json" };
const inMemoryFetch = async (_request: Request): Promise<Response> => new Response(BENCH_ANSWER, { status: 200, headers: answerHeaders });
const requestHeaders = {
  "Content-Type": "application/json",
  "X-TC-Action": "CreateBackupDownloadTask",
  "X-TC-Version": "2019-07-25",
  "X-TC-Timestamp": "1795871075",
  "X-TC-RequestClient": "tcgen/0.1.0",
  "X-TC-Region": "ap-guangzhou",
  Authorization: "TC3-HMAC-SHA256 Credential=AKID/2026-11-28/mongodb/tc3_request, SignedHeaders=content-type;host;x-tc-action, Signature=0",
};

const mongodb = createMongodbClient({ credentials: BENCH_CREDENTIALS, region: "ap-guangzhou", endpoint: url, rateLimit: false, fetch: inMemoryFetch });
const bare = createClient<paths>({ baseUrl: "http://127.0.0.1:9", fetch: inMemoryFetch });
const timestamp = Math.floor(Date.now() / 1000);

const cases: { name: string; run: () => Promise<unknown> | unknown }[] = [
  { name: "tcgen client call, in-memory fetch (call + runCall + fetch transport + signing + envelope)", run: () => mongodb.createBackupDownloadTask(benchInput()) },
  { name: "openapi-fetch POST alone, in-memory fetch, no middleware (JSON body, parseAs text)", run: () => bare.POST("/CreateBackupDownloadTask", { body: benchInput(), parseAs: "text" }) },
  { name: "new Request(url, POST, 7 headers, string body) + await request.text()", run: () => new Request(url, { method: "POST", headers: requestHeaders, body: JSON.stringify(benchInput()) }).text() },
  { name: "new Request(url, POST, 7 headers, string body), body not read", run: () => new Request(url, { method: "POST", headers: requestHeaders, body: JSON.stringify(benchInput()) }) },
  { name: "new Response(answer) + await response.text()", run: () => new Response(BENCH_ANSWER, { status: 200, headers: answerHeaders }).text() },
  { name: "new AbortController()", run: () => new AbortController() },
  {
    name: "signTc3 as the middleware calls it",
    run: () =>
      signTc3({
        method: "POST",
        host: "127.0.0.1:9",
        contentType: "application/json",
        signedHeaders: { "X-TC-Action": "CreateBackupDownloadTask" },
        query: "",
        payload: JSON.stringify(benchInput()),
        timestamp,
        service: "mongodb",
        credentials: BENCH_CREDENTIALS,
      }),
  },
  { name: "floor TC3 (2 SHA-256 + 4 HMAC)", run: () => floorTc3(BENCH_CREDENTIALS.secretId, BENCH_CREDENTIALS.secretKey, "mongodb", "127.0.0.1:9", timestamp, JSON.stringify(benchInput())) },
  { name: "JSON.stringify(input) + JSON.parse(answer)", run: () => [JSON.stringify(benchInput()), JSON.parse(BENCH_ANSWER) as unknown] },
];

/**
 * CPU µs per operation over about `ms` milliseconds, awaiting each operation (at most 5 s): CPU
 * time of this process (GC threads included), so other processes on a shared machine cannot
 * inflate it by preempting us.
 */
async function measure(run: () => Promise<unknown> | unknown, ms: number): Promise<number> {
  let ops = 0;
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const budget = BigInt(Math.min(ms, 5000)) * 1_000_000n;
  let elapsed = 0n;
  while (elapsed < budget) {
    for (let i = 0; i < 64; i++) await run();
    ops += 64;
    elapsed = process.hrtime.bigint() - started;
  }
  const cpu = process.cpuUsage(cpuBefore);
  return (cpu.user + cpu.system) / ops;
}

async function main(): Promise<void> {
  checkResult(await mongodb.createBackupDownloadTask(benchInput()));
  for (const c of cases) await measure(c.run, roundMs); // warm-up
  const usPerOp: Record<string, number[]> = Object.fromEntries(cases.map((c) => [c.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < cases.length; k++) {
      const c = cases[(round + k) % cases.length]!;
      usPerOp[c.name]!.push(await measure(c.run, roundMs));
    }
  }
  process.stdout.write(`${JSON.stringify({ cases: cases.map((c) => c.name), usPerOp, rounds, roundMs })}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
