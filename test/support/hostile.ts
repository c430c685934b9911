/**
 * Small hostile servers on loopback for the runtime-hardening tests: each accepts real connections
 * and misbehaves in one way (never answers, stalls a body, sends forever, echoes secrets...). Every
 * server records what it received and is closed with all its connections after each test.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createNetServer, type Server as NetServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

export interface Hostile {
  readonly url: string;
  /** Requests received (HTTP servers only): method, headers, body. */
  readonly requests: { method: string; headers: IncomingMessage["headers"]; body: string }[];
  /** Bytes of answer bodies written so far (for servers that count). */
  written: number;
  close(): Promise<void>;
}

const open: Hostile[] = [];

/** Closes every server started since the last call (use in afterEach). */
export async function closeHostileServers(): Promise<void> {
  for (const server of open.splice(0)) await server.close();
}

/** An HTTP server whose handler gets the request with its body already read. */
export async function hostileHttp(handler: (req: IncomingMessage, res: ServerResponse, body: string, self: Hostile) => void | Promise<void>): Promise<Hostile> {
  const sockets = new Set<Socket>();
  const server: Server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      self.requests.push({ method: req.method ?? "", headers: req.headers, body });
      void Promise.resolve(handler(req, res, body, self)).catch(() => res.destroy());
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  const self = await listen(server, sockets);
  return self;
}

/** Answers 200 and writes `chunkBytes` chunks for ever (as fast as the client reads), counting them in `self.written`. */
export function sendForever(res: ServerResponse, self: Hostile, chunkBytes: number, headers: Record<string, string> = { "Content-Type": "application/json" }): void {
  res.writeHead(200, headers);
  const chunk = Buffer.alloc(chunkBytes, 0x20);
  const pump = () => {
    while (!res.destroyed) {
      self.written += chunk.length;
      if (!res.write(chunk)) return void res.once("drain", pump);
    }
  };
  pump();
}

/** A TCP server that accepts connections and never sends a byte (nor reads one). */
export async function silentServer(): Promise<Hostile & { connections: number }> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: NetServer = createNetServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
  });
  const self = await listen(server, sockets);
  return Object.defineProperty(self, "connections", { get: () => connections }) as Hostile & { connections: number };
}

async function listen(server: Server | NetServer, sockets: Set<Socket>): Promise<Hostile> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const self: Hostile = {
    url: `http://127.0.0.1:${port}`,
    requests: [],
    written: 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  open.push(self);
  return self;
}

/** A port on loopback where nothing listens (connections are refused). */
export async function closedPort(): Promise<string> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** The success envelope of CreateBackupDownloadTask for `cmgo-dygv1rnp_0`. */
export const CREATED = JSON.stringify({ Response: { Tasks: [{ ReplicaSetId: "cmgo-dygv1rnp_0", Status: 0 }], RequestId: "hostile-1" } });

/** A DescribeBackupDownloadTask answer with no tasks. */
export const NO_TASKS = JSON.stringify({ Response: { TotalCount: 0, Tasks: [], RequestId: "hostile-2" } });

/** The answer for whichever action the request names. */
export function answerFor(req: IncomingMessage): string {
  return req.headers["x-tc-action"] === "DescribeBackupDownloadTask" ? NO_TASKS : CREATED;
}

export const createInput = {
  InstanceId: "cmgo-dygv1rnp",
  BackupName: "cmgo-dygv1rnp_2021-03-26 10:44",
  BackupSets: [{ ReplicaSetId: "cmgo-dygv1rnp_0" }],
};

/** Both transports: node:http (the default on Node) and openapi-fetch over the global fetch. */
export const TRANSPORTS = {
  "node:http": {},
  fetch: { fetch: (request: Request) => fetch(request) },
} as const;

/** Runs `work` and returns how long it took to settle, with its outcome. */
export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const started = performance.now();
  try {
    const value = await work();
    return { ms: performance.now() - started, value };
  } catch (error) {
    return { ms: performance.now() - started, error };
  }
}
