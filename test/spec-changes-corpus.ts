/**
 * The corpus of spec changes: each entry edits the base fixture
 * (test/fixtures/spec-changes/cbs/2024-01-01.yaml) in one way, says how `tcgen diff` must classify
 * the result, and, for answers the compiler cannot tell apart, gives an answer the new spec allows
 * and the old one ruled out. test/spec-changes.test.ts generates a client from each and compiles and
 * runs the consumer (test/fixtures/spec-changes/consumer.ts) against it.
 */
import { isMap, isSeq, type Document } from "yaml";
import type { ChangeClass, ChangeKind } from "../scripts/diff/classify.js";

export interface CorpusEntry {
  /** The kind of change, as a person says it. */
  readonly name: string;
  readonly expect: ChangeClass;
  /** Kinds the diff must report (it may report more, e.g. the schema a new action brings). */
  readonly kinds: readonly ChangeKind[];
  readonly edit: (doc: Document) => void;
  /** Text the line of the reported place (for the first kind) must hold in the new spec. */
  readonly at?: string;
  /** An answer of `action` that the new spec allows and the old one did not. */
  readonly answer?: { readonly action: string; readonly value: unknown };
}

type Path = (string | number)[];

const schema = (name: string, ...rest: Path): Path => ["components", "schemas", name, ...rest];
const member = (name: string, prop: string, ...rest: Path): Path => schema(name, "properties", prop, ...rest);
const operation = (action: string, ...rest: Path): Path => ["paths", `/${action}`, "post", ...rest];

function set(doc: Document, path: Path, value: unknown): void {
  doc.setIn(path, doc.createNode(value));
}

function remove(doc: Document, path: Path): void {
  if (!doc.deleteIn(path)) throw new Error(`corpus: nothing at ${path.join(".")}`);
}

function push(doc: Document, path: Path, value: unknown): void {
  const seq = doc.getIn(path, true);
  if (!isSeq(seq)) throw new Error(`corpus: no list at ${path.join(".")}`);
  seq.items.push(doc.createNode(value));
}

/** Removes the items of the list at `path` for which `drop` is true. */
function removeItems(doc: Document, path: Path, drop: (item: unknown) => boolean): void {
  const seq = doc.getIn(path, true);
  if (!isSeq(seq)) throw new Error(`corpus: no list at ${path.join(".")}`);
  const before = seq.items.length;
  seq.items = seq.items.filter((item) => !drop((item as { toJSON(): unknown }).toJSON()));
  if (seq.items.length === before) throw new Error(`corpus: nothing removed at ${path.join(".")}`);
}

/** Renames a key of the mapping at `path`, keeping its place. */
function renameKey(doc: Document, path: Path, from: string, to: string): void {
  const map = doc.getIn(path, true);
  if (!isMap(map)) throw new Error(`corpus: no mapping at ${path.join(".")}`);
  const pair = map.items.find((p) => String((p.key as { value?: unknown }).value ?? p.key) === from);
  if (!pair) throw new Error(`corpus: no ${from} at ${path.join(".")}`);
  pair.key = doc.createNode(to);
}

/** Every `$ref` to `#/components/schemas/<from>` made to point at `<to>`. */
function retarget(doc: Document, from: string, to: string): void {
  const text = JSON.stringify(doc.toJS());
  if (!text.includes(`#/components/schemas/${from}"`)) throw new Error(`corpus: no $ref to ${from}`);
  const visit = (node: unknown): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = String((pair.key as { value?: unknown }).value);
        const value = pair.value as { value?: unknown } | null;
        if (key === "$ref" && value?.value === `#/components/schemas/${from}`) pair.value = doc.createNode(`#/components/schemas/${to}`);
        else visit(pair.value);
      }
    } else if (isSeq(node)) node.items.forEach(visit);
  };
  visit(doc.contents);
}

/** A DescribeDisks answer with one disk, changed by `disk`. */
function disksAnswer(disk: Record<string, unknown>): unknown {
  const base = { DiskId: "disk-00000000", DiskName: "data", DiskSize: 100, DiskState: "ATTACHED", DiskType: "CLOUD_SSD", Zone: "ap-guangzhou-3", CreatedTime: "2024-01-02 03:04:05" };
  return { TotalCount: 1, DiskSet: [{ ...base, ...disk }], RequestId: "req-1" };
}

export const CORPUS: readonly CorpusEntry[] = [
  // ---- breaking: actions and their behaviour
  {
    name: "action removed",
    expect: "breaking",
    kinds: ["action-removed"],
    edit: (doc) => remove(doc, ["paths", "/AttachDisks"]),
    at: "/AttachDisks:",
  },
  {
    name: "action renamed",
    expect: "breaking",
    kinds: ["action-renamed"],
    edit: (doc) => {
      renameKey(doc, ["paths"], "/AttachDisks", "/AttachDisk");
      set(doc, operation("AttachDisk", "operationId"), "AttachDisk");
      set(doc, operation("AttachDisk", "x-tc-action"), "AttachDisk");
    },
    at: "/AttachDisk:",
  },
  {
    name: "rate limit lowered",
    expect: "breaking",
    kinds: ["rate-limit-lowered"],
    edit: (doc) => set(doc, operation("DescribeDisks", "x-tc-rate-limit"), 2),
    at: "x-tc-rate-limit: 2",
  },
  {
    name: "action no longer idempotent",
    expect: "breaking",
    kinds: ["idempotent-removed"],
    edit: (doc) => remove(doc, operation("DescribeDisks", "x-tc-idempotent")),
  },
  {
    name: "pagination offset now counts pages",
    expect: "breaking",
    kinds: ["pagination-changed"],
    edit: (doc) => set(doc, operation("DescribeDisks", "x-tc-pagination", "offsetUnit"), "pages"),
    at: "offsetUnit: pages",
  },
  {
    name: "pagination removed",
    expect: "breaking",
    kinds: ["pagination-removed"],
    edit: (doc) => remove(doc, operation("DescribeDisks", "x-tc-pagination")),
    at: "x-tc-pagination:",
  },
  {
    name: "waiter succeeds on another status too",
    expect: "breaking",
    kinds: ["waiter-changed"],
    edit: (doc) => push(doc, ["x-tc-waiters", 0, "success"], "ATTACHING"),
  },
  {
    name: "waiter removed",
    expect: "breaking",
    kinds: ["waiter-removed"],
    edit: (doc) => remove(doc, ["x-tc-waiters"]),
    at: "- method: waitForDisksAttached",
  },
  {
    name: "action error code removed",
    expect: "breaking",
    kinds: ["error-code-removed"],
    edit: (doc) => removeItems(doc, operation("CreateDisks", "x-tc-errors"), (e) => (e as { code: string }).code === "LimitExceeded.DiskQuota"),
    at: "- code: LimitExceeded.DiskQuota",
  },
  {
    name: "common error code removed",
    expect: "breaking",
    kinds: ["error-code-removed"],
    edit: (doc) => removeItems(doc, ["x-tc-common-errors"], (e) => (e as { code: string }).code === "UnauthorizedOperation"),
    at: "- code: UnauthorizedOperation",
  },
  {
    name: "schema renamed",
    expect: "breaking",
    kinds: ["schema-renamed"],
    edit: (doc) => {
      renameKey(doc, ["components", "schemas"], "Tag", "ResourceTag");
      retarget(doc, "Tag", "ResourceTag");
    },
    at: "ResourceTag:",
  },
  // ---- breaking: requests
  {
    name: "request member removed",
    expect: "breaking",
    kinds: ["member-removed"],
    edit: (doc) => remove(doc, member("DescribeDisksRequest", "Order")),
    at: "Order:",
  },
  {
    name: "required request member added",
    expect: "breaking",
    kinds: ["member-added-required"],
    edit: (doc) => {
      set(doc, member("CreateDisksRequest", "ProjectId"), { type: "integer" });
      push(doc, schema("CreateDisksRequest", "required"), "ProjectId");
    },
    at: "ProjectId:",
  },
  {
    name: "request member optional → required",
    expect: "breaking",
    kinds: ["member-required"],
    edit: (doc) => push(doc, schema("CreateDisksRequest", "required"), "DiskName"),
    at: "DiskName",
  },
  {
    name: "request member gets a default (typed as always present)",
    expect: "breaking",
    kinds: ["member-default-added"],
    edit: (doc) => set(doc, member("DescribeDisksRequest", "Limit", "default"), 20),
    at: "default: 20",
  },
  {
    name: "request member type changed",
    expect: "breaking",
    kinds: ["type-changed"],
    edit: (doc) => set(doc, member("DescribeDisksRequest", "MinSize", "type"), "string"),
  },
  {
    name: "request type narrowed (number → integer)",
    expect: "breaking",
    kinds: ["type-narrowed"],
    edit: (doc) => set(doc, member("CreateDisksRequest", "Throughput", "type"), "integer"),
    at: "type: integer",
  },
  {
    name: "request enum value removed",
    expect: "breaking",
    kinds: ["enum-value-removed"],
    edit: (doc) => {
      set(doc, member("DescribeDisksRequest", "DiskType", "enum"), ["CLOUD_BASIC", "CLOUD_PREMIUM"]);
      set(doc, member("DescribeDisksRequest", "DiskType", "x-enum-varnames"), ["Basic", "Premium"]);
    },
  },
  {
    name: "request member limited to an enum",
    expect: "breaking",
    kinds: ["enum-introduced"],
    edit: (doc) => set(doc, member("DescribeDisksRequest", "Order", "enum"), ["created", "name"]),
  },
  {
    name: "request pattern added",
    expect: "breaking",
    kinds: ["constraint-tightened"],
    edit: (doc) => set(doc, member("DescribeDisksRequest", "Name", "pattern"), "^[a-z]+-[0-9]+$"),
    at: "pattern:",
  },
  {
    name: "request pattern changed",
    expect: "breaking",
    kinds: ["constraint-changed"],
    edit: (doc) => set(doc, member("AttachDisksRequest", "InstanceId", "pattern"), "^ins-[a-z]{8}$"),
    at: "pattern: ^ins-[a-z]{8}$",
  },
  {
    name: "request minimum raised",
    expect: "breaking",
    kinds: ["constraint-tightened"],
    edit: (doc) => set(doc, member("CreateDisksRequest", "DiskSize", "minimum"), 200),
    at: "minimum: 200",
  },
  {
    name: "request maxLength lowered",
    expect: "breaking",
    kinds: ["constraint-tightened"],
    edit: (doc) => set(doc, member("CreateDisksRequest", "DiskName", "maxLength"), 16),
    at: "maxLength: 16",
  },
  {
    name: "request maxItems lowered",
    expect: "breaking",
    kinds: ["constraint-tightened"],
    edit: (doc) => set(doc, member("CreateDisksRequest", "Tags", "maxItems"), 1),
    at: "maxItems: 1",
  },
  {
    name: "request cross-member rule added (x-tc-field-patterns)",
    expect: "breaking",
    kinds: ["constraint-tightened"],
    edit: (doc) => set(doc, schema("DescribeDisksRequest", "x-tc-field-patterns"), [{ field: "/Name", pattern: "^{/Zone}/", message: "must start with the zone" }]),
    at: "- field: /Name",
  },
  {
    name: "required member added to a schema sent and read (Tag)",
    expect: "breaking",
    kinds: ["member-added-required"],
    edit: (doc) => {
      set(doc, member("Tag", "Scope"), { type: "string" });
      push(doc, schema("Tag", "required"), "Scope");
    },
    at: "Scope:",
  },
  // ---- breaking: answers
  {
    name: "answer member removed",
    expect: "breaking",
    kinds: ["member-removed"],
    edit: (doc) => remove(doc, member("Disk", "Encrypted")),
    at: "Encrypted:",
  },
  {
    name: "answer member required → optional",
    expect: "breaking",
    kinds: ["member-optional"],
    edit: (doc) => removeItems(doc, schema("Disk", "required"), (name) => name === "Zone"),
    at: "Zone:",
  },
  {
    name: "answer type widened (string → string or null)",
    expect: "breaking",
    kinds: ["type-widened"],
    edit: (doc) => set(doc, member("Disk", "DiskName", "type"), ["string", "null"]),
  },
  {
    name: "answer type widened (integer → number)",
    expect: "breaking",
    kinds: ["type-widened"],
    edit: (doc) => set(doc, member("Disk", "Throughput", "type"), "number"),
    at: "type: number",
    answer: { action: "DescribeDisks", value: disksAnswer({ Throughput: 12.5 }) },
  },
  {
    name: "answer member type changed",
    expect: "breaking",
    kinds: ["type-changed"],
    edit: (doc) => set(doc, member("Disk", "DiskSize", "type"), "string"),
  },
  {
    name: "answer integer marked x-tc-int64 (now a decimal string)",
    expect: "breaking",
    kinds: ["type-changed"],
    edit: (doc) => set(doc, member("Disk", "DiskSize", "x-tc-int64"), true),
    at: "x-tc-int64: true",
  },
  {
    name: "answer enum value removed",
    expect: "breaking",
    kinds: ["enum-value-removed"],
    edit: (doc) => {
      set(doc, member("Disk", "DiskState", "enum"), ["UNATTACHED", "ATTACHING", "ATTACHED", "DETACHING"]);
      set(doc, member("Disk", "DiskState", "x-enum-varnames"), ["Unattached", "Attaching", "Attached", "Detaching"]);
      set(doc, member("Disk", "DiskState", "x-enum-descriptions"), ["Not attached.", "Being attached.", "Attached.", "Being detached."]);
    },
  },
  {
    name: "answer enum dropped (a free string now)",
    expect: "breaking",
    kinds: ["enum-dropped", "enum-object-removed"],
    edit: (doc) => {
      remove(doc, member("Disk", "DiskType", "enum"));
      remove(doc, member("Disk", "DiskType", "x-enum-varnames"));
    },
  },
  {
    name: "named constant renamed (x-enum-varnames)",
    expect: "breaking",
    kinds: ["enum-name-changed"],
    edit: (doc) => set(doc, member("Disk", "DiskState", "x-enum-varnames"), ["Unattached", "Attaching", "InUse", "Detaching", "Expanding"]),
  },
  {
    name: "answer maximum raised",
    expect: "breaking",
    kinds: ["constraint-loosened"],
    edit: (doc) => set(doc, member("Disk", "DiskSize", "maximum"), 64000),
    at: "maximum: 64000",
    answer: { action: "DescribeDisks", value: disksAnswer({ DiskSize: 50000 }) },
  },
  {
    name: "answer pattern removed",
    expect: "breaking",
    kinds: ["constraint-loosened"],
    edit: (doc) => remove(doc, member("Disk", "CreatedTime", "pattern")),
    answer: { action: "DescribeDisks", value: disksAnswer({ CreatedTime: "yesterday" }) },
  },
  // ---- additive
  {
    name: "action added",
    expect: "additive",
    kinds: ["action-added", "schema-added"],
    edit: (doc) => {
      const attach = (doc.getIn(["paths", "/AttachDisks"], true) as { clone(): unknown }).clone();
      doc.setIn(["paths", "/DetachDisks"], attach);
      set(doc, operation("DetachDisks", "operationId"), "DetachDisks");
      set(doc, operation("DetachDisks", "x-tc-action"), "DetachDisks");
      set(doc, operation("DetachDisks", "summary"), "Detach disks");
      set(doc, operation("DetachDisks", "requestBody", "content", "application/json", "schema", "$ref"), "#/components/schemas/DetachDisksRequest");
      set(doc, schema("DetachDisksRequest"), { type: "object", additionalProperties: false, required: ["DiskIds"], properties: { DiskIds: { type: "array", items: { type: "string" } } } });
    },
    at: "/DetachDisks:",
  },
  {
    name: "optional request member added",
    expect: "additive",
    kinds: ["member-added-optional"],
    edit: (doc) => set(doc, member("DescribeDisksRequest", "Encrypted"), { type: "boolean" }),
    at: "Encrypted:",
  },
  {
    name: "request member required → optional",
    expect: "additive",
    kinds: ["member-optional"],
    edit: (doc) => removeItems(doc, schema("CreateDisksRequest", "required"), (name) => name === "DiskSize"),
  },
  {
    name: "request enum value added",
    expect: "additive",
    kinds: ["enum-value-added"],
    edit: (doc) => {
      push(doc, member("DescribeDisksRequest", "DiskType", "enum"), "CLOUD_HSSD");
      push(doc, member("DescribeDisksRequest", "DiskType", "x-enum-varnames"), "Hssd");
    },
  },
  {
    name: "request type widened (integer → number)",
    expect: "additive",
    kinds: ["type-widened"],
    edit: (doc) => set(doc, member("DescribeDisksRequest", "MinSize", "type"), "number"),
  },
  {
    name: "request maximum raised",
    expect: "additive",
    kinds: ["constraint-loosened"],
    edit: (doc) => set(doc, member("CreateDisksRequest", "DiskSize", "maximum"), 64000),
    at: "maximum: 64000",
  },
  {
    name: "request pattern removed",
    expect: "additive",
    kinds: ["constraint-loosened"],
    edit: (doc) => remove(doc, member("AttachDisksRequest", "InstanceId", "pattern")),
  },
  {
    name: "request cross-member rule removed",
    expect: "additive",
    kinds: ["constraint-loosened"],
    edit: (doc) => remove(doc, schema("CreateDisksRequest", "x-tc-field-patterns")),
  },
  {
    name: "required answer member added",
    expect: "additive",
    kinds: ["member-added-required"],
    edit: (doc) => {
      set(doc, member("Disk", "Iops"), { type: "integer" });
      push(doc, schema("Disk", "required"), "Iops");
    },
    at: "Iops:",
  },
  {
    name: "answer member optional → required",
    expect: "additive",
    kinds: ["member-required"],
    edit: (doc) => push(doc, schema("Disk", "required"), "InstanceId"),
  },
  {
    name: "answer enum value added",
    expect: "additive",
    kinds: ["enum-value-added"],
    edit: (doc) => {
      push(doc, member("Disk", "DiskState", "enum"), "DELETING");
      push(doc, member("Disk", "DiskState", "x-enum-varnames"), "Deleting");
      push(doc, member("Disk", "DiskState", "x-enum-descriptions"), "Being deleted.");
    },
  },
  {
    name: "answer minimum raised",
    expect: "additive",
    kinds: ["constraint-tightened"],
    edit: (doc) => set(doc, member("Disk", "DiskSize", "minimum"), 20),
  },
  {
    name: "answers may carry undeclared members (additionalProperties: true)",
    expect: "additive",
    kinds: ["member-added-optional"],
    edit: (doc) => set(doc, schema("Disk", "additionalProperties"), true),
  },
  {
    name: "error code added",
    expect: "additive",
    kinds: ["error-code-added"],
    edit: (doc) => push(doc, operation("CreateDisks", "x-tc-errors"), { code: "InvalidParameterValue.ZoneNotSupported", description: "The zone does not offer this disk type." }),
  },
  {
    name: "rate limit raised",
    expect: "additive",
    kinds: ["rate-limit-raised"],
    edit: (doc) => set(doc, operation("DescribeDisks", "x-tc-rate-limit"), 50),
  },
  {
    name: "action now idempotent",
    expect: "additive",
    kinds: ["idempotent-added"],
    edit: (doc) => set(doc, operation("AttachDisks", "x-tc-idempotent"), true),
  },
  {
    name: "action deprecated",
    expect: "additive",
    kinds: ["action-deprecated"],
    edit: (doc) => set(doc, operation("AttachDisks", "deprecated"), true),
  },
  {
    name: "waiter added",
    expect: "additive",
    kinds: ["waiter-added"],
    edit: (doc) => push(doc, ["x-tc-waiters"], { method: "waitForDisksDetached", action: "DescribeDisks", summary: "Wait until disks are detached", keys: "DiskIds", items: "DiskSet", key: "DiskId", status: "DiskState", success: ["UNATTACHED"] }),
  },
  // ---- neutral
  {
    name: "action description changed",
    expect: "neutral",
    kinds: ["docs-changed"],
    edit: (doc) => set(doc, operation("DescribeDisks", "description"), "Lists disks; `Offset` counts disks, from 0."),
  },
  {
    name: "member and enum descriptions changed",
    expect: "neutral",
    kinds: ["docs-changed"],
    edit: (doc) => {
      set(doc, member("Disk", "DiskSize", "description"), "Size in GiB.");
      set(doc, member("Disk", "DiskState", "x-enum-descriptions"), ["Free.", "Being attached.", "In use.", "Being detached.", "Being expanded."]);
    },
  },
  {
    name: "examples and error descriptions changed",
    expect: "neutral",
    kinds: ["docs-changed"],
    edit: (doc) => {
      set(doc, operation("DescribeDisks", "requestBody", "content", "application/json", "examples", "SsdDisks", "value", "Zone"), "ap-shanghai-2");
      set(doc, operation("CreateDisks", "x-tc-errors", 1, "description"), "No disk quota left in this region.");
    },
  },
];
