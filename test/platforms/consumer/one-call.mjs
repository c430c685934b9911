// The one-call program every platform of the matrix runs (test/platforms/matrix.ts): the tree-shakable
// form of tcgen/mongodb, explicit credentials (no default chain), against `tcgen mock` on loopback.
import { createBackupDownloadTask, createMongodbCore, TencentCloudApiError } from "tcgen/mongodb";

const INPUT = {
  InstanceId: "cmgo-dygv1rnp",
  BackupName: "cmgo-dygv1rnp_2021-03-26 10:44",
  BackupSets: [{ ReplicaSetId: "cmgo-dygv1rnp_0" }],
};

/** One call signed with the right key, one with a wrong key: what each answered. */
export async function oneCall({ endpoint, secretId, secretKey }) {
  const core = createMongodbCore({ endpoint, region: "ap-guangzhou", credentials: { secretId, secretKey } });
  const { Tasks, RequestId } = await createBackupDownloadTask(core, INPUT);
  const wrongKey = createMongodbCore({ endpoint, region: "ap-guangzhou", credentials: { secretId, secretKey: "not-the-key" } });
  let refused;
  try {
    await createBackupDownloadTask(wrongKey, INPUT);
    refused = "accepted";
  } catch (error) {
    refused = error instanceof TencentCloudApiError ? error.code : `not a TencentCloudApiError: ${error}`;
  }
  return { tasks: Tasks, requestId: RequestId, wrongKey: refused };
}
