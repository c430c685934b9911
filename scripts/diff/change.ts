/**
 * What the diff reports: one `Change` per difference between two specs, with where it is, what it
 * does to a consumer and which generated names it touches. Comparators emit `RawChange`s (pointers,
 * no positions); diff.ts resolves positions, classes and names.
 */
import type { ChangeClass, ChangeKind, Direction } from "./classify.js";

/** A place in a spec: `file:line:col` and the JSON pointer of the node. */
export interface Location {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly pointer: string;
}

/** A difference found by a comparator, before positions and names are resolved. */
export interface RawChange {
  readonly kind: ChangeKind;
  /** Where the schema holding the change is used; absent for changes outside schemas. */
  readonly direction?: Direction;
  /** What changed, as a reader names it: `DescribeDisksRequest.Limit`, `DescribeDisks`, `waitForDisksAttached`. */
  readonly subject: string;
  /** What happened to it, e.g. `maximum 100 → 50`. */
  readonly detail: string;
  /** The node in the old spec (absent for additions). */
  readonly oldPointer?: string;
  /** The node in the new spec; for a removal, the place that held it (its parent). */
  readonly newPointer?: string;
  /** What it touches, for the generated names: the action, the component schema and its top-level member. */
  readonly action?: string;
  readonly schema?: string;
  readonly member?: string;
  readonly waiter?: string;
  /** For a rename: the new name of the action or schema. */
  readonly renamedTo?: string;
  /** Said to people next to the change, e.g. how exhaustive switches are affected. */
  readonly note?: string;
}

export interface Change {
  readonly service: string;
  readonly kind: ChangeKind;
  readonly class: ChangeClass;
  readonly direction?: Direction;
  readonly subject: string;
  readonly detail: string;
  /** Where to look: in the new spec, or for a removal where it was in the old spec. */
  readonly location: Location;
  readonly old?: Location;
  readonly new?: Location;
  /** Generated names this change affects, e.g. `describeDisks()`, `DescribeDisksRequest`. */
  readonly affects: readonly string[];
  readonly note?: string;
}

export interface ServiceDiff {
  readonly service: string;
  readonly oldVersion: string | undefined;
  readonly newVersion: string | undefined;
  readonly oldFile: string | undefined;
  readonly newFile: string | undefined;
}

export interface DiffResult {
  /** How the two sides were named on the command line, e.g. `v0.1.0:spec` and `spec`. */
  readonly oldLabel: string;
  readonly newLabel: string;
  readonly services: readonly ServiceDiff[];
  readonly changes: readonly Change[];
}
