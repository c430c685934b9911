/**
 * `tcgen-backup`: the nightly backup job as a command (runBackupJob / runFleetWorker plus arguments,
 * display and exit codes). See USAGE below, or `tcgen-backup --help`.
 */
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { humanDisplay, jsonDisplay, type Display } from "./display.js";
import { describe, EXIT_CODES, runBackupJob, type BackupChoice, type BackupJobOptions, type BackupJobResult } from "./job.js";
import type { RedisRateLimiter } from "./redis-limiter.js";
import { createTencentBackupApi, mongodbRateLimits, NotAvailableError, type InstanceRef } from "./tencent.js";

export const USAGE = `usage: tcgen-backup (--instance [REGION/]ID ... | --region REGION ...) [options]

Backs up TencentDB for MongoDB instances: for each, the newest successful backup (or --backup NAME,
or --on-demand), every replica set or shard, into OUT/<instance>/<backup>/, each file resumed after
a cut, its URL refreshed when it expires, its size, CRC-64 (x-cos-hash-crc64ecma) and SHA-256 checked,
and a manifest.json written last. A rerun skips what the manifest verifies and resumes the rest.

What to back up:
  --instance [REGION/]ID   an instance (repeatable); REGION defaults to the first --region or ap-guangzhou
  --region REGION          every instance in the region (repeatable; DescribeDBInstances)
  --backup NAME            that backup instead of the newest successful one
  --on-demand              a fresh backup, created and waited for

Where and how:
  --out DIR                root directory (default ./backups)
  --concurrency N          instances at once, and files downloading at once in all (default 4)
  --endpoint URL           API endpoint (default Tencent Cloud's; with no endpoint and no credentials,
                           the embedded emulator)
  --call-timeout-seconds S deadline of every API call (default 120, each attempt at most 60)
  --timeout-minutes M      longest wait for the download tasks (default 30)
  --stall-seconds S        a download receiving nothing for S seconds is cut and resumed (default 60)

Output:
  --json                   one JSON event per line on stdout (the summary last), for machines
                           (default: a live display on a terminal, plain lines otherwise)

Many processes, many machines:
  --redis URL              share Tencent's per-account rate limits through Redis (redis://host:port)
  --enqueue                queue tonight's instances in Redis (each once per night), then exit
  --fleet                  take instances from tonight's queue until none is left (needs --redis)
  --night YYYY-MM-DD       the night of --enqueue / --fleet (default today, UTC)

Copies off the job's disk (S3-compatible, e.g. COS):
  --s3-bucket B  --s3-endpoint URL  --s3-prefix P  --s3-region R (default the first --region)
  --keep-daily N --keep-weekly M   retention of the copies (newest of N days, M ISO weeks)

Exit codes:
  0  complete: every instance's backup verified and its manifest written
  3  partial: some instances complete, others incomplete or failed (see the summary)
  1  failed: no instance complete (or the run could not start: no API, no Redis)
  2  usage: bad arguments or an unavailable choice (nothing was downloaded)
  130 interrupted (Ctrl-C): partial files are kept for the next run

Credentials: TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY or ~/.tencentcloud/credentials.
`;

class UsageError extends Error {}

interface Cli {
  readonly options: Omit<BackupJobOptions, "api" | "onEvent" | "signal">;
  readonly instances: InstanceRef[];
  readonly regions: string[];
  readonly endpoint: string | undefined;
  readonly callTimeoutMs: number | undefined;
  readonly waitTimeoutMs: number;
  readonly json: boolean;
  readonly redis: string | undefined;
  readonly fleet: boolean;
  readonly enqueue: boolean;
  readonly night: string;
}

function positive(name: string, text: string | undefined, fallback: number, integer = false): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!(value > 0) || (integer && !Number.isInteger(value))) throw new UsageError(`--${name} must be a positive ${integer ? "whole " : ""}number, got "${text}"`);
  return value;
}

export function parseCli(argv: readonly string[]): Cli | "help" {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        help: { type: "boolean", short: "h" },
        instance: { type: "string", multiple: true },
        region: { type: "string", multiple: true },
        backup: { type: "string" },
        "on-demand": { type: "boolean" },
        out: { type: "string" },
        concurrency: { type: "string" },
        endpoint: { type: "string" },
        "call-timeout-seconds": { type: "string" },
        "timeout-minutes": { type: "string" },
        "stall-seconds": { type: "string" },
        json: { type: "boolean" },
        redis: { type: "string" },
        fleet: { type: "boolean" },
        enqueue: { type: "boolean" },
        night: { type: "string" },
        "s3-bucket": { type: "string" },
        "s3-endpoint": { type: "string" },
        "s3-prefix": { type: "string" },
        "s3-region": { type: "string" },
        "keep-daily": { type: "string" },
        "keep-weekly": { type: "string" },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const v = parsed.values;
  if (v.help) return "help";
  const regions = v.region ?? [];
  const instances = (v.instance ?? []).map((text) => {
    const match = /^(?:([a-z]+-[a-z0-9-]+)\/)?([A-Za-z0-9_-]+)$/.exec(text);
    if (!match) throw new UsageError(`--instance must be [REGION/]ID, e.g. cmgo-p8vnipr5 or ap-shanghai/cmgo-p8vnipr5, got "${text}"`);
    return { region: match[1] ?? regions[0] ?? "ap-guangzhou", instanceId: match[2]! };
  });
  if (!v.fleet && instances.length === 0 && regions.length === 0) throw new UsageError("say what to back up: --instance ID (repeatable) or --region REGION (every instance there)");
  if (v.backup !== undefined && v["on-demand"]) throw new UsageError("--backup and --on-demand exclude each other");
  if ((v.fleet || v.enqueue) && !v.redis) throw new UsageError(`--${v.fleet ? "fleet" : "enqueue"} needs --redis URL (the queue lives in Redis)`);
  if (v.fleet && v.enqueue && instances.length === 0 && regions.length === 0) throw new UsageError("--enqueue needs --instance or --region");
  // The UTC date, as the queue names nights (queue.ts nightOf; not imported: it loads BullMQ).
  const night = v.night ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(night)) throw new UsageError(`--night must be YYYY-MM-DD, got "${night}"`);
  if ((v["keep-daily"] || v["keep-weekly"] || v["s3-prefix"] || v["s3-endpoint"]) && !v["s3-bucket"]) throw new UsageError("--keep-daily, --keep-weekly, --s3-prefix and --s3-endpoint need --s3-bucket");
  const backup: BackupChoice = v["on-demand"] ? { kind: "on-demand" } : v.backup !== undefined ? { kind: "named", name: v.backup } : { kind: "newest" };
  const callTimeoutSeconds = v["call-timeout-seconds"] === undefined ? undefined : positive("call-timeout-seconds", v["call-timeout-seconds"], 0);
  const keepDaily = positive("keep-daily", v["keep-daily"], 0, true);
  const keepWeekly = positive("keep-weekly", v["keep-weekly"], 0, true);
  const s3Region = v["s3-region"] ?? regions[0] ?? instances[0]?.region ?? "ap-guangzhou";
  return {
    options: {
      backup,
      out: path.resolve(v.out ?? "backups"),
      concurrency: positive("concurrency", v.concurrency, 4, true),
      download: { stallMs: positive("stall-seconds", v["stall-seconds"], 60) * 1000 },
      ...(v["s3-bucket"]
        ? {
            s3: {
              target: { bucket: v["s3-bucket"], region: s3Region, ...(v["s3-endpoint"] ? { endpoint: v["s3-endpoint"], forcePathStyle: true } : {}), ...(v["s3-prefix"] ? { prefix: v["s3-prefix"] } : {}) },
              ...(keepDaily || keepWeekly ? { retention: { keepDaily, keepWeekly } } : {}),
            },
          }
        : {}),
    },
    instances,
    regions,
    endpoint: v.endpoint,
    callTimeoutMs: callTimeoutSeconds === undefined ? undefined : callTimeoutSeconds * 1000,
    waitTimeoutMs: positive("timeout-minutes", v["timeout-minutes"], 30) * 60_000,
    json: v.json === true,
    redis: v.redis,
    fleet: v.fleet === true,
    enqueue: v.enqueue === true,
    night,
  };
}

/** Runs the command; resolves to its exit code. `out`/`err` are the process's unless given. */
export async function main(argv: readonly string[], io: { out?: NodeJS.WriteStream; err?: NodeJS.WriteStream; signal?: AbortSignal } = {}): Promise<number> {
  const out = io.out ?? process.stdout;
  const err = io.err ?? process.stderr;
  let cli: Cli | "help";
  try {
    cli = parseCli(argv);
  } catch (error) {
    err.write(`tcgen-backup: ${(error as Error).message}\n(tcgen-backup --help for the options)\n`);
    return EXIT_CODES.usage;
  }
  if (cli === "help") {
    out.write(USAGE);
    return EXIT_CODES.complete;
  }
  const display: Display = cli.json ? jsonDisplay(out) : humanDisplay(out);
  const closers: (() => Promise<unknown>)[] = [];
  try {
    const endpoint = await endpointOf(cli, display, closers);
    let limiter: RedisRateLimiter | undefined;
    if (cli.redis) {
      const { RedisRateLimiter } = await import("./redis-limiter.js");
      const account = endpoint.credentials?.secretId ?? process.env["TENCENTCLOUD_SECRET_ID"] ?? "default";
      const created = new RedisRateLimiter({ redis: cli.redis, account });
      limiter = created;
      closers.push(() => created.close());
    }
    const fleetOptions = limiter ? (await import("./redis-limiter.js")).fleetClientOptions(limiter, mongodbRateLimits) : {};
    const api = createTencentBackupApi({
      instances: cli.instances,
      waitTimeoutMs: cli.waitTimeoutMs,
      client: {
        ...(endpoint.url ? { endpoint: endpoint.url } : {}),
        ...(endpoint.credentials ? { credentials: endpoint.credentials } : {}),
        ...(cli.callTimeoutMs !== undefined ? { timeoutMs: cli.callTimeoutMs } : {}),
        ...fleetOptions,
      },
    });
    const common = { ...cli.options, api, onEvent: (event: Parameters<Display["event"]>[0]) => display.event(event), ...(io.signal ? { signal: io.signal } : {}) };
    const queue = cli.redis ? { redis: cli.redis } : undefined;
    // BullMQ is an optional peer dependency: loaded only in fleet mode.
    const fleetJob = cli.enqueue || cli.fleet ? await import("./fleet-job.js") : undefined;
    if (cli.enqueue) {
      const instances = cli.instances.length ? cli.instances : await api.listInstances(cli.regions, io.signal);
      const ids = await fleetJob!.enqueueBackupNight(queue!, cli.night, instances);
      display.note(`queued ${ids.length} instance${ids.length === 1 ? "" : "s"} for ${cli.night} (each once per night)`);
      if (!cli.fleet) return EXIT_CODES.complete;
    }
    let result: BackupJobResult;
    if (cli.fleet) {
      display.note(`fleet worker: taking instances of ${cli.night} from ${cli.redis}`);
      result = await fleetJob!.runFleetWorker({ ...common, queue: queue!, night: cli.night });
    } else {
      result = await runBackupJob({ ...common, instances: cli.instances, regions: cli.regions });
    }
    const code = EXIT_CODES[result.status];
    display.summary(result, code);
    return code;
  } catch (error) {
    if (io.signal?.aborted) {
      err.write("tcgen-backup: interrupted; partial files are kept and the next run resumes them\n");
      return EXIT_CODES.interrupted;
    }
    if (error instanceof NotAvailableError) {
      err.write(`tcgen-backup: ${error.message}\n`);
      return EXIT_CODES.usage;
    }
    err.write(`tcgen-backup: failed: ${describe(error)}\n`);
    return EXIT_CODES.failed;
  } finally {
    display.close();
    for (const close of closers.reverse()) await close().catch(() => {});
  }
}

/** The endpoint given, Tencent Cloud when credentials exist, else the embedded emulator (as `npm start`). */
async function endpointOf(cli: Cli, display: Display, closers: (() => Promise<unknown>)[]): Promise<{ url?: string; credentials?: { secretId: string; secretKey: string } }> {
  const credentialsFile = path.join(os.homedir(), ".tencentcloud", "credentials");
  if (cli.endpoint === undefined && !process.env["TENCENTCLOUD_SECRET_ID"] && !existsSync(credentialsFile)) {
    const { startMongodbMock } = await import("../../mock/services/mongodb/index.js");
    const mock = await startMongodbMock();
    closers.push(() => mock.close());
    display.note(`emulator: mongodb 2019-07-25 on ${mock.url} (embedded; no cloud account needed)`);
    return { url: mock.url, credentials: mock.credentials };
  }
  display.note(`endpoint: ${cli.endpoint ?? "https://mongodb.tencentcloudapi.com"}`);
  return cli.endpoint ? { url: cli.endpoint } : {};
}
