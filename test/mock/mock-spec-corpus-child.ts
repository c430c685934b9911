/**
 * For test/mock/mock-cli.test.ts, in a plain Node process (vitest's module runner would resolve the
 * loaded modules' file URLs itself): loads every spec given with `tcgen mock --spec`'s loader, serves
 * and closes each, and prints what it saw as JSON, with the global the corpus' payloads would set.
 */
import { loadSpecMock } from "../../scripts/cli/mock-spec.js";
import { startMock } from "../../mock/server.js";

const served: { spec: string; actions: number }[] = [];
for (const spec of process.argv.slice(2)) {
  const { definition } = await loadSpecMock(spec, undefined);
  await (await startMock(definition)).close();
  served.push({ spec, actions: Object.keys(definition.actions).length });
}
console.log(JSON.stringify({ served, injected: (globalThis as { __tcgenInjected?: unknown }).__tcgenInjected ?? null }));
