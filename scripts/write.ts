/**
 * Stage 5, write: the other I/O edge. Either compares the emitted files with what is on disk
 * (`--check`), or replaces each service's output directory atomically: everything is written to a
 * temporary sibling directory first, then swapped in with renames, so a failed or interrupted run
 * leaves the previous output as it was.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";

/** The output could not be written (permissions, a full disk, a file where a directory should be); the previous output is kept. */
export class OutputError extends Error {
  override readonly name = "OutputError";
}

/** `files` maps `<service>/<file>` → contents. */
export type GeneratedFiles = ReadonlyMap<string, string>;

/** Files under `outDir` that differ from `files`, are missing, or should not be there; empty when up to date. */
export async function findStaleFiles(outDir: string, files: GeneratedFiles): Promise<{ file: string; reason: string }[]> {
  const stale: { file: string; reason: string }[] = [];
  for (const [name, contents] of files) {
    const onDisk = await readFile(path.join(outDir, name), "utf8").catch(() => undefined);
    if (onDisk === undefined) stale.push({ file: name, reason: "missing" });
    else if (onDisk !== contents) stale.push({ file: name, reason: "differs from the spec" });
  }
  for (const service of serviceDirs(files)) {
    const present = await readdir(path.join(outDir, service)).catch(() => [] as string[]);
    for (const file of present.sort()) {
      if (!files.has(`${service}/${file}`)) stale.push({ file: `${service}/${file}`, reason: "not generated from any spec" });
    }
  }
  return stale;
}

/** Writes every service directory of `files` under `outDir`, each replaced as a whole; file-system failures become an OutputError. */
export async function writeAtomically(outDir: string, files: GeneratedFiles): Promise<void> {
  try {
    await replaceServiceDirs(outDir, files);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code !== "string" || !code.startsWith("E")) throw error;
    throw new OutputError(`cannot write ${outDir}: ${(error as Error).message}; the previous output is unchanged`, { cause: error });
  }
}

async function replaceServiceDirs(outDir: string, files: GeneratedFiles): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const suffix = `${process.pid}-${randomBytes(4).toString("hex")}`;
  const staged: { service: string; temp: string }[] = [];
  try {
    // Stage everything before touching any existing output.
    for (const service of serviceDirs(files)) {
      const temp = path.join(outDir, `.tcgen-new-${service}-${suffix}`);
      await mkdir(temp);
      staged.push({ service, temp });
      for (const [name, contents] of files) {
        if (name.startsWith(`${service}/`)) await writeFile(path.join(temp, name.slice(service.length + 1)), contents);
      }
    }
    for (const { service, temp } of staged) {
      const target = path.join(outDir, service);
      const old = path.join(outDir, `.tcgen-old-${service}-${suffix}`);
      const hadOld = await rename(target, old).then(
        () => true,
        (error: NodeJS.ErrnoException) => {
          if (error.code === "ENOENT") return false;
          throw error;
        },
      );
      try {
        await rename(temp, target);
      } catch (error) {
        if (hadOld) await rename(old, target); // put the previous output back before failing
        throw error;
      }
      if (hadOld) await rm(old, { recursive: true, force: true });
    }
  } finally {
    for (const { temp } of staged) await rm(temp, { recursive: true, force: true });
  }
}

function serviceDirs(files: GeneratedFiles): string[] {
  return [...new Set([...files.keys()].map((name) => name.split("/")[0]!))].sort();
}
