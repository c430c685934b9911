/**
 * What the generator emits for the emulator (`generated/<service>/mock.ts`): plain data and the
 * spec's validators, no Node types, so a client's type declarations never depend on the emulator.
 */
import type { Int64Plans } from "../runtime/transport/int64.js";
import type { ParamShape } from "../runtime/request/wire.js";

/** A validator's verdict, as the generated validators return it. */
export type MockValidation = { ok: true } | { ok: false; issues: readonly { path: string; keyword: string; message: string }[] };

/** Emitted per service from its spec. */
export interface MockServiceDefinition {
  readonly service: string;
  readonly version: string;
  readonly commonErrors: readonly string[];
  readonly actions: Readonly<Record<string, MockActionDefinition>>;
  /** Where the spec's `x-tc-int64` members are (requests parsed, answers written accordingly). */
  readonly int64?: Int64Plans;
  /** Actions Tencent serves unsigned (`Authorization: SKIP`), e.g. STS `AssumeRoleWithWebIdentity`. */
  readonly unsignedActions?: readonly string[];
}

export interface MockActionDefinition {
  readonly rateLimit: number;
  readonly errors: readonly string[];
  readonly examples: readonly { readonly name: string; readonly request: unknown; readonly response: unknown }[];
  /** The request's parameter types, to rebuild GET parameters. */
  readonly params?: ParamShape;
  /** The spec's request validator. */
  readonly validateRequest?: (params: unknown) => MockValidation;
}
