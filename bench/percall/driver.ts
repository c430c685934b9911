/**
 * The measurement loop shared by the per-call contenders. Each contender is bundled with this file
 * into its own .mjs and run with plain `node` in its own process:
 *
 *   node percall-<name>.mjs '<json config>'
 *
 * It makes one client against the loopback server, then: warm-up (sequential, then 32 in flight),
 * sequential latency (one call at a time, each timed), and throughput with `inFlight` calls in
 * flight, measuring the process's CPU time (user + system) over that phase. It prints one JSON line
 * with the figures and the process's peak RSS. Every loop is bounded by a count and a deadline.
 */
import { checkResult } from "../lib/fixture.js";

export type Call = () => Promise<unknown>;

export interface DriverConfig {
  port: number;
  warmupSequential: number;
  warmupConcurrent: number;
  sequentialCalls: number;
  sequentialMaxMs: number;
  concurrentCalls: number;
  concurrentMaxMs: number;
  inFlight: number;
  /** Skip the sequential phase (the profile run only wants the load). */
  skipSequential?: boolean;
}

export interface DriverResult {
  contender: string;
  pid: number;
  sequential: { calls: number; medianUs: number; p99Us: number; meanUs: number; minUs: number } | null;
  concurrent: {
    calls: number;
    inFlight: number;
    wallMs: number;
    callsPerSecond: number;
    cpuUserMs: number;
    cpuSystemMs: number;
    cpuPerCallUs: number;
    /** hrtime in microseconds, the clock of V8 CPU profiles, to cut a profile to the load phase. */
    startUs: number;
    endUs: number;
  };
  maxRssMB: number;
  heapUsedMB: number;
  errors: number;
  firstError?: string;
}

const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);

export async function runDriver(contender: string, makeCall: (port: number) => Call | Promise<Call>): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? "{}") as DriverConfig;
  const call = await makeCall(config.port);
  let errors = 0;
  let firstError: string | undefined;
  const guarded = async (): Promise<void> => {
    try {
      await call();
    } catch (error) {
      errors++;
      firstError ??= error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      if (errors > 50) throw new Error(`${contender}: too many failed calls, first: ${firstError}`);
    }
  };

  // A correct answer first: a contender that does not work must not be timed.
  checkResult(await call());

  // Warm-up: both code paths, so the JIT has seen them before anything is timed.
  const warmDeadline = Date.now() + 10_000;
  for (let i = 0; i < config.warmupSequential && Date.now() < warmDeadline; i++) await guarded();
  await concurrently(config.inFlight, config.warmupConcurrent, warmDeadline, guarded);

  let sequential: DriverResult["sequential"] = null;
  if (!config.skipSequential) {
    const samples: number[] = [];
    const deadline = Date.now() + config.sequentialMaxMs;
    for (let i = 0; i < config.sequentialCalls && Date.now() < deadline; i++) {
      const started = process.hrtime.bigint();
      await guarded();
      samples.push(Number(process.hrtime.bigint() - started) / 1000);
    }
    samples.sort((a, b) => a - b);
    const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
    sequential = {
      calls: samples.length,
      medianUs: at(0.5),
      p99Us: at(0.99),
      meanUs: samples.reduce((s, v) => s + v, 0) / samples.length,
      minUs: samples[0]!,
    };
  }

  const cpuBefore = process.cpuUsage();
  const startUs = nowUs();
  const started = process.hrtime.bigint();
  const done = await concurrently(config.inFlight, config.concurrentCalls, Date.now() + config.concurrentMaxMs, guarded);
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const endUs = nowUs();
  const cpu = process.cpuUsage(cpuBefore);

  const result: DriverResult = {
    contender,
    pid: process.pid,
    sequential,
    concurrent: {
      calls: done,
      inFlight: config.inFlight,
      wallMs,
      callsPerSecond: (done / wallMs) * 1000,
      cpuUserMs: cpu.user / 1000,
      cpuSystemMs: cpu.system / 1000,
      cpuPerCallUs: (cpu.user + cpu.system) / done,
      startUs,
      endUs,
    },
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    heapUsedMB: process.memoryUsage().heapUsed / 2 ** 20,
    errors,
    ...(firstError === undefined ? {} : { firstError }),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** Runs `total` calls with `width` in flight, stopping early at `deadline` (Date.now()); returns calls done. */
async function concurrently(width: number, total: number, deadline: number, call: () => Promise<void>): Promise<number> {
  let issued = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (issued < total && Date.now() < deadline) {
      issued++;
      await call();
      done++;
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return done;
}

/** For the contenders' entry points: run, and make a failure visible in the exit code. */
export function main(contender: string, makeCall: (port: number) => Call | Promise<Call>): void {
  runDriver(contender, makeCall).then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      process.exit(1);
    },
  );
}
