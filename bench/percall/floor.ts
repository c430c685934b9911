/**
 * Contender: the floor. node:http with a keep-alive Agent, the minimal inline TC3 (two SHA-256, four
 * HMACs), JSON.stringify / JSON.parse, the same headers as the others. Nothing a real client could
 * leave out, nothing more.
 */
import { Agent, request } from "node:http";
import { floorTc3 } from "../floor-tc3.js";
import { BENCH_CREDENTIALS, benchInput, BENCH_REGION } from "../lib/fixture.js";
import { main } from "./driver.js";

main("floor", (port) => {
  const agent = new Agent({ keepAlive: true, noDelay: true });
  const host = `127.0.0.1:${port}`;
  return () =>
    new Promise((resolve, reject) => {
      const payload = JSON.stringify(benchInput());
      const timestamp = Math.floor(Date.now() / 1000);
      const req = request(
        {
          agent,
          host: "127.0.0.1",
          port,
          method: "POST",
          path: "/",
          headers: {
            Host: host,
            "Content-Type": "application/json",
            "Content-Length": Buffer.byteLength(payload),
            "X-TC-Action": "CreateBackupDownloadTask",
            "X-TC-Version": "2019-07-25",
            "X-TC-Timestamp": String(timestamp),
            "X-TC-Region": BENCH_REGION,
            Authorization: floorTc3(BENCH_CREDENTIALS.secretId, BENCH_CREDENTIALS.secretKey, "mongodb", host, timestamp, payload),
          },
        },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => (text += chunk));
          res.on("end", () => {
            try {
              if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
              const body = (JSON.parse(text) as { Response: { Error?: { Code: string } } }).Response;
              if (body.Error) throw new Error(body.Error.Code);
              resolve(body);
            } catch (error) {
              reject(error);
            }
          });
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(payload);
    });
});
