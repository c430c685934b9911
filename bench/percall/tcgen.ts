/**
 * Contender: tcgen's generated client, from source (generated/ + runtime/), openapi-fetch + global
 * fetch. Client-side rate limiting is off: it would hold CreateBackupDownloadTask to its documented
 * 20 requests/s, and the official SDK has no limiter; everything else is the default path.
 */
import { createMongodbClient } from "../../generated/mongodb/index.js";
import { BENCH_CREDENTIALS, benchInput, BENCH_REGION } from "../lib/fixture.js";
import { main } from "./driver.js";

main("tcgen", (port) => {
  const mongodb = createMongodbClient({
    credentials: BENCH_CREDENTIALS,
    region: BENCH_REGION,
    endpoint: `http://127.0.0.1:${port}`,
    rateLimit: false,
  });
  return () => mongodb.createBackupDownloadTask(benchInput());
});
