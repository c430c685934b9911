/**
 * Contender: the official SDK, `tencentcloud-sdk-nodejs-mongodb` (node-fetch under the hood), loaded
 * from node_modules as its users load it. It signs for its real host `mongodb.tencentcloudapi.com`
 * (service "mongodb", from the host name); an `http.Agent` whose `createConnection` dials the loopback
 * server carries the requests there, with keep-alive, like the other contenders.
 */
import { Agent } from "node:http";
import { createRequire } from "node:module";
import { createConnection, type Socket } from "node:net";
import { BENCH_CREDENTIALS, benchInput, BENCH_REGION } from "../lib/fixture.js";
import { main } from "./driver.js";

type Sdk = typeof import("tencentcloud-sdk-nodejs-mongodb");
const require = createRequire(import.meta.url);

class LoopbackAgent extends Agent {
  constructor(private readonly port: number) {
    super({ keepAlive: true });
  }
  override createConnection(): Socket {
    return createConnection({ host: "127.0.0.1", port: this.port, noDelay: true });
  }
}

main("official", (port) => {
  const { mongodb } = require("tencentcloud-sdk-nodejs-mongodb") as Sdk;
  const client = new mongodb.v20190725.Client({
    credential: { secretId: BENCH_CREDENTIALS.secretId, secretKey: BENCH_CREDENTIALS.secretKey },
    region: BENCH_REGION,
    profile: {
      httpProfile: {
        endpoint: "mongodb.tencentcloudapi.com",
        protocol: "http://",
        agent: new LoopbackAgent(port),
      },
    },
  });
  return () => client.CreateBackupDownloadTask(benchInput());
});
