/**
 * INTERNAL entry of the runtime (`tcgen/runtime/internal`): what generated code imports. Not for
 * users: its names and shapes change with the generator, in any release. Users import
 * `tcgen/runtime` (runtime/index.ts) and the generated service package.
 */
export { createCore, DEFAULT_IDLE_TIMEOUT_MS } from "./client/core.js";
export type { ActionDescriptor, ActionWire, Core, ServiceInfo } from "./client/core.js";
export { call } from "./client/call.js";
export type { CallOptions, ClientOptions } from "./client/options.js";
export { paginate, waitFor } from "./paging/descriptors.js";
export type { PageInput, PaginatorDescriptor, WaiterDescriptor } from "./paging/descriptors.js";
export type { WaiterOptions } from "./paging/waiter.js";
export { int64Wire } from "./transport/int64.js";
export type { Int64Plan, Int64Plans } from "./transport/int64.js";
// What emitted validators call (validators.ts).
export { MAX_DEPTH, MAX_ISSUES, toStandardResult } from "./validation/validation.js";
export type { StandardSchemaV1, ValidationIssue, ValidationResult, Validator } from "./validation/validation.js";
export {
  describeType,
  escapeRegExp,
  isDecimalInteger,
  isJsonObject,
  isLongerThan,
  isShorterThan,
  pointerSegment,
  ValidationReport,
  reportIssue,
  reportMissing,
  reportPattern,
  reportTooDeep,
  reportType,
  reportUnknownMember,
  runCheck,
} from "./validation/checks.js";
export type { Check } from "./validation/checks.js";
