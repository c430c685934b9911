/**
 * The official Node SDK against the emulator. The SDK signs the service from its endpoint's host
 * name, so it talks to its real host (mongodb.tencentcloudapi.com) and an http.Agent routes that
 * connection to the emulator on loopback: the emulator sees exactly what Tencent would.
 */
import { Agent } from "node:http";
import { connect } from "node:net";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMongodbMock, type RunningMongodbMock } from "../../mock/services/mongodb/index.js";

const require = createRequire(import.meta.url);
const { mongodb } = require("tencentcloud-sdk-nodejs-mongodb") as {
  mongodb: { v20190725: { Client: new (config: unknown) => OfficialClient } };
};
interface OfficialClient {
  CreateBackupDownloadTask(params: unknown): Promise<{ Tasks: { ReplicaSetId: string; Status: number }[]; RequestId: string }>;
}

let mock: RunningMongodbMock;
beforeAll(async () => {
  mock = await startMongodbMock({ faults: { rateLimit: false } });
});
afterAll(() => mock.close());

function officialClient(method: "POST" | "GET", secretKey = mock.credentials.secretKey): OfficialClient {
  const { port } = new URL(mock.url);
  // Every connection the SDK opens, whatever host it names, goes to the emulator.
  const agent = new Agent({ keepAlive: true });
  (agent as unknown as { createConnection: () => unknown }).createConnection = () => connect(Number(port), "127.0.0.1");
  return new mongodb.v20190725.Client({
    credential: { secretId: mock.credentials.secretId, secretKey },
    region: "ap-guangzhou",
    profile: { httpProfile: { endpoint: "mongodb.tencentcloudapi.com", protocol: "http://", reqMethod: method, agent } },
  });
}

const params = { InstanceId: "cmgo-p8vnipr5", BackupName: "cmgo-p8vnipr5_2021-03-24 15:40", BackupSets: [{ ReplicaSetId: "cmgo-p8vnipr5_0" }, { ReplicaSetId: "cmgo-p8vnipr5_2" }] };

describe("the official SDK (tencentcloud-sdk-nodejs-mongodb) against the emulator", () => {
  it.each(["POST", "GET"] as const)("%s: its signed requests are accepted and answered from the world", async (method) => {
    const before = mock.requests.length;
    const result = await officialClient(method).CreateBackupDownloadTask(params);
    expect(result.Tasks.map((t) => t.ReplicaSetId)).toEqual(["cmgo-p8vnipr5_0", "cmgo-p8vnipr5_2"]);
    expect(result.RequestId).toMatch(/^[0-9a-f-]{36}$/);
    const seen = mock.requests.slice(before);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method, action: "CreateBackupDownloadTask", errorCode: undefined });
    expect(seen[0]!.headers["host"]).toBe("mongodb.tencentcloudapi.com");
    if (method === "GET") expect(seen[0]!.query).toContain("BackupSets.1.ReplicaSetId=cmgo-p8vnipr5_2");
  });

  it("a wrong key is refused the way Tencent refuses it", async () => {
    await expect(officialClient("POST", "wrong-key").CreateBackupDownloadTask(params)).rejects.toMatchObject({ code: "AuthFailure.SignatureFailure" });
  });
});
