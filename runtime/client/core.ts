/**
 * The client core every generated client and standalone action function works on: what is fixed
 * per client (endpoint, credentials, limiters, retry budget, learned clock offset, validation
 * policy, transport), built once from the service's {@link ServiceInfo} and the client options.
 * Nothing in it is per action: limiters are made on an action's first call, and everything else an
 * action needs travels in its {@link ActionDescriptor}, so that a program bundles only the actions
 * it calls.
 *
 * An attempt goes out through the platform's transport (package.json `#transport`), with the same
 * bytes either way (../request/prepare.ts puts them together):
 *   - on Node, with no custom `fetch`: straight over node:http (../transport/node.ts), the fast path;
 *   - otherwise through `fetch` (../transport/fetch.ts).
 * Either way the signature names the spec's service, never the host.
 */
import { DEFAULT_MAX_ANSWER_BYTES } from "../transport/answer.js";
import { createCallContext, runCall, type CallContext } from "./attempts.js";
import { createCallValidation, type CallValidation } from "../validation/call-validation.js";
import { credentialsResolver } from "../credentials.js";
import { checkTimeout, untilAborted, type AbortLike, type AttemptScope } from "../policy/deadline.js";
import { parseEndpoint, resolveEndpoint } from "../request/endpoints.js";
import type { Int64Plans } from "../transport/int64.js";
import { prepareRequest, type PreparedRequest, type RequestSettings } from "../request/prepare.js";
import { Redactor } from "../request/redact.js";
import { clientTransport } from "#transport";
import type { Validator } from "../validation/validation.js";
import type { CallOptions, ClientOptions } from "./options.js";

/**
 * Default `idleTimeoutMs` of the node:http transport: a connection on which nothing moved for a
 * minute is dead. Equal to the default attempt deadline, which therefore fires first; the idle
 * timeout is what still ends a stalled connection when the deadlines are set to `Infinity`.
 */
export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;

/** What a generated client tells the runtime about its service (generated `service.ts`). */
export interface ServiceInfo {
  /** The signed service name (`x-tc-service`), never derived from the host. */
  readonly service: string;
  /** `X-TC-Version` (`x-tc-version`). */
  readonly version: string;
  /** The default endpoint (the spec's first server). */
  readonly endpoint: string;
}

/**
 * How an action's JSON is written and read when its request or answer holds `x-tc-int64` members
 * (../int64.ts); absent, `JSON.stringify` and `JSON.parse`.
 */
export interface ActionWire {
  /** The parameters as the POST body. */
  stringify(input: unknown): string;
  /** The answer's text as its value. */
  parse(text: string): unknown;
}

/** One action, as the generated `actions.ts` describes it: everything a call of it needs. */
export interface ActionDescriptor<Input, Output> {
  /** `X-TC-Action` (`x-tc-action`). */
  readonly action: string;
  /** Documented requests per second (`x-tc-rate-limit`): the client keeps under it. */
  readonly rateLimit: number;
  /** Safe to repeat (`x-tc-idempotent`): `InternalError` and dropped connections are retried. */
  readonly idempotent: boolean;
  /** The request as the spec writes it, unknown members refused. */
  readonly validateRequest: Validator<Input>;
  /** The answer's `Response`, forward compatibly (members the spec does not know are allowed). */
  readonly validateResponse: Validator<Output>;
  /** Only for actions with `x-tc-int64` members. */
  readonly wire?: ActionWire;
}

/** A client core: made by `createCore` (or a generated `create<Service>Core`), used by `call`. */
export interface Core {
  readonly service: ServiceInfo;
  /** @internal The validation policy of the `validate` option. */
  readonly validation: CallValidation;
  /** @internal One call of `action` with `input` (already validated), answer not yet validated. */
  send<Output>(action: ActionDescriptor<unknown, Output>, input: unknown, options: CallOptions | undefined): Promise<Output>;
}

export function createCore(service: ServiceInfo, options: ClientOptions = {}): Core {
  const endpoint = parseEndpoint(
    resolveEndpoint({
      service: service.service,
      defaultEndpoint: service.endpoint,
      endpoint: options.endpoint,
      region: options.region,
      useRegionalEndpoint: options.useRegionalEndpoint,
      international: options.international,
    }),
  );
  if (options.method !== undefined && options.method !== "POST" && options.method !== "GET") {
    throw new TypeError(`method must be "POST" or "GET", got ${JSON.stringify(options.method)}`);
  }
  const settings: RequestSettings = {
    service: service.service,
    version: service.version,
    endpoint,
    method: options.method ?? "POST",
    region: options.region,
    language: options.language,
  };
  checkTimeout("idleTimeoutMs", options.idleTimeoutMs);
  const maxAnswerBytes = options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES;
  if (!(maxAnswerBytes > 0)) throw new RangeError(`maxAnswerBytes must be a positive number of bytes or Infinity, got ${String(options.maxAnswerBytes)}`);
  const redactor = new Redactor();
  const redact = (text: string) => redactor.redact(text);
  const context: CallContext = createCallContext(options, redact);
  const validation = createCallValidation(options.validate);
  const now = options.now ?? Date.now;
  const getCredentials = credentialsResolver(options.credentials, { profile: options.profile });
  // Signed with Tencent's clock once a SignatureExpire answer has taught us how far ours is off.
  // Credentials are awaited within the attempt's signal: a hanging provider cannot outlast the call.
  const prepare = async (action: string, json: string, signal: AbortLike | undefined): Promise<PreparedRequest> => {
    const credentials = await untilAborted(getCredentials(signal), signal);
    redactor.learn(credentials);
    const prepared = await prepareRequest(settings, action, json, credentials, Math.floor((now() + context.clockOffsetMs) / 1000));
    // The Authorization header ends with the 64 hex digits of the signature.
    redactor.rememberSignature(prepared.headers["Authorization"]!.slice(-64));
    return prepared;
  };
  // GET carries every parameter as a string in the query: x-tc-int64 members need nothing there.
  const json = (descriptor: ActionDescriptor<unknown, unknown>, input: unknown) =>
    descriptor.wire && settings.method === "POST" ? descriptor.wire.stringify(input) : JSON.stringify(input);

  if (options.proxy !== undefined && options.proxy !== false && typeof options.proxy !== "string") {
    throw new TypeError("proxy must be a URL string, false, or left out (the environment's HTTPS_PROXY / HTTP_PROXY / NO_PROXY)");
  }
  if (options.proxy !== undefined && options.fetch !== undefined) throw new TypeError("proxy applies to the node:http transport; a custom fetch brings its own");
  const transport = clientTransport({
    fetch: options.fetch,
    proxy: options.proxy,
    idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    maxAnswerBytes,
    redact,
    learnSecrets: (secrets) => redactor.learnSecrets(secrets),
  });
  const attempt = async (descriptor: ActionDescriptor<unknown, unknown>, input: unknown, scope: AttemptScope) =>
    transport(descriptor.action, await prepare(descriptor.action, json(descriptor, input), scope), scope);

  return {
    service,
    validation,
    send: (descriptor, input, callOptions) =>
      runCall(context, {
        action: descriptor.action,
        rateLimit: descriptor.rateLimit,
        idempotent: descriptor.idempotent,
        signal: callOptions?.signal,
        timeoutMs: callOptions?.timeoutMs,
        attemptTimeoutMs: callOptions?.attemptTimeoutMs,
        send: (scope) => attempt(descriptor, input, scope),
        parse: descriptor.wire?.parse,
      }),
  };
}

/** For the TSDoc of `ServiceInfo` users: where `x-tc-int64` members are (generated `service.ts`). */
export type { Int64Plans };
