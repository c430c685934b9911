/**
 * A local Tencent Cloud API 3.0 endpoint for one service, driven by what the generator emits from
 * the spec (`generated/<service>/mock.ts`): every request is authenticated the way Tencent does it
 * (./verify.ts), checked against the wire rules and the spec's validators, then answered by a handler
 * or with the spec's example. Faults can be injected (./faults.ts). Listens on 127.0.0.1 unless told
 * otherwise; records requests without their secrets; logs nothing.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Credentials } from "../runtime/credentials.js";
import { answerPlan, parseWithInt64, requestPlan, stringifyWithInt64 } from "../runtime/transport/int64.js";
import { MAX_GET_QUERY_BYTES } from "../runtime/request/prepare.js";
import { unflattenParams } from "../runtime/request/wire.js";
import { pointerSegments } from "../runtime/validation/validation.js";
import type { MockActionDefinition, MockServiceDefinition } from "./definition.js";
import { decideFault, latencyOf, RateLimiter, seededRandom, type MockFaults } from "./faults.js";
import { KeyStore } from "./keys.js";
import { ApiFailure, verifyTc3, type ReceivedRequest } from "./verify.js";

export type { MockActionDefinition, MockServiceDefinition, MockValidation } from "./definition.js";

/** The emulator's default key pair; documented in the README, valid nowhere else. */
export const MOCK_CREDENTIALS: Credentials = Object.freeze({
  secretId: "AKIDtcgenMock00000000000000000000000",
  secretKey: "tcgenMockSecretKey000000000000000",
});

/** What a handler decides: the success fields, an error envelope, or a raw HTTP answer. */
export type MockAnswer =
  | { readonly response: Readonly<Record<string, unknown>> }
  | { readonly error: { readonly code: string; readonly message: string } }
  | { readonly status: number; readonly body: string; readonly contentType?: string };

/** One authenticated, valid call, as a handler sees it. */
export interface MockCall {
  readonly action: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly region: string | undefined;
  readonly secretId: string;
  /** The server's clock (with any injected skew), in ms. */
  readonly nowMs: number;
  /** The base URL the client reached this server at (for links such as download URLs). */
  readonly baseUrl: string;
}

export type MockHandler = (call: MockCall) => MockAnswer | Promise<MockAnswer>;

/** A route outside the API (e.g. file downloads): return true when it answered the request. */
export type MockRoute = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

export interface MockOptions {
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /**
   * The key pair(s) the emulator accepts; default MOCK_CREDENTIALS. A KeyStore (./keys.ts) shared
   * with the STS emulator also accepts the temporary credentials it issues, until they expire.
   */
  readonly credentials?: Credentials | readonly Credentials[] | KeyStore;
  /** Per-action behaviour replacing the spec's example answer. */
  readonly handlers?: Readonly<Record<string, MockHandler>>;
  /** Routes tried before the API, for anything that is not `/`. */
  readonly routes?: readonly MockRoute[];
  /** Fault injection; can be changed later through `RunningMock.faults`. */
  readonly faults?: MockFaults;
  /** The machine clock in ms (tests); `faults.clockSkewMs` is added to it. */
  readonly now?: () => number;
}

/** One request as the emulator saw it; `Authorization` and `X-TC-Token` are never recorded. */
export interface MockRequestRecord {
  readonly time: number;
  readonly method: string;
  readonly action: string | undefined;
  readonly secretId: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly query: string;
  readonly body: string;
  /** The error code answered, or undefined for a success (or a raw HTTP answer). */
  readonly errorCode: string | undefined;
  /** The HTTP status answered; 0 for a dropped connection. */
  readonly status: number;
}

export interface RunningMock {
  readonly url: string;
  readonly credentials: Credentials;
  /** Every key pair accepted, temporary ones included. */
  readonly keys: KeyStore;
  readonly requests: MockRequestRecord[];
  /** The live fault settings: change them between calls. */
  faults: MockFaults;
  close(): Promise<void>;
}

/** Tencent's request size limits. */
export const MAX_POST_BYTES = 10 * 1024 * 1024;
const NOT_RECORDED = new Set(["authorization", "x-tc-token"]);

export async function startMock(definition: MockServiceDefinition, options: MockOptions = {}): Promise<RunningMock> {
  const keys =
    options.credentials instanceof KeyStore
      ? options.credentials
      : new KeyStore(options.credentials === undefined ? [MOCK_CREDENTIALS] : ([] as Credentials[]).concat(options.credentials));
  const clock = options.now ?? Date.now;
  const requests: MockRequestRecord[] = [];
  const limiter = new RateLimiter();
  const state = { faults: options.faults ?? {}, random: seededRandom(options.faults?.seed ?? 1) };
  const serverNow = () => clock() + (state.faults.clockSkewMs ?? 0);

  // Node's default 16 KiB header limit would cut GET queries off before Tencent's 32 KB limit applies.
  const server = createServer({ maxHeaderSize: 2 * MAX_GET_QUERY_BYTES }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A bug in the emulator must be visible, not a hung request.
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain" });
      res.end(`tcgen mock: internal failure: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  server.keepAliveTimeout = 30_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const route of options.routes ?? []) if (await route(req, res)) return;

    const [path = "/", query = ""] = (req.url ?? "/").split(/\?(.*)/s, 2);
    const method = req.method ?? "";
    const body = await readBody(req, MAX_POST_BYTES);
    const headers: Record<string, string> = {};
    const recorded: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined) continue;
      headers[name] = Array.isArray(value) ? value.join(", ") : value;
      if (!NOT_RECORDED.has(name)) recorded[name] = headers[name]!;
    }
    const record = (status: number, errorCode: string | undefined, secretId?: string) =>
      requests.push({
        time: serverNow(),
        method,
        action: headers["x-tc-action"],
        secretId,
        headers: recorded,
        query,
        body: body === undefined ? "" : Buffer.from(body).toString("utf8"),
        errorCode,
        status,
      });
    const sendEnvelope = (response: Record<string, unknown>, errorCode: string | undefined, secretId?: string, action?: string) => {
      record(200, errorCode, secretId);
      const envelope = { Response: { ...response, RequestId: randomUUID() } };
      // x-tc-int64 members are bare JSON numbers on the wire, as Tencent sends them.
      const plan = action === undefined || definition.int64 === undefined ? undefined : answerPlan(definition.int64, action);
      res
        .writeHead(200, { "Content-Type": "application/json", "X-TC-TraceId": randomUUID(), Date: new Date(serverNow()).toUTCString() })
        .end(plan ? stringifyWithInt64(envelope, plan, definition.int64!) : JSON.stringify(envelope));
    };
    const sendError = (failure: ApiFailure, secretId?: string) =>
      sendEnvelope({ Error: { Code: failure.code, Message: failure.message } }, failure.code, secretId);

    if (path !== "/") {
      record(404, undefined);
      res.writeHead(404, { "Content-Type": "text/plain" }).end(`tcgen mock: no such path ${path}; the API is at /`);
      return;
    }
    if (method !== "POST" && method !== "GET") {
      return sendError(new ApiFailure("UnsupportedProtocol", `HTTP method ${method} is not supported; use POST or GET`));
    }
    if (body === undefined) {
      // The rest of the body was discarded, not read as a request: the connection ends with this answer,
      // so a keep-alive client opens a new one instead of writing into a stream the server gave up.
      res.setHeader("Connection", "close");
      return sendError(new ApiFailure("RequestSizeLimitExceeded", `the request body exceeds ${MAX_POST_BYTES} bytes`));
    }
    if (method === "GET" && Buffer.byteLength(query) > MAX_GET_QUERY_BYTES) {
      return sendError(new ApiFailure("RequestSizeLimitExceeded", `the GET query exceeds ${MAX_GET_QUERY_BYTES} bytes; use POST`));
    }

    const delay = latencyOf(state.faults, state.random);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));

    let secretId: string | undefined;
    try {
      const received: ReceivedRequest = { method, query, headers, body };
      // Only the actions Tencent documents as unsigned take `Authorization: SKIP` (no key at all).
      const unsigned = headers["authorization"] === "SKIP" && definition.unsignedActions?.includes(headers["x-tc-action"] ?? "") === true;
      secretId = unsigned ? "" : authenticate(received).secretId;
      const action = checkAction(headers);
      const actionInfo = definition.actions[action]!;

      const limit = rateLimitOf(state.faults, action, actionInfo.rateLimit);
      if (limit !== undefined && !limiter.admit(`${secretId}\n${action}`, limit, serverNow())) {
        throw new ApiFailure("RequestLimitExceeded", `${action} allows ${limit} requests per second; slow down`);
      }
      const fault = decideFault(state.faults, action, state.random);
      if (fault.kind === "drop") {
        record(0, undefined, secretId);
        req.socket.destroy();
        return;
      }
      if (fault.kind === "status") {
        record(fault.status, undefined, secretId);
        res.writeHead(fault.status, { "Content-Type": "text/html" }).end(`<html><body>${fault.status}</body></html>`);
        return;
      }
      if (fault.kind === "error") throw new ApiFailure(fault.code, fault.message);

      // x-tc-int64 members arrive as bare numbers; the handlers and validators see exact decimal strings.
      const int64 = definition.int64;
      const int64Request = int64 && requestPlan(int64, action);
      const params = readParams(received, actionInfo, int64Request ? (text) => parseWithInt64(text, int64Request, int64!) : undefined);
      const call: MockCall = {
        action,
        params,
        region: headers["x-tc-region"],
        secretId,
        nowMs: serverNow(),
        baseUrl: `http://${headers["host"] ?? "127.0.0.1"}`,
      };
      const handler = options.handlers?.[action];
      const answer = handler ? await handler(call) : exampleAnswer(actionInfo, params);
      if ("status" in answer) {
        record(answer.status, undefined, secretId);
        res.writeHead(answer.status, { "Content-Type": answer.contentType ?? "text/plain" }).end(answer.body);
        return;
      }
      if ("error" in answer) throw new ApiFailure(answer.error.code, answer.error.message);
      sendEnvelope({ ...answer.response }, undefined, secretId, action);
    } catch (error) {
      if (!(error instanceof ApiFailure)) throw error;
      sendError(error, secretId);
    }
  }

  function authenticate(received: ReceivedRequest): Credentials {
    try {
      const nowMs = serverNow();
      return verifyTc3(received, { service: definition.service, keys, nowSeconds: Math.floor(nowMs / 1000), nowMs });
    } catch (error) {
      if (error instanceof TypeError) {
        // The signer refused a value it cannot canonicalise (e.g. a header with a line break).
        throw new ApiFailure("AuthFailure.SignatureFailure", "the signed headers cannot be canonicalised");
      }
      throw error;
    }
  }

  function checkAction(headers: Readonly<Record<string, string>>): string {
    const action = headers["x-tc-action"];
    if (!action) throw new ApiFailure("MissingParameter", "the request is missing the X-TC-Action header");
    if (!Object.hasOwn(definition.actions, action)) {
      throw new ApiFailure("InvalidAction", `action ${action} does not exist in ${definition.service} ${definition.version}`);
    }
    const version = headers["x-tc-version"];
    if (!version) throw new ApiFailure("MissingParameter", "the request is missing the X-TC-Version header");
    if (version !== definition.version) {
      throw new ApiFailure("NoSuchVersion", `version ${version} of ${definition.service} does not exist; use ${definition.version}`);
    }
    return action;
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    credentials: keys.permanent[0]!,
    keys,
    requests,
    get faults() {
      return state.faults;
    },
    set faults(faults: MockFaults) {
      state.faults = faults;
      if (faults.seed !== undefined) state.random = seededRandom(faults.seed);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function rateLimitOf(faults: MockFaults, action: string, documented: number): number | undefined {
  const setting = faults.rateLimit ?? true;
  if (setting === false) return undefined;
  if (setting === true) return documented;
  return setting[action] ?? documented;
}

/** The call's parameters: the JSON body of a POST, the flattened query of a GET; then the spec's validator. */
function readParams(received: ReceivedRequest, action: MockActionDefinition, parse: ((text: string) => unknown) | undefined): Record<string, unknown> {
  let params: Record<string, unknown>;
  if (received.method === "GET") {
    const pairs: [string, string][] = [];
    for (const part of received.query.split("&")) {
      if (part === "") continue;
      const eq = part.indexOf("=");
      const [rawName, rawValue] = eq < 0 ? [part, ""] : [part.slice(0, eq), part.slice(eq + 1)];
      let name: string;
      let value: string;
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, " "));
        value = decodeURIComponent(rawValue.replace(/\+/g, " "));
      } catch {
        throw new ApiFailure("InvalidParameter", `the query parameter ${rawName} is not valid percent-encoding`);
      }
      // Common parameters may also travel in the query; they are not the action's parameters.
      if (COMMON_QUERY_PARAMS.has(name)) continue;
      pairs.push([name, value]);
    }
    const rebuilt = unflattenParams(pairs, action.params);
    if (!rebuilt.ok) throw new ApiFailure("InvalidParameter", `parameter ${rebuilt.name}: ${rebuilt.reason}`);
    params = rebuilt.params;
  } else {
    const contentType = received.headers["content-type"] ?? "";
    if (!/^application\/json\s*(;|$)/i.test(contentType)) {
      throw new ApiFailure("InvalidParameter", `a POST body must be application/json, got "${contentType}"`);
    }
    let parsed: unknown;
    try {
      const text = Buffer.from(received.body).toString("utf8");
      parsed = parse ? parse(text) : JSON.parse(text);
    } catch {
      throw new ApiFailure("InvalidParameter", "the request body is not valid JSON");
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new ApiFailure("InvalidParameter", "the request body must be a JSON object of the action's parameters");
    }
    params = parsed as Record<string, unknown>;
  }
  const verdict = action.validateRequest?.(params);
  if (verdict && !verdict.ok) throw failureOf(verdict.issues);
  return params;
}

const COMMON_QUERY_PARAMS = new Set(["Action", "Version", "Region", "Timestamp", "Nonce", "SecretId", "Signature", "SignatureMethod", "Token", "Language"]);

/** Tencent's code for the first validation issue, naming the parameter as Tencent does (`Filters.0.Name`). */
export function failureOf(issues: readonly { path: string; keyword: string; message: string }[]): ApiFailure {
  const issue = issues[0]!;
  const name = pointerSegments(issue.path).join(".");
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  const subject = name === "" ? "the request" : `parameter ${name}`;
  switch (issue.keyword) {
    case "required":
      return new ApiFailure("MissingParameter", `${subject}: ${issue.message}${more}`);
    case "additionalProperties":
      return new ApiFailure("UnknownParameter", `${subject}: ${issue.message}${more}`);
    case "type":
      return new ApiFailure("InvalidParameter", `${subject}: ${issue.message}${more}`);
    default:
      return new ApiFailure("InvalidParameterValue", `${subject}: ${issue.message}${more}`);
  }
}

/** The example whose request equals the call's parameters, else the action's first example. */
function exampleAnswer(action: MockActionDefinition, params: Record<string, unknown>): MockAnswer {
  const wanted = JSON.stringify(params);
  const example = action.examples.find((e) => JSON.stringify(e.request) === wanted) ?? action.examples[0];
  const envelope = example?.response as { Response?: Record<string, unknown> } | undefined;
  if (!envelope?.Response) throw new ApiFailure("InternalError", "the spec has no example answer for this action");
  const { RequestId: _ignored, ...fields } = envelope.Response;
  const error = fields["Error"] as { Code?: unknown; Message?: unknown } | undefined;
  return error ? { error: { code: String(error.Code), message: String(error.Message ?? "") } } : { response: fields };
}

/**
 * How much of an oversized body is read (and discarded) before the connection is cut: enough for any
 * client that sent a little too much to finish sending and read the answer.
 */
const MAX_DRAINED_BYTES = 64 * 1024 * 1024;

/**
 * Reads the body, or returns undefined once it exceeds `limit` bytes. An oversized body is still read
 * to its end and discarded (up to {@link MAX_DRAINED_BYTES}, beyond which the connection is cut), so
 * that the client, which may still be writing, gets to read the answer instead of a reset.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (over) {
        if (size > MAX_DRAINED_BYTES) req.socket.destroy();
        return;
      }
      if (size > limit) {
        over = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(over ? undefined : Buffer.concat(chunks)));
    req.on("error", reject);
    req.on("close", () => {
      if (!req.complete) reject(new Error("the client went away before its request was complete"));
    });
  });
}
