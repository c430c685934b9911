/**
 * The operation index: each action's `post` operation and the parts of it every later stage needs
 * (request and answer media, schema refs and the schemas they resolve to), found once per spec and
 * shared by check (scripts/check/paging.ts), model and emit instead of each walking `paths` again.
 * Tolerant: built before the checks, it leaves out what a broken spec lacks (the checks report it).
 */
import { deref, isObject, joinPointer, type Json } from "../lib/utils.js";

export interface OperationEntry {
  /** `/DescribeInstances`. */
  readonly route: string;
  /** The action the route names, `DescribeInstances`. */
  readonly action: string;
  /** JSON pointer of the operation, `/paths/~1DescribeInstances/post`. */
  readonly pointer: string;
  readonly operation: Json;
  /** `requestBody.content["application/json"]`. */
  readonly requestMedia: Json | undefined;
  /** `responses["200"].content["application/json"]`. */
  readonly responseMedia: Json | undefined;
  /** The request schema's `$ref`, and the schema it resolves to. */
  readonly requestRef: string | undefined;
  readonly request: Json | undefined;
  /** The success branch's `$ref` (the envelope's `Response.anyOf[0]`), and the schema it resolves to. */
  readonly successRef: string | undefined;
  readonly response: Json | undefined;
}

/** By action, in the spec's order of `paths`. */
export type OperationIndex = ReadonlyMap<string, OperationEntry>;

export function indexOperations(root: unknown): OperationIndex {
  const index = new Map<string, OperationEntry>();
  const paths = isObject(root) && isObject(root["paths"]) ? root["paths"] : {};
  for (const [route, item] of Object.entries(paths)) {
    const operation = isObject(item) ? item["post"] : undefined;
    const action = route.slice(1);
    if (!isObject(operation) || action === "") continue;
    const body = operation["requestBody"];
    const requestMedia = member(isObject(body) ? body["content"] : undefined, "application/json");
    const ok = member(operation["responses"], "200");
    const responseMedia = member(isObject(ok) ? ok["content"] : undefined, "application/json");
    const requestSchema = requestMedia?.["schema"];
    const requestRef = isObject(requestSchema) && typeof requestSchema["$ref"] === "string" ? requestSchema["$ref"] : undefined;
    const envelope = member(member(responseMedia?.["schema"], "properties"), "Response");
    const anyOf = envelope?.["anyOf"];
    const success = Array.isArray(anyOf) ? anyOf[0] : undefined;
    const successRef = isObject(success) && typeof success["$ref"] === "string" ? success["$ref"] : undefined;
    const request = isObject(root) ? deref(root, requestSchema) : undefined;
    const response = isObject(root) ? deref(root, success) : undefined;
    index.set(action, {
      route,
      action,
      pointer: `${joinPointer("paths", route)}/post`,
      operation,
      requestMedia,
      responseMedia,
      requestRef,
      request: isObject(request) ? request : undefined,
      successRef,
      response: isObject(response) ? response : undefined,
    });
  }
  return index;
}

/** Member `key` of a mapping when it is a mapping itself. */
function member(node: unknown, key: string): Json | undefined {
  const value = isObject(node) ? node[key] : undefined;
  return isObject(value) ? value : undefined;
}
