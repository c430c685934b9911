/**
 * `schema.ts`: the TypeScript types of the spec's schemas, by openapi-typescript (with the int64
 * members typed by scripts/emit/int64-type.ts).
 */
import openapiTS, { astToString } from "openapi-typescript";
import { int64Type } from "./int64-type.js";

/** The text of `schema.ts` (unformatted), under `header`. */
export async function emitSchemaTypes(specValue: unknown, header: string): Promise<string> {
  // openapi-typescript may annotate what it is given; hand it a copy.
  const ast = await openapiTS(structuredClone(specValue) as Parameters<typeof openapiTS>[0], { silent: true, transform: int64Type });
  return `${header}\n${astToString(ast)}`;
}
