/**
 * What the generator takes from the runtime, in one place: the facts both sides must agree on
 * (an endpoint's form, GET parameter shapes, the paging definition, the int64 plans) are the
 * runtime's, imported here rather than restated. Only modules without Node-only imports.
 */
export { parseEndpoint } from "../../runtime/request/endpoints.js";
export type { Int64Plan, Int64Plans } from "../../runtime/transport/int64.js";
export type { PaginatorDefinition } from "../../runtime/paging/paginate.js";
export { unflattenParams, type ParamShape } from "../../runtime/request/wire.js";
