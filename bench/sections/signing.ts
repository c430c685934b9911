/**
 * Signing throughput, in one process: tcgen's `signTc3`, the official SDK's `Sign.sign3` and the bare
 * crypto floor, each signing the same CreateBackupDownloadTask request, alternated in short rounds
 * after a warm-up round; prints one JSON line with every round's ops per wall second and per CPU
 * second. Bundled to a .mjs and run with node:
 *
 *   node signing.mjs '{"rounds":9,"roundMs":150}'
 */
import { createRequire } from "node:module";
import { signTc3 } from "../../runtime/request/sign-tc3.js";
import { floorTc3 } from "../floor-tc3.js";
import { BENCH_CREDENTIALS, benchInput } from "../lib/fixture.js";

interface Sign3Args {
  method: string;
  url: string;
  payload: unknown;
  timestamp: number;
  service: string;
  secretId: string;
  secretKey: string;
  multipart: boolean;
  boundary?: string;
  headers: Record<string, unknown>;
}
const require = createRequire(import.meta.url);
// The module the SDK's clients call, resolved from the SDK as they resolve it.
const sdkRequire = createRequire(require.resolve("tencentcloud-sdk-nodejs-mongodb"));
const Sign = (sdkRequire("tencentcloud-sdk-nodejs-common/tencentcloud/common/sign") as { default: { sign3(args: Sign3Args): string } })
  .default;

const config = JSON.parse(process.argv[2] ?? "{}") as { rounds?: number; roundMs?: number };
const rounds = config.rounds ?? 9;
const roundMs = config.roundMs ?? 150;

const { secretId, secretKey } = BENCH_CREDENTIALS;
const host = "mongodb.tencentcloudapi.com";
const timestamp = Math.floor(Date.now() / 1000);
const input = benchInput();
const payload = JSON.stringify(input);
const payloadBuffer = Buffer.from(payload);
/** The headers the SDK passes to sign3 (it reads Content-Type from them). */
const sdkHeaders = {
  "Content-Type": "application/json",
  Host: host,
  "X-TC-Action": "CreateBackupDownloadTask",
  "X-TC-Region": "ap-guangzhou",
  "X-TC-Timestamp": timestamp,
  "X-TC-Version": "2019-07-25",
  "X-TC-RequestClient": "SDK_NODEJS_4.1.220",
};

interface Contender {
  name: string;
  note: string;
  sign: () => string;
}

const contenders: Contender[] = [
  {
    name: "tcgen",
    note: "signTc3 as runtime/prepare.ts calls it: content-type;host;x-tc-action, payload string",
    sign: () =>
      signTc3({
        method: "POST",
        host,
        contentType: "application/json",
        signedHeaders: { "X-TC-Action": "CreateBackupDownloadTask" },
        query: "",
        payload,
        timestamp,
        service: "mongodb",
        credentials: BENCH_CREDENTIALS,
      }).authorization,
  },
  {
    name: "tcgen (content-type;host)",
    note: "signTc3 signing what Sign.sign3 and the floor sign, for the equality check",
    sign: () =>
      signTc3({ method: "POST", host, contentType: "application/json", payload, timestamp, service: "mongodb", credentials: BENCH_CREDENTIALS })
        .authorization,
  },
  {
    name: "official",
    note: "Sign.sign3 as the SDK calls it: the params object as payload (json-bigint stringifies it), URL parsed",
    sign: () =>
      Sign.sign3({
        method: "POST",
        url: `http://${host}/`,
        payload: input,
        timestamp,
        service: "mongodb",
        secretId,
        secretKey,
        multipart: false,
        headers: sdkHeaders,
      }),
  },
  {
    name: "official (Buffer payload)",
    note: "Sign.sign3 given the body as a Buffer: no JSON step",
    sign: () =>
      Sign.sign3({
        method: "POST",
        url: `http://${host}/`,
        payload: payloadBuffer,
        timestamp,
        service: "mongodb",
        secretId,
        secretKey,
        multipart: false,
        headers: sdkHeaders,
      }),
  },
  {
    name: "floor",
    note: "bare node:crypto: two SHA-256 and four HMACs, no checks, no cache",
    sign: () => floorTc3(secretId, secretKey, "mongodb", host, timestamp, payload),
  },
];

// The same request must give the same signature whoever signs it.
const reference = contenders.find((c) => c.name === "floor")!.sign();
const agree: Record<string, boolean> = {};
for (const c of contenders) if (c.name !== "tcgen") agree[c.name] = c.sign() === reference;

/**
 * One slice of about `ms` milliseconds (batches of 256, at most 5 s): ops per wall second, and ops
 * per CPU second of this process (user + system, GC threads included), which other processes on
 * a shared machine cannot inflate by preempting us.
 */
function measure(sign: () => string, ms: number): { wall: number; cpu: number } {
  let sink = 0;
  let ops = 0;
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const budget = BigInt(Math.min(ms, 5000)) * 1_000_000n;
  let elapsed = 0n;
  while (elapsed < budget) {
    for (let i = 0; i < 256; i++) sink += sign().length;
    ops += 256;
    elapsed = process.hrtime.bigint() - started;
  }
  const cpu = process.cpuUsage(cpuBefore);
  if (sink === 0) throw new Error("unreachable");
  return { wall: ops / (Number(elapsed) / 1e9), cpu: ops / ((cpu.user + cpu.system) / 1e6) };
}

for (const c of contenders) measure(c.sign, roundMs); // warm-up round
const opsPerSecond: Record<string, number[]> = Object.fromEntries(contenders.map((c) => [c.name, []]));
const opsPerCpuSecond: Record<string, number[]> = Object.fromEntries(contenders.map((c) => [c.name, []]));
for (let round = 0; round < rounds; round++) {
  // Rotate the order so no contender always runs right after the same one.
  for (let k = 0; k < contenders.length; k++) {
    const c = contenders[(round + k) % contenders.length]!;
    const { wall, cpu } = measure(c.sign, roundMs);
    opsPerSecond[c.name]!.push(wall);
    opsPerCpuSecond[c.name]!.push(cpu);
  }
}
process.stdout.write(
  `${JSON.stringify({ contenders: contenders.map(({ name, note }) => ({ name, note })), opsPerSecond, opsPerCpuSecond, signaturesAgree: agree, rounds, roundMs })}\n`,
);
