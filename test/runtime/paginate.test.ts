/**
 * Pagination: the runtime's `paginate` against scripted servers (offsets, stopping, bounds, a server
 * that ignores the offset), then the generated `paginate…` methods against the emulator, 250 tasks.
 */
import { afterEach, describe, expect, it } from "vitest";
import { PaginationError } from "../../runtime/index.js";
import { collect, paginate, type PaginatorDefinition } from "../../runtime/paging/paginate.js";
import { createMongodbClient } from "../../generated/mongodb/index.js";
import { mongodbHandlers } from "../../mock/services/mongodb/handlers.js";
import { startMongodbMock, type RunningMongodbMock, type StartMongodbMockOptions } from "../../mock/services/mongodb/index.js";

const byItems: PaginatorDefinition = { action: "ListThings", limit: "Limit", offset: "Offset", offsetUnit: "items", items: "Things", total: "Total", minLimit: 1, maxLimit: 100 };
const byPages: PaginatorDefinition = { ...byItems, offsetUnit: "pages" };

/** A server holding `count` things, recording every request; `respect` false makes it ignore the offset. */
function server(count: number, definition: PaginatorDefinition, respect = true) {
  const things = Array.from({ length: count }, (_, i) => ({ Id: i }));
  const requests: Record<string, unknown>[] = [];
  const fetchPage = async (request: Record<string, unknown>) => {
    requests.push(request);
    const limit = request["Limit"] as number;
    const offset = respect ? (request["Offset"] as number) : 0;
    const start = definition.offsetUnit === "pages" ? offset * limit : offset;
    return { Things: things.slice(start, start + limit), Total: count, RequestId: "r" };
  };
  return { things, requests, fetchPage };
}

describe("paginate (runtime)", () => {
  it("walks 250 items in pages of the largest size, offsets counting items, and stops at the total", async () => {
    const s = server(250, byItems);
    const items = await collect(paginate<Record<string, unknown>, { Id: number }>(byItems, { Filter: "x" }, s.fetchPage));
    expect(items).toEqual(s.things);
    expect(s.requests).toEqual([
      { Filter: "x", Limit: 100, Offset: 0 },
      { Filter: "x", Limit: 100, Offset: 100 },
      { Filter: "x", Limit: 100, Offset: 200 },
    ]);
  });

  it("counts pages when the action's offset counts pages", async () => {
    const s = server(250, byPages);
    const items = await collect(paginate(byPages, { Limit: 30 }, s.fetchPage));
    expect(items).toEqual(s.things);
    expect(s.requests.map((r) => r["Offset"])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("does not ask for another page once the total is reached, even a full one", async () => {
    const s = server(200, byItems);
    await collect(paginate(byItems, {}, s.fetchPage));
    expect(s.requests).toHaveLength(2);
  });

  it("stops at an empty page (the list shrank while paging)", async () => {
    let calls = 0;
    const items = await collect(
      paginate(byItems, { Limit: 2 }, async () => (calls++ === 0 ? { Things: [{ Id: 1 }, { Id: 2 }], Total: 10 } : { Things: [], Total: 10 })),
    );
    expect(items).toHaveLength(2);
    expect(calls).toBe(2);
  });

  it("fetches lazily: leaving the loop early asks for no further page", async () => {
    const s = server(250, byItems);
    for await (const item of paginate<Record<string, unknown>, { Id: number }>(byItems, {}, s.fetchPage)) if (item.Id === 5) break;
    expect(s.requests).toHaveLength(1);
  });

  it.each([0, 101, 2.5, "10"])("refuses Limit %j before any request", async (limit) => {
    const s = server(10, byItems);
    await expect(collect(paginate(byItems, { Limit: limit }, s.fetchPage))).rejects.toThrow(new RangeError("ListThings: Limit must be an integer from 1 to 100, got " + JSON.stringify(limit)));
    expect(s.requests).toHaveLength(0);
  });

  it("never loops on a server that ignores the offset: PaginationError after the repeated page", async () => {
    for (const definition of [byItems, byPages]) {
      const s = server(250, definition, false);
      const seen: unknown[] = [];
      const error = await (async () => {
        for await (const item of paginate(definition, {}, s.fetchPage)) seen.push(item);
      })().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PaginationError);
      expect((error as PaginationError).message).toMatch(/the page at Offset (100|1) repeats the previous page: the server ignores Offset; stopped after 100 of 250 items/);
      expect(seen).toHaveLength(100);
      expect(s.requests).toHaveLength(2);
    }
  });

  it("says so when an answer lacks its list or total", async () => {
    await expect(collect(paginate(byItems, {}, async () => ({ Total: 3 })))).rejects.toThrow(/lacks its Things list or Total number/);
  });
});

describe("generated paginators against the emulator", () => {
  const running: RunningMongodbMock[] = [];
  afterEach(async () => {
    for (const mock of running.splice(0)) await mock.close();
  });
  /** An instance with 250 shards and a download task for each, created a second apart (newest last). */
  async function withTasks(options: StartMongodbMockOptions = {}) {
    const mock = await startMongodbMock({
      ...options,
      world: { instances: [{ InstanceId: "cmgo-many0001", ClusterType: "sharded", Shards: 250, Backups: [{ BackupName: "cmgo-many0001_2024-05-01 03:00", StartTime: "2024-05-01 03:00:00", EndTime: "2024-05-01 03:20:00", BackupSize: 4096 }] }] },
    });
    running.push(mock);
    const base = Date.now() - 1_000_000;
    for (let i = 0; i < 250; i++) mock.world.downloadTask("cmgo-many0001", "cmgo-many0001_2024-05-01 03:00", `cmgo-many0001_${i}`, base + i * 1000);
    const mongodb = createMongodbClient({ endpoint: mock.url, credentials: mock.credentials, validate: { response: "strict" } });
    return { mock, mongodb };
  }
  const sentOffsets = (mock: RunningMongodbMock) => mock.requests.map((r) => JSON.parse(r.body) as { Offset: number; Limit: number }).map((b) => [b.Offset, b.Limit]);

  it("DescribeBackupDownloadTask: 250 tasks, newest first, pages counted by page number", async () => {
    const { mock, mongodb } = await withTasks();
    const ids: string[] = [];
    for await (const task of mongodb.paginateDescribeBackupDownloadTask({ InstanceId: "cmgo-many0001" })) ids.push(task.ReplicaSetId);
    expect(ids).toHaveLength(250);
    expect(new Set(ids).size).toBe(250);
    expect(ids[0]).toBe("cmgo-many0001_249");
    expect(ids.at(-1)).toBe("cmgo-many0001_0");
    expect(sentOffsets(mock)).toEqual([[0, 100], [1, 100], [2, 100]]);
  });

  it("honours the caller's Limit and filters", async () => {
    const { mock, mongodb } = await withTasks();
    const tasks = await collect(mongodb.paginateDescribeBackupDownloadTask({ InstanceId: "cmgo-many0001", Limit: 30, OrderByType: "asc" }));
    expect(tasks.map((t) => t.ReplicaSetId)).toEqual(Array.from({ length: 250 }, (_, i) => `cmgo-many0001_${i}`));
    expect(sentOffsets(mock)).toEqual(Array.from({ length: 9 }, (_, page) => [page, 30]));
  });

  it("DescribeDBBackups: offsets count backups", async () => {
    const mock = await startMongodbMock();
    running.push(mock);
    const mongodb = createMongodbClient({ endpoint: mock.url, credentials: mock.credentials, validate: { response: "strict" } });
    const names = (await collect(mongodb.paginateDescribeDBBackups({ InstanceId: "cmgo-p8vnipr5", Limit: 1 }))).map((b) => b.BackupName);
    expect(names).toEqual(["cmgo-p8vnipr5_2021-03-24 15:40", "cmgo-p8vnipr5_2021-03-25 03:00"]);
    expect(sentOffsets(mock)).toEqual([[0, 1], [1, 1]]);
  });

  it("a server that ignores Offset makes the paginator stop with PaginationError, not loop", async () => {
    // The emulator's own handler, with the offset thrown away.
    let world: RunningMongodbMock["world"] | undefined;
    const { mock, mongodb } = await withTasks({
      handlers: { DescribeBackupDownloadTask: (call) => mongodbHandlers(world!).DescribeBackupDownloadTask!({ ...call, params: { ...call.params, Offset: 0 } }) },
    });
    world = mock.world;
    const error = await collect(mongodb.paginateDescribeBackupDownloadTask({ InstanceId: "cmgo-many0001" })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaginationError);
    expect((error as PaginationError).offset).toBe(1);
    expect(mock.requests).toHaveLength(2);
  });
});
