/**
 * x-tc-pagination and x-tc-waiters through the generator, on a service that is not mongodb (the cbs
 * fixture: string statuses, keys also sent as an ID filter, a waiter on an action that is not paged):
 * the emitted methods, their types under a strict compiler, the methods run against the generic
 * emulator, and every broken extension reported as file:line:col.
 */
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate } from "../../scripts/generate.js";
import { startMock, type MockCall, type RunningMock } from "../../mock/server.js";
import type { MockServiceDefinition } from "../../mock/definition.js";
import { positionIn, repoRoot, scratchDir, specProblems } from "../support/helpers.js";
import { sourcePathsOption } from "../support/source-paths.js";

const fixturePath = path.join(repoRoot, "test/fixtures/specs/cbs/2017-03-12.yaml");
const fixture = readFile(fixturePath, "utf8");
const created: string[] = [];
afterAll(async () => {
  for (const dir of created) await rm(dir, { recursive: true, force: true });
});
async function scratch(prefix: string): Promise<string> {
  const dir = await scratchDir(prefix);
  created.push(dir);
  return dir;
}

describe("the cbs fixture: two paged or polled actions", () => {
  let out: string;
  let client: string;
  let actions: string;
  beforeAll(async () => {
    out = await scratch("cbs");
    await generate({ spec: fixturePath, out, cwd: repoRoot });
    client = await readFile(path.join(out, "cbs", "client.ts"), "utf8");
    actions = await readFile(path.join(out, "cbs", "actions.ts"), "utf8");
  });

  it("emits a paginator per x-tc-pagination and a waiter per x-tc-waiters entry", () => {
    // The paginator sets Offset, and Limit unless given.
    expect(client).toContain('paginateDescribeDisks(\n    input: Omit<DescribeDisksRequest, "Offset" | "Limit"> & Partial<Pick<DescribeDisksRequest, "Limit">>,');
    expect(client).toContain("AsyncGenerator<Disk, void, undefined>");
    expect(client).toContain("export interface WaitForDisksAttachedInput {");
    // The keys are also the request's ID filter; the snapshot waiter polls one unpaged call.
    expect(actions).toMatch(/poll: DescribeDisksPages,\s*request: \[\],\s*keys: "DiskIds",\s*keysInRequest: true,/);
    expect(actions).toMatch(/poll: DescribeSnapshots,\s*request: \["DiskId"\],\s*keys: "SnapshotIds",\s*keysInRequest: true,\s*items: "SnapshotSet",/);
    expect(client).not.toMatch(/paginateDescribeSnapshots/);
  });

  it("type-checks strictly with a program that uses them", async () => {
    const usage = path.join(out, "usage.ts");
    await writeFile(
      usage,
      [
        'import { createCbsClient, WaiterFailedError, WaiterTimeoutError, PaginationError, type Disk, type WaitForDisksAttachedInput } from "./cbs/index.js";',
        "const cbs = createCbsClient({ credentials: { secretId: 'id', secretKey: 'key' } });",
        "export async function run(): Promise<number> {",
        "  let count = 0;",
        "  for await (const disk of cbs.paginateDescribeDisks({ Limit: 50 })) count += disk.DiskId.length;",
        "  // @ts-expect-error the paginator sets Offset itself",
        "  cbs.paginateDescribeDisks({ Offset: 3 });",
        "  const input: WaitForDisksAttachedInput = { DiskIds: ['disk-1'] };",
        "  const disks: Disk[] = await cbs.waitForDisksAttached(input, { timeoutMs: 1000, onProgress: (p) => void p.items[0]?.item?.DiskState });",
        "  const state: 'UNATTACHED' | 'ATTACHING' | 'ATTACHED' | 'TORECYCLE' = disks[0]!.DiskState;",
        "  // @ts-expect-error DiskId is required by DescribeSnapshots, so by the waiter",
        "  await cbs.waitForSnapshotsReady({ SnapshotIds: ['snap-1'] });",
        "  const snapshots = await cbs.waitForSnapshotsReady({ DiskId: 'disk-1', SnapshotIds: ['snap-1'] }, { signal: AbortSignal.timeout(10) });",
        "  try { await cbs.waitForDisksAttached(input); } catch (e) {",
        "    if (e instanceof WaiterFailedError) return e.failedKeys.length;",
        "    if (e instanceof WaiterTimeoutError) return Object.keys(e.lastStatuses).length;",
        "    if (e instanceof PaginationError) return e.offset;",
        "  }",
        "  return count + state.length + snapshots.length;",
        "}",
      ].join("\n"),
    );
    const program = ts.createProgram([usage], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      lib: ["lib.es2022.d.ts", "lib.dom.d.ts", "lib.dom.asynciterable.d.ts"],
      types: ["node"],
      typeRoots: [path.join(repoRoot, "node_modules/@types")],
      paths: sourcePathsOption(),
      noUncheckedIndexedAccess: true,
      verbatimModuleSyntax: true,
      skipLibCheck: true,
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName ?? ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
    expect(diagnostics).toEqual([]);
  });

  describe("against the generic emulator", () => {
    let mock: RunningMock;
    let cbs: Record<string, (input: unknown, options?: unknown) => unknown>;
    const disks = Array.from({ length: 230 }, (_, i) => ({ DiskId: `disk-${i}`, DiskState: "ATTACHING" }));
    let polls = 0;
    beforeAll(async () => {
      const generated = (await import(pathToFileURL(path.join(out, "cbs", "index.ts")).href)) as Record<string, unknown>;
      const definition = ((await import(pathToFileURL(path.join(out, "cbs", "mock.ts")).href)) as { cbsMock: MockServiceDefinition }).cbsMock;
      mock = await startMock(definition, {
        handlers: {
          DescribeDisks: (call: MockCall) => {
            const { DiskIds, Offset = 0, Limit = 20 } = call.params as { DiskIds?: string[]; Offset?: number; Limit?: number };
            polls += 1;
            // Every poll attaches ten more disks.
            for (const disk of disks.slice(0, polls * 10)) disk.DiskState = "ATTACHED";
            const matching = disks.filter((d) => DiskIds === undefined || DiskIds.includes(d.DiskId));
            return { response: { TotalCount: matching.length, DiskSet: matching.slice(Offset, Offset + Limit) } };
          },
        },
      });
      cbs = (generated["createCbsClient"] as (o: unknown) => typeof cbs)({ endpoint: mock.url, credentials: mock.credentials });
    });
    afterAll(() => mock.close());

    it("pages by items until TotalCount", async () => {
      const seen: string[] = [];
      for await (const disk of cbs["paginateDescribeDisks"]!({ Limit: 100 }) as AsyncIterable<{ DiskId: string }>) seen.push(disk.DiskId);
      expect(seen).toEqual(disks.map((d) => d.DiskId));
      expect(mock.requests.map((r) => JSON.parse(r.body).Offset)).toEqual([0, 100, 200]);
    });

    it("waits, sending the keys as the ID filter", async () => {
      mock.requests.length = 0;
      polls = 0;
      for (const disk of disks) disk.DiskState = "ATTACHING";
      const done = (await cbs["waitForDisksAttached"]!({ DiskIds: ["disk-25", "disk-3"] }, { sleep: async () => {} })) as { DiskId: string }[];
      expect(done.map((d) => d.DiskId)).toEqual(["disk-25", "disk-3"]);
      expect(polls).toBe(3);
      expect(JSON.parse(mock.requests[0]!.body)).toEqual({ DiskIds: ["disk-25", "disk-3"], Limit: 100, Offset: 0 });
    });
  });
});

describe("broken paging extensions: each problem at its file:line:col", () => {
  const file = "spec/cbs/2017-03-12.yaml";

  async function problemsOf(edit: (text: string) => string): Promise<{ text: string; lines: string[] }> {
    const dir = await scratch("paging-spec");
    const text = edit(await fixture);
    expect(text).not.toBe(await fixture);
    return { text, lines: await specProblems(file, text, dir) };
  }
  /** `file:line:col` of `needle` in `text`, moved to where `value` starts inside it. */
  const at = (text: string, needle: string, value = needle) => {
    const { line, col } = positionIn(text, needle);
    return `${file}:${line}:${col + needle.indexOf(value)}`;
  };

  it("x-tc-pagination naming members that are not there, or of the wrong kind", async () => {
    const { text, lines } = await problemsOf((t) =>
      t
        .replace("        items: DiskSet\n        total: TotalCount\n", "        items: Disks\n        total: RequestId\n        offsetUnit: rows\n        pageSize: 10\n")
        .replace("          minimum: 1\n          maximum: 100\n", "          minimum: 1\n"),
    );
    expect(lines).toEqual([
      `${at(text, "pageSize: 10", "10")}: unknown member "pageSize"; expected limit, offset, offsetUnit, items, total`,
      `${at(text, "offsetUnit: rows", "rows")}: "offsetUnit" must be "items" (the offset counts items) or "pages" (it counts pages), got "rows"`,
      `${at(text, "        limit: Limit", "Limit")}: "Limit" needs whole "minimum" (at least 1, default 1) and "maximum" bounds in the request schema: the page size a paginator asks for`,
      `${at(text, "items: Disks", "Disks")}: "Disks" must be a list member of the answer`,
      `${at(text, "total: RequestId", "RequestId")}: "RequestId" must be an integer member of the answer`,
      // The waiter on DescribeDisks watches the list the paginator no longer names.
      `${at(text, "    items: DiskSet\n    key", "DiskSet")}: DescribeDisks is paged over "Disks": a waiter polling it must watch that list`,
    ]);
  });

  it("a waiter on an unknown action, and one with a bad name", async () => {
    const { text, lines } = await problemsOf((t) => t.replace("    action: DescribeSnapshots\n", "    action: DescribeSnapshot\n").replace("method: waitForDisksAttached", "method: disksAttached"));
    expect(lines).toEqual([
      `${at(text, "method: disksAttached", "disksAttached")}: "method" must be the method's name, "waitFor<What>" (e.g. waitForInstancesRunning), got "disksAttached"`,
      `${at(text, "action: DescribeSnapshot\n", "DescribeSnapshot")}: "action" must name an action of the spec (the one polled), got "DescribeSnapshot"`,
    ]);
  });

  it("a waiter whose request misses a required member, and whose statuses are wrong", async () => {
    const { text, lines } = await problemsOf((t) =>
      t
        .replace("    request: [DiskId]\n", "    request: [Disk]\n")
        .replace("    success: [ATTACHED]\n    failure: [TORECYCLE]\n", "    success: [ATTACHED, DONE]\n    failure: [ATTACHED, 3]\n"),
    );
    expect(lines).toEqual([
      `${at(text, "success: [ATTACHED, DONE]", "DONE")}: "DONE" is not one of the values of "DiskState" ("UNATTACHED", "ATTACHING", "ATTACHED", "TORECYCLE")`,
      `${at(text, "failure: [ATTACHED, 3]", "ATTACHED")}: "ATTACHED" is already listed under "success"`,
      `${at(text, "failure: [ATTACHED, 3]", "3")}: 3 is not a string, as "DiskState" is`,
      `${at(text, "request: [Disk]", "Disk]")}: "Disk" is not a member of the request of DescribeSnapshots`,
      `${at(text, "request: [Disk]", "[Disk]")}: the request of DescribeSnapshots requires "DiskId": list it in "request"`,
    ]);
  });

  it("a waiter watching another list than the one paged, by a key that is not a string", async () => {
    const { text, lines } = await problemsOf((t) => t.replace("    items: DiskSet\n    key: DiskId\n", "    items: DiskSet\n    key: DiskState2\n"));
    expect(lines).toEqual([`${at(text, "key: DiskState2", "DiskState2")}: "key" must name a string member of each "DiskSet" item, got "DiskState2"`]);
  });
});
