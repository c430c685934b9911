/**
 * The CVM instance metadata service, as far as credentials go: `GET /latest/meta-data/cam/
 * security-credentials/` lists the role bound to the instance, `…/<role>` answers its temporary
 * credentials (`TmpSecretId`, `TmpSecretKey`, `Token`, `ExpiredTime`, `Expiration`, `Code`), issued
 * into a KeyStore the API emulators share. For tests it can be made slow (accepts, never answers),
 * wrong (an answer that is not credentials) or role-less (404), and changed between calls.
 */
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { KeyStore } from "../../keys.js";
import { MOCK_CREDENTIALS } from "../../server.js";

export type MetadataBehaviour = "ok" | "slow" | "wrong" | "no-role";

export interface StartMetadataMockOptions {
  readonly credentials?: KeyStore;
  /** The role bound to the instance; default `tcgen-backup-role`. */
  readonly role?: string;
  /** Lifetime of issued credentials in ms; default 6 hours (CVM's). */
  readonly lifetimeMs?: number;
  readonly behaviour?: MetadataBehaviour;
  readonly now?: () => number;
}

export interface RunningMetadataMock {
  /** The base URL to give `fromInstanceMetadata({ endpoint })`: `http://127.0.0.1:<port>/latest/meta-data/`. */
  readonly url: string;
  readonly keys: KeyStore;
  /** Requests received, by path. */
  readonly requests: string[];
  behaviour: MetadataBehaviour;
  close(): Promise<void>;
}

const PREFIX = "/latest/meta-data/cam/security-credentials/";

export async function startMetadataMock(options: StartMetadataMockOptions = {}): Promise<RunningMetadataMock> {
  const keys = options.credentials ?? new KeyStore([MOCK_CREDENTIALS]);
  const role = options.role ?? "tcgen-backup-role";
  const now = options.now ?? Date.now;
  const requests: string[] = [];
  const state = { behaviour: options.behaviour ?? ("ok" as MetadataBehaviour) };
  const text = (res: ServerResponse, status: number, body: string, type = "text/plain") => res.writeHead(status, { "Content-Type": type }).end(body);

  const server = createServer((req, res) => {
    const path = req.url ?? "/";
    requests.push(path);
    if (state.behaviour === "slow") return; // connected, never answers
    if (!path.startsWith(PREFIX)) return text(res, 404, "Not Found");
    if (state.behaviour === "wrong") return text(res, 200, "<html><body>captive portal</body></html>", "text/html");
    const asked = decodeURIComponent(path.slice(PREFIX.length));
    if (state.behaviour === "no-role") return text(res, 404, "Not Found");
    if (asked === "") return text(res, 200, role);
    if (asked !== role) return text(res, 404, "Not Found");
    const key = keys.issue(now(), options.lifetimeMs ?? 6 * 3600_000);
    const expiredTime = Math.floor(key.expiresAt / 1000);
    text(
      res,
      200,
      JSON.stringify({
        TmpSecretId: key.secretId,
        TmpSecretKey: key.secretKey,
        ExpiredTime: expiredTime,
        Expiration: new Date(expiredTime * 1000).toISOString().replace(/\.000Z$/, "Z"),
        Token: key.token,
        Code: "Success",
      }),
      "application/json",
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/latest/meta-data/`,
    keys,
    requests,
    get behaviour() {
      return state.behaviour;
    },
    set behaviour(value: MetadataBehaviour) {
      state.behaviour = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
