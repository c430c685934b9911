/**
 * An https call through a proxy, in its own process (started with NODE_EXTRA_CA_CERTS naming the
 * loopback server's self-signed certificate, which only a new process can trust): `<endpoint> <calls>`.
 * The proxy comes from HTTPS_PROXY / NO_PROXY. Prints `{ ok, error? }` as JSON.
 */
import { createMongodbClient } from "../../generated/mongodb/index.js";

const [endpoint, calls] = process.argv.slice(2);
const client = createMongodbClient({
  endpoint: endpoint!,
  credentials: { secretId: "AKIDproxytest", secretKey: "proxy-test-secret-key", token: "proxy-test-session-token" },
  rateLimit: false,
  retry: { maxAttempts: 1 },
  timeoutMs: 10_000,
});
let ok = 0;
try {
  for (let i = 0; i < Number(calls); i++) {
    await client.describeDBBackups({ InstanceId: "cmgo-p8vnipr5" });
    ok++;
  }
  console.log(JSON.stringify({ ok }));
} catch (error) {
  console.log(JSON.stringify({ ok, error: String(error), name: (error as Error).name }));
}
