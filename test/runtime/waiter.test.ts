/**
 * Waiters: the runtime's `waitForItems` on a fake clock (backoff, jitter, the rate floor, success,
 * failure, timeout, abort), then the generated `waitForBackupDownloadTasks` against the emulator, whose
 * clock the waiter's sleeps move forward: no real waiting, nothing timed.
 */
import { afterEach, describe, expect, it } from "vitest";
import { TimeoutError, WaiterFailedError, WaiterTimeoutError, type WaiterOptions } from "../../runtime/index.js";
import { waitForItems, type WaiterDefinition } from "../../runtime/paging/waiter.js";
import { createMongodbClient, type BackupDownloadTask } from "../../generated/mongodb/index.js";
import { startMongodbMock, type RunningMongodbMock } from "../../mock/services/mongodb/index.js";

type Job = { Id: string; State: string };
const definition: WaiterDefinition = { waiter: "waitForJobs", action: "DescribeJobs", key: "Id", status: "State", success: ["DONE"], failure: ["FAILED"], rateLimit: 20 };

/** A fake clock: `sleep` moves it forward and records each delay. */
function fakeTime(random = () => 0.5) {
  const clock = { now: 1_000_000, delays: [] as number[] };
  const options: WaiterOptions<Job> = {
    now: () => clock.now,
    sleep: async (ms, signal) => {
      signal?.throwIfAborted();
      clock.delays.push(ms);
      clock.now += ms;
    },
    random,
  };
  return { clock, options };
}

/** A poll answering each scripted list in turn, then the last one forever. */
function scripted(...answers: Job[][]) {
  let calls = 0;
  const poll = async () => answers[Math.min(calls++, answers.length - 1)]!;
  return { poll, calls: () => calls };
}

describe("waitForItems (runtime)", () => {
  it("resolves with the awaited items in the order asked once all succeeded, ignoring others", async () => {
    const { options } = fakeTime();
    const { poll, calls } = scripted(
      [{ Id: "a", State: "RUNNING" }],
      [{ Id: "a", State: "RUNNING" }, { Id: "b", State: "DONE" }, { Id: "z", State: "FAILED" }],
      [{ Id: "b", State: "DONE" }, { Id: "a", State: "DONE" }],
    );
    const done = await waitForItems(definition, ["a", "b"], poll, options);
    expect(done).toEqual([{ Id: "a", State: "DONE" }, { Id: "b", State: "DONE" }]);
    expect(calls()).toBe(3);
  });

  it("backs off exponentially, capped, with jitter between half and all of each delay", async () => {
    const low = fakeTime(() => 0);
    const high = fakeTime(() => 0.999_999);
    for (const { options } of [low, high]) {
      const { poll } = scripted(...Array.from({ length: 8 }, () => [{ Id: "a", State: "RUNNING" }]), [{ Id: "a", State: "DONE" }]);
      await waitForItems(definition, ["a"], poll, { ...options, minDelayMs: 1_000, maxDelayMs: 20_000 });
    }
    expect(low.clock.delays).toEqual([500, 1_000, 2_000, 4_000, 8_000, 10_000, 10_000, 10_000]);
    expect(high.clock.delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 20_000, 20_000, 20_000]);
  });

  it("never polls faster than the action's rate limit, whatever minDelayMs says", async () => {
    const { clock, options } = fakeTime(() => 0);
    const { poll } = scripted([{ Id: "a", State: "RUNNING" }], [{ Id: "a", State: "RUNNING" }], [{ Id: "a", State: "DONE" }]);
    await waitForItems({ ...definition, rateLimit: 2 }, ["a"], poll, { ...options, minDelayMs: 1 });
    expect(clock.delays.every((d) => d >= 500)).toBe(true);
  });

  it("reports progress after every poll", async () => {
    const { options } = fakeTime();
    const { poll } = scripted([{ Id: "a", State: "RUNNING" }], [{ Id: "a", State: "DONE" }, { Id: "b", State: "RUNNING" }], [{ Id: "a", State: "DONE" }, { Id: "b", State: "DONE" }]);
    const seen: unknown[] = [];
    await waitForItems(definition, ["a", "b"], poll, { ...options, onProgress: (p) => seen.push({ poll: p.poll, done: p.done, next: p.nextPollInMs, b: p.items[1]?.item?.State }) });
    expect(seen).toEqual([
      { poll: 1, done: 0, next: 750, b: undefined },
      { poll: 2, done: 1, next: 1_500, b: "RUNNING" },
      { poll: 3, done: 2, next: undefined, b: "DONE" },
    ]);
  });

  it("rejects with WaiterFailedError naming the failed keys as soon as one fails", async () => {
    const { options } = fakeTime();
    const { poll, calls } = scripted([{ Id: "a", State: "RUNNING" }, { Id: "b", State: "RUNNING" }], [{ Id: "a", State: "RUNNING" }, { Id: "b", State: "FAILED" }]);
    const error = await waitForItems(definition, ["a", "b"], poll, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaiterFailedError);
    const failed = error as WaiterFailedError;
    expect(failed.failedKeys).toEqual(["b"]);
    expect(failed.statuses).toEqual({ a: "RUNNING", b: "FAILED" });
    expect(failed.failedItems).toEqual([{ Id: "b", State: "FAILED" }]);
    expect(failed.message).toBe("waitForJobs: DescribeJobs reports a failure status for Id b (State FAILED)");
    expect(calls()).toBe(2);
  });

  it("keeps waiting for a key retried after a failure: a newer item under way counts before the failed one", async () => {
    const { options } = fakeTime();
    const { poll } = scripted([{ Id: "a", State: "FAILED" }, { Id: "a", State: "RUNNING" }], [{ Id: "a", State: "FAILED" }, { Id: "a", State: "DONE" }]);
    await expect(waitForItems(definition, ["a"], poll, options)).resolves.toEqual([{ Id: "a", State: "DONE" }]);
  });

  it("times out with WaiterTimeoutError carrying the last statuses, unlisted keys included", async () => {
    const { clock, options } = fakeTime();
    const { poll, calls } = scripted([{ Id: "a", State: "RUNNING" }]);
    const error = await waitForItems(definition, ["a", "b"], poll, { ...options, timeoutMs: 60_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaiterTimeoutError);
    const timeout = error as WaiterTimeoutError;
    expect(timeout.lastStatuses).toEqual({ a: "RUNNING", b: undefined });
    expect(timeout.polls).toBe(calls());
    expect(timeout.message).toBe(`waitForJobs: not done within 60000 ms (${calls()} polls of DescribeJobs); last seen: a State RUNNING, b not listed`);
    // The last sleep is cut to the deadline; no poll starts after it.
    expect(clock.now).toBe(1_000_000 + 60_000);
  });

  it("turns a poll that runs out of time into WaiterTimeoutError, with the call's error as cause", async () => {
    const { options } = fakeTime();
    const late = new TimeoutError({ action: "DescribeJobs", timeoutMs: 5, attempts: 1 });
    const error = await waitForItems(definition, ["a"], () => Promise.reject(late), { ...options, timeoutMs: 5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaiterTimeoutError);
    expect((error as WaiterTimeoutError).cause).toBe(late);
  });

  it("hands each poll the remaining time and the signal", async () => {
    const { clock, options } = fakeTime();
    const signal = new AbortController().signal;
    const seen: unknown[] = [];
    let calls = 0;
    await waitForItems(definition, ["a"], async (o) => (seen.push(o), [{ Id: "a", State: calls++ ? "DONE" : "RUNNING" }]), { ...options, signal, timeoutMs: 10_000 });
    expect(seen).toEqual([{ signal, timeoutMs: 10_000 }, { signal, timeoutMs: 10_000 - clock.delays[0]! }]);
  });

  it("stops on abort between polls with the signal's reason, polling no more", async () => {
    const { options } = fakeTime();
    const controller = new AbortController();
    const { poll, calls } = scripted([{ Id: "a", State: "RUNNING" }]);
    const reason = new Error("stop");
    const error = await waitForItems(definition, ["a"], poll, { ...options, signal: controller.signal, onProgress: (p) => p.poll === 2 && controller.abort(reason) }).catch((e: unknown) => e);
    expect(error).toBe(reason);
    expect(calls()).toBe(2);
  });

  it("stops on abort during a poll: the poll's rejection is the signal's reason", async () => {
    const controller = new AbortController();
    const reason = new Error("stop now");
    const poll = ({ signal }: { signal?: AbortSignal | undefined }) =>
      new Promise<Job[]>((_, reject) => signal!.addEventListener("abort", () => reject(signal!.reason), { once: true }));
    const waiting = waitForItems(definition, ["a"], poll, { signal: controller.signal });
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
  });

  it("refuses an empty list of keys and a non-positive timeout", async () => {
    await expect(waitForItems(definition, [], async () => [])).rejects.toThrow(RangeError);
    await expect(waitForItems(definition, ["a"], async () => [], { timeoutMs: 0 })).rejects.toThrow(RangeError);
  });
});

describe("waitForBackupDownloadTasks against the emulator", () => {
  const running: RunningMongodbMock[] = [];
  afterEach(async () => {
    for (const mock of running.splice(0)) await mock.close();
  });

  /** The emulator on a clock that only the waiter's sleeps move (from now, so signatures stay valid). */
  async function emulator() {
    const clock = { offsetMs: 0 };
    const mock = await startMongodbMock({ now: () => Date.now() + clock.offsetMs, world: { taskQueuedMs: 2_000, taskRunningMs: 8_000, fileBytes: 65_536 } });
    running.push(mock);
    const mongodb = createMongodbClient({ endpoint: mock.url, credentials: mock.credentials, validate: { response: "strict" } });
    const time: WaiterOptions<BackupDownloadTask> = {
      now: () => Date.now() + clock.offsetMs,
      sleep: async (ms) => void (clock.offsetMs += ms),
    };
    return { mock, mongodb, time };
  }
  const sharded = { InstanceId: "cmgo-p8vnipr5", BackupName: "cmgo-p8vnipr5_2021-03-24 15:40", ReplicaSetIds: ["cmgo-p8vnipr5_0", "cmgo-p8vnipr5_1", "cmgo-p8vnipr5_2"] };
  const create = (mongodb: ReturnType<typeof createMongodbClient>) =>
    mongodb.createBackupDownloadTask({ InstanceId: sharded.InstanceId, BackupName: sharded.BackupName, BackupSets: sharded.ReplicaSetIds.map((ReplicaSetId) => ({ ReplicaSetId })) });

  it("resolves with the 3 shards' finished tasks, whose Url serves BackupSize bytes", async () => {
    const { mongodb, time } = await emulator();
    await create(mongodb);
    const percents: number[] = [];
    const tasks = await mongodb.waitForBackupDownloadTasks(sharded, { ...time, onProgress: (p) => percents.push(p.items[0]!.item!.Percent) });
    expect(tasks.map((t) => [t.ReplicaSetId, t.Status, t.BackupSize])).toEqual(sharded.ReplicaSetIds.map((id) => [id, 2, 65_536]));
    expect(percents[0]).toBe(0);
    expect(percents.some((p) => p > 0 && p < 100)).toBe(true);
    expect(percents.at(-1)).toBe(100);
    const file = await fetch(tasks[2]!.Url);
    expect(file.headers.get("content-length")).toBe("65536");
    expect((await file.arrayBuffer()).byteLength).toBe(65_536);
  });

  it("rejects with WaiterFailedError naming the shard whose task failed", async () => {
    const { mock, mongodb, time } = await emulator();
    mock.world.onTaskCreated = (task) => {
      if (task.ReplicaSetId === "cmgo-p8vnipr5_1") task.forcedStatus = 3;
    };
    await create(mongodb);
    const error = await mongodb.waitForBackupDownloadTasks(sharded, time).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaiterFailedError);
    expect((error as WaiterFailedError).failedKeys).toEqual(["cmgo-p8vnipr5_1"]);
    expect((error as WaiterFailedError).message).toContain("ReplicaSetId cmgo-p8vnipr5_1 (Status 3)");
  });

  it("times out with the last statuses when a task never finishes, and a task never created shows as not listed", async () => {
    const { mock, mongodb, time } = await emulator();
    mock.world.onTaskCreated = (task) => void (task.forcedStatus = 1);
    await mongodb.createBackupDownloadTask({ InstanceId: sharded.InstanceId, BackupName: sharded.BackupName, BackupSets: [{ ReplicaSetId: "cmgo-p8vnipr5_0" }] });
    const error = await mongodb.waitForBackupDownloadTasks({ ...sharded, ReplicaSetIds: ["cmgo-p8vnipr5_0", "cmgo-p8vnipr5_2"] }, { ...time, timeoutMs: 120_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaiterTimeoutError);
    expect((error as WaiterTimeoutError).lastStatuses).toEqual({ "cmgo-p8vnipr5_0": 1, "cmgo-p8vnipr5_2": undefined });
  });

  it("an abort stops the waiter with the signal's reason", async () => {
    const { mongodb, time } = await emulator();
    await create(mongodb);
    const controller = new AbortController();
    const reason = new Error("user pressed Ctrl-C");
    const error = await mongodb
      .waitForBackupDownloadTasks(sharded, { ...time, signal: controller.signal, onProgress: () => controller.abort(reason) })
      .catch((e: unknown) => e);
    expect(error).toBe(reason);
  });
});
