/**
 * A local Tencent Cloud API 3.0 endpoint for one service, driven by what the generator emits from
 * the spec (`generated/<service>/mock.ts`). It checks requests the way Tencent does (action, version,
 * TC3 signature, timestamp, token) and answers with the spec's examples or Tencent error envelopes.
 * Listens on 127.0.0.1 unless told otherwise; never logs secrets.
 */
import { randomUUID, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Credentials } from "./credentials.js";
import { signTc3, tc3Date } from "./signing.js";

/** Emitted per service from its spec. */
export interface MockServiceDefinition {
  readonly service: string;
  readonly version: string;
  readonly commonErrors: readonly string[];
  readonly actions: Readonly<
    Record<
      string,
      {
        readonly rateLimit: number;
        readonly errors: readonly string[];
        readonly examples: readonly { readonly name: string; readonly request: unknown; readonly response: unknown }[];
      }
    >
  >;
}

/** The emulator's default key pair; documented in the README, never valid anywhere else. */
export const MOCK_CREDENTIALS: Credentials = Object.freeze({
  secretId: "AKIDtcgenMock00000000000000000000000",
  secretKey: "tcgenMockSecretKey000000000000000",
});

/** What a handler decides: the success fields, an error envelope, or a raw HTTP answer. */
export type MockAnswer =
  | { readonly response: Readonly<Record<string, unknown>> }
  | { readonly error: { readonly code: string; readonly message: string } }
  | { readonly status: number; readonly body: string; readonly contentType?: string };

export interface MockCall {
  readonly action: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly region: string | undefined;
}

export type MockHandler = (call: MockCall) => MockAnswer | Promise<MockAnswer>;

export interface MockOptions {
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  readonly credentials?: Credentials;
  /** Per-action behaviour replacing the spec's example answer. */
  readonly handlers?: Readonly<Record<string, MockHandler>>;
  /** The server's clock in milliseconds, to check `X-TC-Timestamp` against. */
  readonly now?: () => number;
}

/** One request as the emulator saw it; `Authorization` and `X-TC-Token` are never recorded. */
export interface MockRequestRecord {
  readonly action: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** The error code answered, or undefined for a success. */
  readonly errorCode: string | undefined;
  readonly status: number;
}

export interface RunningMock {
  readonly url: string;
  readonly credentials: Credentials;
  readonly requests: MockRequestRecord[];
  close(): Promise<void>;
}

/** Tencent rejects timestamps more than five minutes off its clock. */
const MAX_CLOCK_SKEW_SECONDS = 300;
/** Tencent's POST body limit. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;
const AUTHORIZATION = /^TC3-HMAC-SHA256 Credential=([^/\s,]+)\/(\d{4}-\d{2}-\d{2})\/([^/\s,]+)\/tc3_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/;
const NOT_RECORDED = new Set(["authorization", "x-tc-token"]);

class ApiFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function startMockServer(definition: MockServiceDefinition, options: MockOptions = {}): Promise<RunningMock> {
  const credentials = options.credentials ?? MOCK_CREDENTIALS;
  const now = options.now ?? Date.now;
  const requests: MockRequestRecord[] = [];

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A bug in the emulator must be visible, not a hung request.
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain" });
      res.end(`tcgen mock: internal failure: ${error instanceof Error ? error.message : String(error)}`);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (!NOT_RECORDED.has(name) && value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
    }
    const action = header(req, "x-tc-action");
    const requestId = randomUUID();
    const record = (status: number, errorCode: string | undefined) =>
      requests.push({ action, headers, body: body === undefined ? "" : body.toString("utf8"), errorCode, status });

    if (req.method !== "POST" || (req.url ?? "/").split("?")[0] !== "/") {
      record(404, undefined);
      res.writeHead(404, { "Content-Type": "text/plain" }).end("tcgen mock serves POST / only");
      return;
    }
    let answer: MockAnswer;
    try {
      if (body === undefined) throw new ApiFailure("RequestSizeLimitExceeded", `the request body exceeds ${MAX_BODY_BYTES} bytes`);
      const call = authenticate(req, body, action);
      const handler = options.handlers?.[call.action];
      answer = handler ? await handler(call) : exampleAnswer(call);
    } catch (error) {
      if (!(error instanceof ApiFailure)) throw error;
      answer = { error: { code: error.code, message: error.message } };
    }

    if ("status" in answer) {
      record(answer.status, undefined);
      res.writeHead(answer.status, { "Content-Type": answer.contentType ?? "text/plain" }).end(answer.body);
      return;
    }
    const response = "error" in answer ? { Error: { Code: answer.error.code, Message: answer.error.message } } : answer.response;
    record(200, "error" in answer ? answer.error.code : undefined);
    res
      .writeHead(200, { "Content-Type": "application/json", "X-TC-TraceId": randomUUID() })
      .end(JSON.stringify({ Response: { ...response, RequestId: requestId } }));
  }

  /** Checks what Tencent checks, in the order it does, and returns the parsed call. */
  function authenticate(req: IncomingMessage, body: Buffer, action: string | undefined): MockCall {
    if (!action) throw new ApiFailure("MissingParameter", "the request is missing the X-TC-Action header");
    const actionInfo = Object.hasOwn(definition.actions, action) ? definition.actions[action] : undefined;
    if (!actionInfo) throw new ApiFailure("InvalidAction", `action ${action} does not exist in ${definition.service} ${definition.version}`);
    const version = header(req, "x-tc-version");
    if (!version) throw new ApiFailure("MissingParameter", "the request is missing the X-TC-Version header");
    if (version !== definition.version) throw new ApiFailure("NoSuchVersion", `version ${version} does not exist; use ${definition.version}`);

    const authorization = header(req, "authorization");
    const match = authorization ? AUTHORIZATION.exec(authorization) : null;
    if (!match) throw new ApiFailure("AuthFailure.InvalidAuthorization", "the Authorization header is not a TC3-HMAC-SHA256 authorization");
    const [, secretId, date, service, signedHeaderList, signature] = match as unknown as string[];
    const signedNames = signedHeaderList!.split(";");
    if (!signedNames.includes("content-type") || !signedNames.includes("host")) {
      throw new ApiFailure("AuthFailure.InvalidAuthorization", "SignedHeaders must include content-type and host");
    }
    if (secretId !== credentials.secretId) throw new ApiFailure("AuthFailure.SecretIdNotFound", `SecretId ${secretId} does not exist`);

    const timestampText = header(req, "x-tc-timestamp") ?? "";
    if (!/^\d+$/.test(timestampText)) throw new ApiFailure("MissingParameter", "X-TC-Timestamp must be UNIX seconds");
    const timestamp = Number(timestampText);
    const skew = timestamp - Math.floor(now() / 1000);
    if (Math.abs(skew) > MAX_CLOCK_SKEW_SECONDS) {
      throw new ApiFailure("AuthFailure.SignatureExpire", `X-TC-Timestamp is ${skew} s off the server's clock (limit ${MAX_CLOCK_SKEW_SECONDS} s)`);
    }
    if (date !== tc3Date(timestamp)) throw new ApiFailure("AuthFailure.InvalidAuthorization", `credential date ${date} is not the UTC date of X-TC-Timestamp (${tc3Date(timestamp)})`);
    if (service !== definition.service) throw new ApiFailure("AuthFailure.InvalidAuthorization", `credential service ${service} is not ${definition.service}`);

    const extra: Record<string, string> = {};
    for (const name of signedNames) {
      if (name === "content-type" || name === "host") continue;
      const value = header(req, name);
      if (value === undefined) throw new ApiFailure("AuthFailure.InvalidAuthorization", `signed header ${name} is not in the request`);
      extra[name] = value;
    }
    const expected = signTc3({
      method: req.method ?? "POST",
      host: header(req, "host") ?? "",
      contentType: header(req, "content-type") ?? "",
      signedHeaders: extra,
      query: "",
      payload: body,
      timestamp,
      service: definition.service,
      credentials,
    });
    if (expected.signedHeaders !== signedHeaderList || !constantTimeEqual(expected.signature, signature!)) {
      throw new ApiFailure("AuthFailure.SignatureFailure", "the signature does not match the request as received");
    }
    const token = header(req, "x-tc-token");
    if ((credentials.token ?? "") !== (token ?? "")) throw new ApiFailure("AuthFailure.TokenFailure", "X-TC-Token does not match the credentials");

    const contentType = header(req, "content-type") ?? "";
    if (!/^application\/json\b/i.test(contentType)) throw new ApiFailure("InvalidParameter", `POST bodies must be application/json, got ${contentType}`);
    let params: unknown;
    try {
      params = JSON.parse(body.toString("utf8"));
    } catch {
      throw new ApiFailure("InvalidParameter", "the request body is not valid JSON");
    }
    if (typeof params !== "object" || params === null || Array.isArray(params)) {
      throw new ApiFailure("InvalidParameter", "the request body must be a JSON object");
    }
    return { action, params: params as Record<string, unknown>, region: header(req, "x-tc-region") };
  }

  /** The example whose request equals the call's parameters, else the action's first example. */
  function exampleAnswer(call: MockCall): MockAnswer {
    const examples = definition.actions[call.action]?.examples ?? [];
    const wanted = JSON.stringify(call.params);
    const example = examples.find((e) => JSON.stringify(e.request) === wanted) ?? examples[0];
    const envelope = example?.response as { Response?: Record<string, unknown> } | undefined;
    if (!envelope?.Response) throw new ApiFailure("InternalError", `the spec has no example answer for ${call.action}`);
    const { RequestId: _ignored, ...fields } = envelope.Response;
    const error = fields["Error"] as { Code?: unknown; Message?: unknown } | undefined;
    return error ? { error: { code: String(error.Code), message: String(error.Message ?? "") } } : { response: fields };
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    credentials,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Reads the body, or returns undefined once it exceeds Tencent's limit. */
async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
