/**
 * The module specifiers generated code imports, derived from the runtime's public specifier (the
 * `--runtime-import` option, or the default of scripts/generate.ts): used by the emitter, which
 * writes them, and by the name check, which reads them back. A leaf module.
 */

/**
 * The runtime's internal entry (what generated code imports) beside its public one:
 * `tcgen/runtime` → `tcgen/runtime/internal`, `../../runtime/index.js` → `../../runtime/internal.js`.
 */
export function internalImportOf(runtimeImport: string): string {
  return runtimeImport.endsWith("/index.js") ? `${runtimeImport.slice(0, -"/index.js".length)}/internal.js` : `${runtimeImport}/internal`;
}

/**
 * The emulator's entry beside the runtime, for the type of the generated `mock.ts`:
 * `tcgen/runtime` → `tcgen/mock`, `../../runtime/index.js` → `../../mock/index.js`; `tcgen/mock` otherwise.
 */
export function mockImportOf(runtimeImport: string): string {
  if (runtimeImport.endsWith("runtime/index.js")) return `${runtimeImport.slice(0, -"runtime/index.js".length)}mock/index.js`;
  if (runtimeImport.endsWith("/runtime")) return `${runtimeImport.slice(0, -"runtime".length)}mock`;
  return "tcgen/mock";
}
