/**
 * What the client reads, against hostile servers on loopback, on both transports: content codings
 * (the same `Accept-Encoding`, gzip and brotli decoded, anything else refused alike), the cap on an
 * answer's size (endless bodies, gzip bombs, a lying Content-Length), and error excerpts that never
 * hold a secret, whatever encoding a gateway echoed it in.
 */
import { brotliCompressSync, gzipSync, deflateSync } from "node:zlib";
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import {
  AnswerTooLargeError,
  createMongodbClient,
  TencentCloudApiError,
  TencentCloudTransportError,
  type MongodbClientOptions,
} from "../../generated/mongodb/index.js";
import { ACCEPT_ENCODING, DEFAULT_MAX_ANSWER_BYTES } from "../../runtime/transport/answer.js";
import { base64Forms, REDACTED } from "../../runtime/request/redact.js";
import { encodeRfc3986 } from "../../runtime/request/wire.js";
import { answerFor, closeHostileServers, CREATED, createInput, hostileHttp, sendForever, timed, TRANSPORTS, type Hostile } from "../support/hostile.js";

afterEach(closeHostileServers);

const credentials = { secretId: "AKIDhostile", secretKey: "hostile-secret-key" };
const clientOf = (server: Hostile, options: MongodbClientOptions = {}) =>
  createMongodbClient({ endpoint: server.url, credentials, retry: { baseDelayMs: 10 }, ...options });

const ENCODERS: Record<string, (data: string) => Buffer> = {
  gzip: (data) => gzipSync(data),
  br: (data) => brotliCompressSync(data),
};

for (const [transport, transportOptions] of Object.entries(TRANSPORTS)) {
  describe(`${transport}: content codings`, () => {
    it.each(Object.keys(ENCODERS))("asks for gzip and brotli explicitly, and decodes a %s answer", async (coding) => {
      const server = await hostileHttp((req, res) => {
        res.writeHead(200, { "Content-Type": "application/json", "Content-Encoding": coding }).end(ENCODERS[coding]!(answerFor(req)));
      });
      await expect(clientOf(server, transportOptions).createBackupDownloadTask(createInput)).resolves.toMatchObject({ RequestId: "hostile-1" });
      expect(server.requests[0]!.headers["accept-encoding"]).toBe(ACCEPT_ENCODING);
    });

    it("refuses a coding it did not ask for (deflate), with the same error on both transports", async () => {
      const server = await hostileHttp((req, res) => {
        res.writeHead(200, { "Content-Type": "application/json", "Content-Encoding": "deflate" }).end(deflateSync(answerFor(req)));
      });
      const error = await clientOf(server, transportOptions).createBackupDownloadTask(createInput).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TencentCloudTransportError);
      expect((error as Error).message).toBe(
        `CreateBackupDownloadTask: the answer from ${new URL(server.url).host} is encoded as "deflate", which was not asked for (Accept-Encoding: gzip, br)`,
      );
    });

    it("a corrupt gzip body is a transport error, not a hang or a crash", async () => {
      const server = await hostileHttp((_req, res) => {
        res.writeHead(200, { "Content-Type": "application/json", "Content-Encoding": "gzip" }).end(Buffer.from("not gzip at all, not even close"));
      });
      await expect(clientOf(server, transportOptions).createBackupDownloadTask(createInput)).rejects.toBeInstanceOf(TencentCloudTransportError);
    });
  });

  describe(`${transport}: the answer size cap`, () => {
    const cap = 1024 * 1024;

    it("an endless body stops at maxAnswerBytes with AnswerTooLargeError, and is not retried", async () => {
      const server = await hostileHttp((_req, res, _body, self) => sendForever(res, self, 64 * 1024));
      const result = await timed(() => clientOf(server, { ...transportOptions, maxAnswerBytes: cap }).describeBackupDownloadTask({ InstanceId: "cmgo-dygv1rnp" }));
      expect(result.error).toBeInstanceOf(AnswerTooLargeError);
      expect(result.error).toMatchObject({ maxAnswerBytes: cap, status: 200, attempts: 1 });
      expect((result.error as Error).message).toMatch(/exceeds maxAnswerBytes \(1048576 bytes\); stopped reading there/);
      expect(server.requests).toHaveLength(1);
      // The server could only push the cap plus what the socket buffers hold.
      expect(server.written).toBeLessThan(cap + 16 * 1024 * 1024);
    });

    it("a gzip bomb stops at the cap after decoding", async () => {
      const bomb = gzipSync(Buffer.alloc(256 * 1024 * 1024, 0x20));
      const server = await hostileHttp((_req, res) => {
        res.writeHead(200, { "Content-Type": "application/json", "Content-Encoding": "gzip" }).end(bomb);
      });
      expect(bomb.length).toBeLessThan(cap);
      const error = await clientOf(server, { ...transportOptions, maxAnswerBytes: cap }).createBackupDownloadTask(createInput).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AnswerTooLargeError);
    });

    it("a Content-Length over the cap is refused before reading", async () => {
      const server = await hostileHttp((_req, res) => {
        res.writeHead(200, { "Content-Type": "application/json", "Content-Length": String(2 * cap) });
        res.write("{");
      });
      const error = await clientOf(server, { ...transportOptions, maxAnswerBytes: cap }).createBackupDownloadTask(createInput).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AnswerTooLargeError);
      expect((error as Error).message).toMatch(/announces 2097152 bytes, over maxAnswerBytes \(1048576\); not read/);
    });

    it("an answer right at the cap is read", async () => {
      const padded = CREATED.slice(0, -1) + " ".repeat(cap - CREATED.length) + "}";
      const server = await hostileHttp((_req, res) => void res.writeHead(200, { "Content-Type": "application/json" }).end(padded));
      expect(Buffer.byteLength(padded)).toBe(cap);
      await expect(clientOf(server, { ...transportOptions, maxAnswerBytes: cap }).createBackupDownloadTask(createInput)).resolves.toMatchObject({ RequestId: "hostile-1" });
      expect(DEFAULT_MAX_ANSWER_BYTES).toBe(32 * 1024 * 1024);
    });
  });

  describe(`${transport}: error excerpts never hold a secret`, () => {
    // Characters that every encoding writes differently: +, /, =, &, <, >, ", space, é, 💡.
    const secretKey = "sk+/=&<>\" é💡-a-very-secret-key-0123456789";
    const token = "tok/en+with=padding&more<>\"'~* ünïcode-long-token-abcdefghijklmnopqrstuvwxyz";
    const secrets = { secretId: "AKIDechoed", secretKey, token };

    /** Every way a gateway might echo a secret back. */
    const encodings = (value: string): string[] => [
      value,
      encodeURIComponent(value),
      encodeURIComponent(value).toLowerCase(),
      encodeRfc3986(value),
      JSON.stringify(value).slice(1, -1),
      JSON.stringify(value).slice(1, -1).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`),
      value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`),
      value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;"),
      [...value].map((c) => `&#x${c.codePointAt(0)!.toString(16).toUpperCase()};`).join(""),
      Buffer.from(value).toString("base64"),
      Buffer.from(value).toString("base64url"),
    ];

    /** A page echoing the request's headers (and the secrets in every encoding) back. */
    const echo = (req: import("node:http").IncomingMessage) => {
      const authorization = String(req.headers["authorization"]);
      const signature = /Signature=([0-9a-f]{64})/.exec(authorization)![1]!;
      return [
        `<html><body><h1>Bad Request</h1><pre>${JSON.stringify(req.headers)}</pre>`,
        ...[secretKey, token, authorization, signature].flatMap(encodings).map((form) => `<p>${form}</p>`),
        "</body></html>",
      ].join("\n");
    };

    /** What a secret must not look like anywhere in the error, in any form. */
    const assertClean = (error: unknown, server: Hostile) => {
      const signature = /Signature=([0-9a-f]{64})/.exec(String(server.requests[0]!.headers["authorization"]))![1]!;
      const views = [String(error), JSON.stringify(error), inspect(error, { depth: 10 }), (error as TencentCloudTransportError).body ?? ""];
      for (const view of views) {
        for (const form of [...encodings(secretKey), ...encodings(token)]) expect(view).not.toContain(form);
        for (const form of [secretKey, token, signature].flatMap(base64Forms)) expect(view).not.toContain(form);
        expect(view).not.toMatch(/[0-9a-f]{64}/);
        // Not even the first half of a secret survived.
        expect(view).not.toContain(secretKey.slice(0, 10));
        expect(view).not.toContain(token.slice(0, 10));
      }
    };

    it("a 400 page echoing the request headers and the secrets in eleven encodings", async () => {
      const server = await hostileHttp((req, res) => void res.writeHead(400, { "Content-Type": "text/html" }).end(echo(req)));
      const error = await clientOf(server, { ...transportOptions, credentials: secrets }).createBackupDownloadTask(createInput).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TencentCloudTransportError);
      expect((error as TencentCloudTransportError).body).toContain(REDACTED);
      expect((error as TencentCloudTransportError).body).toContain("x-tc-action");
      assertClean(error, server);
    });

    it("a 200 page that is not JSON, and an error envelope whose Message echoes them", async () => {
      const page = await hostileHttp((req, res) => void res.writeHead(200, { "Content-Type": "text/html" }).end(echo(req)));
      const notJson = await clientOf(page, { ...transportOptions, credentials: secrets }).createBackupDownloadTask(createInput).catch((e: unknown) => e);
      expect(notJson).toMatchObject({ name: "TencentCloudTransportError", status: 200 });
      assertClean(notJson, page);

      const api = await hostileHttp((req, res) =>
        void res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ Response: { Error: { Code: "AuthFailure.TokenFailure", Message: echo(req) }, RequestId: "r" } })),
      );
      const apiError = await clientOf(api, { ...transportOptions, credentials: secrets }).createBackupDownloadTask(createInput).catch((e: unknown) => e);
      expect(apiError).toBeInstanceOf(TencentCloudApiError);
      assertClean(apiError, api);
    });

    it("secrets from a provider (rotating tokens) are redacted too", async () => {
      let n = 0;
      const provider = async () => ({ ...secrets, token: `${token}-${++n}`, expiresAt: Date.now() - 1 });
      const server = await hostileHttp((req, res) => void res.writeHead(502, { "Content-Type": "text/plain" }).end(`you sent ${String(req.headers["x-tc-token"])}`));
      const mongodb = clientOf(server, { ...transportOptions, credentials: provider, retry: { maxAttempts: 1 } });
      for (let i = 0; i < 3; i++) {
        const error = (await mongodb.createBackupDownloadTask(createInput).catch((e: unknown) => e)) as TencentCloudTransportError;
        expect(error.body).toBe(`you sent ${REDACTED}`);
      }
    });
  });
}
