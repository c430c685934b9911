/**
 * The quick start: start the local emulator on a free port, call CreateBackupDownloadTask through the
 * generated client exactly as a consuming project would (`import ... from "tcgen/mongodb"`), and
 * print what went over the wire and the typed result. Needs no cloud account.
 */
import { BackupDownloadTaskStatusStatus, createMongodbClient, TencentCloudApiError } from "tcgen/mongodb";
import { startMongodbMock } from "tcgen/mock/mongodb";

const mock = await startMongodbMock();
console.log(`emulator: mongodb 2019-07-25 on ${mock.url}\n`);

try {
  const mongodb = createMongodbClient({
    credentials: mock.credentials,
    region: "ap-guangzhou",
    endpoint: mock.url,
    // Show exactly what leaves the process.
    fetch: async (request) => {
      console.log(`sent: ${request.method} ${request.url}`);
      console.log(`  host: ${new URL(request.url).host}   (added by fetch; signed)`);
      for (const [name, value] of request.headers) console.log(`  ${name}: ${value}`);
      console.log(`  body: ${await request.clone().text()}\n`);
      return fetch(request);
    },
  });

  const result = await mongodb.createBackupDownloadTask({
    InstanceId: "cmgo-dygv1rnp",
    BackupName: "cmgo-dygv1rnp_2021-03-26 10:44",
    BackupSets: [{ ReplicaSetId: "cmgo-dygv1rnp_0" }],
  });
  // `result` is typed CreateBackupDownloadTaskResponse: Tasks[i].Status is 0 | 1 | 2 | 3 | 4.
  console.log(`result (CreateBackupDownloadTaskResponse): ${JSON.stringify(result, null, 2)}`);
  for (const task of result.Tasks) {
    const status = Object.entries(BackupDownloadTaskStatusStatus).find(([, value]) => value === task.Status)?.[0];
    console.log(`  replica set ${task.ReplicaSetId}: Status ${task.Status} (${status})`);
  }

  // A typed error from the same emulator: a wrong key is refused the way Tencent refuses it.
  const wrongKey = createMongodbClient({ credentials: { ...mock.credentials, secretKey: "not-the-key" }, endpoint: mock.url });
  await wrongKey
    .createBackupDownloadTask({ InstanceId: "cmgo-dygv1rnp", BackupName: "x", BackupSets: [{ ReplicaSetId: "cmgo-dygv1rnp_0" }] })
    .catch((error: unknown) => {
      if (!(error instanceof TencentCloudApiError)) throw error;
      console.log(`\nwith a wrong secret key: ${error.name} ${error.code} (RequestId ${error.requestId})`);
    });
} finally {
  await mock.close();
}
