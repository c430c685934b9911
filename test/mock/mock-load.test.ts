/** The emulator under load: 5,000 signed requests from 64 concurrent clients, every answer checked. */
import { afterAll, beforeAll, expect, it } from "vitest";
import { createMongodbClient } from "../../generated/mongodb/index.js";
import { startMongodbMock, type RunningMongodbMock } from "../../mock/services/mongodb/index.js";

let mock: RunningMongodbMock;
beforeAll(async () => {
  // Throughput, not throttling, is measured here: the documented 20/s would refuse most calls.
  mock = await startMongodbMock({ faults: { rateLimit: false } });
});
afterAll(() => mock.close());

it("answers 5,000 requests from 64 concurrent clients, each correctly", async () => {
  const TOTAL = 5_000;
  const CLIENTS = 64;
  let next = 0;
  let wrong = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      const mongodb = createMongodbClient({ endpoint: mock.url, credentials: mock.credentials, rateLimit: false });
      while (next < TOTAL) {
        const shard = next++ % 3;
        const { Tasks, RequestId } = await mongodb.createBackupDownloadTask({
          InstanceId: "cmgo-p8vnipr5",
          BackupName: "cmgo-p8vnipr5_2021-03-24 15:40",
          BackupSets: [{ ReplicaSetId: `cmgo-p8vnipr5_${shard}` }],
        });
        if (Tasks.length !== 1 || Tasks[0]!.ReplicaSetId !== `cmgo-p8vnipr5_${shard}` || typeof RequestId !== "string") wrong++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  console.log(`emulator under load: ${TOTAL} requests from ${CLIENTS} concurrent clients in ${seconds.toFixed(2)} s = ${Math.round(TOTAL / seconds)} requests/s (client and emulator in one process)`);
  expect(wrong).toBe(0);
  expect(mock.requests).toHaveLength(TOTAL);
  expect(mock.requests.every((r) => r.status === 200 && r.errorCode === undefined)).toBe(true);
  expect(new Set(mock.requests.map((r) => r.headers["x-tc-timestamp"])).size).toBeGreaterThan(0);
}, 120_000);
