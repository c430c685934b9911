/**
 * Stage 2, check: everything later stages rely on, verified up front and reported all at once with
 * the position of the offending node. Later stages may then assume a well-formed spec. One module
 * per concern; this one runs them in order.
 */
import { isObject } from "../lib/utils.js";
import type { LoadedSpec } from "../spec/load.js";
import { indexOperations, type OperationIndex } from "../spec/operations.js";
import { SpecError, type SpecProblem } from "../spec/problems.js";
import { checkInt64 } from "./int64.js";
import { checkPaths } from "./operations.js";
import { checkPaging } from "./paging.js";
import { checkRefs } from "./refs.js";
import { checkSchemas } from "./schemas.js";
import { checkStructure } from "./structure.js";
import { checkTopLevel } from "./top-level.js";

/**
 * Throws a SpecError listing every problem; for a spec the generator can use, returns its operation
 * index (built once here, for the check and the later stages).
 */
export function checkSpec(spec: LoadedSpec, filePath: string): OperationIndex {
  const problems: SpecProblem[] = [];
  const report = (pointer: string, message: string) => {
    problems.push({ ...spec.positionOf(pointer), message });
  };
  const root = spec.value;
  if (!isObject(root)) {
    report("", "a spec must be a YAML mapping (an OpenAPI document)");
    throw new SpecError(problems);
  }

  checkStructure(root, report);
  checkTopLevel(root, filePath, report);
  checkRefs(root, "", root, report);
  checkSchemas(root, report);
  checkPaths(root, report);
  const operations = indexOperations(root);
  checkPaging(root, operations, report);
  checkInt64(root, report);
  if (problems.length > 0) throw new SpecError(problems);
  return operations;
}
