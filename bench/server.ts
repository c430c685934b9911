/**
 * The loopback server every per-call contender talks to: node:http with keep-alive, on 127.0.0.1,
 * answering the same success envelope to any POST without looking at it (no signature check), so
 * it costs the same for every contender. Prints `{"port":N}` once listening; exits on SIGTERM, when
 * its parent goes away, or after `maxLifetimeMs` at the latest. Prints the number of requests
 * served per path on exit, on stderr.
 */
import { createServer } from "node:http";
import { BENCH_ANSWER } from "./lib/fixture.js";

const maxLifetimeMs = Number(process.argv[2] ?? 900_000);
const answer = Buffer.from(BENCH_ANSWER);
const headers = { "Content-Type": "application/json", "Content-Length": String(answer.length) };
let served = 0;

const server = createServer({ keepAliveTimeout: 120_000, requestTimeout: 0 }, (req, res) => {
  if (req.method !== "POST") {
    res.writeHead(405, { "Content-Length": "0" }).end();
    return;
  }
  req.on("data", ignore);
  req.on("end", () => {
    served++;
    res.writeHead(200, headers).end(answer);
  });
});
server.keepAliveTimeout = 120_000;
server.headersTimeout = 130_000;

function ignore(): void {}

function stop(): void {
  process.stderr.write(`server: ${served} requests served\n`);
  process.exit(0);
}

server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  process.stdout.write(`${JSON.stringify({ port: address.port, pid: process.pid })}\n`);
});
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
// The parent reads our stdout; when it goes away, so do we.
process.stdin.on("end", stop).resume();
setTimeout(stop, maxLifetimeMs).unref();
