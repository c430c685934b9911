/** What every contender sends and what the loopback server answers: one CreateBackupDownloadTask. */

export const BENCH_CREDENTIALS = Object.freeze({
  secretId: "AKIDbenchmark0000000000000000000000",
  secretKey: "benchmarkSecretKey00000000000000",
});

export const BENCH_REGION = "ap-guangzhou";

/** A fresh input object per call, as application code builds one. */
export function benchInput(): { InstanceId: string; BackupName: string; BackupSets: { ReplicaSetId: string }[] } {
  return {
    InstanceId: "cmgo-dygv1rnp",
    BackupName: "cmgo-dygv1rnp_2021-03-26 10:44",
    BackupSets: [{ ReplicaSetId: "cmgo-dygv1rnp_0" }],
  };
}

/** The success envelope the server answers to any POST. */
export const BENCH_ANSWER = JSON.stringify({
  Response: {
    Tasks: [{ ReplicaSetId: "cmgo-dygv1rnp_0", Status: 2 }],
    RequestId: "6ed8d110-67be-4650-83b0-5df5a897e9e6",
  },
});

/** Throws unless `result` is the `Response` object of the answer above. */
export function checkResult(result: unknown): void {
  const tasks = (result as { Tasks?: { ReplicaSetId?: unknown; Status?: unknown }[] } | undefined)?.Tasks;
  if (!Array.isArray(tasks) || tasks[0]?.ReplicaSetId !== "cmgo-dygv1rnp_0" || tasks[0]?.Status !== 2) {
    throw new Error(`unexpected result: ${JSON.stringify(result)}`);
  }
}
