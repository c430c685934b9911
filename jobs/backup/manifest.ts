/**
 * The per-backup manifest, `manifest.json` in the backup's directory: which instance and backup, and
 * each file's name, size, CRC-64, SHA-256, source task and times. It is written atomically and last,
 * so a directory without one is an incomplete backup, whatever files it holds. Reading it back
 * validates it and names each problem by JSON pointer; `verifyAgainstManifest` re-checks the files
 * on disk, so a rerun skips what is verified and fetches only the rest.
 */
import { createHash } from "node:crypto";
import { open, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { createCrc64 } from "./crc64.js";
import { writeFileAtomic } from "./atomic.js";

export const MANIFEST_SCHEMA = 1;
export const MANIFEST_FILE = "manifest.json";

export interface ManifestFileEntry {
  /** The file's name in the backup directory (no directories). */
  readonly name: string;
  readonly size: number;
  /** CRC-64/XZ (COS's x-cos-hash-crc64ecma), unsigned decimal. */
  readonly crc64: string;
  /** Whether the server's x-cos-hash-crc64ecma was there and matched when the file was downloaded. */
  readonly crcVerified: boolean;
  /** Lower-case hex. */
  readonly sha256: string;
  /** The download task the file came from: its replica set (or shard) and, when known, its id. */
  readonly source: { readonly replicaSetId: string; readonly taskId?: string };
  /** ISO 8601. */
  readonly startedAt: string;
  readonly finishedAt: string;
}

export interface BackupManifest {
  readonly schema: typeof MANIFEST_SCHEMA;
  readonly instanceId: string;
  readonly region?: string;
  readonly backupName: string;
  /** The backup's id where the API gives one (BackupId), else absent. */
  readonly backupId?: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly files: readonly ManifestFileEntry[];
}

export interface ManifestProblem {
  /** JSON pointer into the manifest ("" for the whole document). */
  readonly pointer: string;
  readonly message: string;
}

export type ManifestRead =
  | { readonly status: "complete"; readonly manifest: BackupManifest; readonly file: string }
  /** No manifest: the backup was not finished (or never started) here. */
  | { readonly status: "incomplete"; readonly file: string }
  | { readonly status: "invalid"; readonly problems: readonly ManifestProblem[]; readonly file: string };

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Every problem of a parsed manifest; an empty list means it is a valid `BackupManifest`. */
export function validateManifest(value: unknown): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  const problem = (pointer: string, message: string) => problems.push({ pointer, message });
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  const text = (owner: Record<string, unknown>, key: string, at: string, pattern?: RegExp, what?: string, optional = false) => {
    const v = owner[key];
    if (v === undefined && optional) return;
    if (typeof v !== "string" || v === "") return problem(`${at}/${key}`, v === undefined ? "is missing" : "must be a non-empty string");
    if (pattern && !pattern.test(v)) problem(`${at}/${key}`, `must be ${what}, got ${JSON.stringify(v.slice(0, 80))}`);
  };
  if (!isObject(value)) return [{ pointer: "", message: "must be a JSON object" }];
  if (value["schema"] !== MANIFEST_SCHEMA) problem("/schema", `must be ${MANIFEST_SCHEMA}, got ${JSON.stringify(value["schema"])}`);
  text(value, "instanceId", "");
  text(value, "region", "", undefined, undefined, true);
  text(value, "backupName", "");
  text(value, "backupId", "", undefined, undefined, true);
  text(value, "startedAt", "", ISO, "an ISO 8601 time");
  text(value, "finishedAt", "", ISO, "an ISO 8601 time");
  const files = value["files"];
  if (!Array.isArray(files)) {
    problem("/files", files === undefined ? "is missing" : "must be an array");
    return problems;
  }
  const names = new Map<string, number>();
  files.forEach((entry: unknown, i) => {
    const at = `/files/${i}`;
    if (!isObject(entry)) return problem(at, "must be an object");
    text(entry, "name", at, /^[^/\\]+$/, "a plain file name (no directories)");
    if (typeof entry["name"] === "string") {
      if (entry["name"] === "." || entry["name"] === ".." || entry["name"] === MANIFEST_FILE) problem(`${at}/name`, `must not be ${JSON.stringify(entry["name"])}`);
      const first = names.get(entry["name"]);
      if (first !== undefined) problem(`${at}/name`, `repeats /files/${first}/name`);
      else names.set(entry["name"], i);
    }
    if (!(Number.isSafeInteger(entry["size"]) && (entry["size"] as number) >= 0)) problem(`${at}/size`, "must be a whole number of bytes");
    text(entry, "crc64", at, /^\d{1,20}$/, "an unsigned 64-bit decimal");
    if (typeof entry["crc64"] === "string" && /^\d{1,20}$/.test(entry["crc64"]) && BigInt(entry["crc64"]) >= 1n << 64n) problem(`${at}/crc64`, "is larger than 64 bits");
    if (typeof entry["crcVerified"] !== "boolean") problem(`${at}/crcVerified`, "must be true or false");
    text(entry, "sha256", at, /^[0-9a-f]{64}$/, "64 lower-case hex digits");
    const source = entry["source"];
    if (!isObject(source)) problem(`${at}/source`, source === undefined ? "is missing" : "must be an object");
    else {
      text(source, "replicaSetId", `${at}/source`);
      text(source, "taskId", `${at}/source`, undefined, undefined, true);
    }
    text(entry, "startedAt", at, ISO, "an ISO 8601 time");
    text(entry, "finishedAt", at, ISO, "an ISO 8601 time");
  });
  return problems;
}

/** Writes the manifest into `directory` atomically (temporary file, fsync, rename); refuses an invalid one. */
export async function writeManifest(directory: string, manifest: BackupManifest): Promise<string> {
  const problems = validateManifest(manifest);
  if (problems.length > 0) throw new Error(`refusing to write an invalid manifest: ${problems.map((p) => `${p.pointer || "/"} ${p.message}`).join("; ")}`);
  const file = path.join(directory, MANIFEST_FILE);
  await writeFileAtomic(file, `${JSON.stringify(manifest, null, 2)}\n`);
  return file;
}

/** Reads `directory`'s manifest: complete (valid), incomplete (absent) or invalid (with its problems). */
export async function readManifest(directory: string): Promise<ManifestRead> {
  const file = path.join(directory, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { status: "incomplete", file };
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { status: "invalid", file, problems: [{ pointer: "", message: `is not JSON: ${(error as Error).message}` }] };
  }
  const problems = validateManifest(value);
  return problems.length > 0 ? { status: "invalid", file, problems } : { status: "complete", file, manifest: value as BackupManifest };
}

export type FileCheck =
  | { readonly name: string; readonly status: "verified" }
  | { readonly name: string; readonly status: "missing" }
  | { readonly name: string; readonly status: "size-mismatch"; readonly actualSize: number }
  | { readonly name: string; readonly status: "hash-mismatch"; readonly hash: "sha256" | "crc64" };

export interface VerifyOptions {
  /** "full" re-reads each file for its SHA-256 and CRC-64 (default); "size" trusts a matching size. */
  readonly level?: "full" | "size";
  readonly signal?: AbortSignal;
}

/** Re-checks each listed file on disk against its entry. */
export async function verifyAgainstManifest(directory: string, files: readonly ManifestFileEntry[], options: VerifyOptions = {}): Promise<FileCheck[]> {
  const checks: FileCheck[] = [];
  for (const entry of files) checks.push(await verifyFile(directory, entry, options));
  return checks;
}

async function verifyFile(directory: string, entry: ManifestFileEntry, options: VerifyOptions): Promise<FileCheck> {
  const file = path.join(directory, entry.name);
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    return { name: entry.name, status: "missing" };
  }
  if (size !== entry.size) return { name: entry.name, status: "size-mismatch", actualSize: size };
  if (options.level === "size") return { name: entry.name, status: "verified" };
  const { sha256, crc64 } = await hashFile(file, options.signal);
  if (sha256 !== entry.sha256) return { name: entry.name, status: "hash-mismatch", hash: "sha256" };
  if (crc64 !== entry.crc64) return { name: entry.name, status: "hash-mismatch", hash: "crc64" };
  return { name: entry.name, status: "verified" };
}

/** SHA-256 (hex) and CRC-64 (decimal) of a file, read once. */
export async function hashFile(file: string, signal?: AbortSignal): Promise<{ sha256: string; crc64: string }> {
  const sha = createHash("sha256");
  const crc = await createCrc64();
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.allocUnsafe(4 * 1024 * 1024);
    for (;;) {
      signal?.throwIfAborted();
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      const piece = buffer.subarray(0, bytesRead);
      sha.update(piece);
      crc.update(piece);
    }
  } finally {
    await handle.close();
  }
  return { sha256: sha.digest("hex"), crc64: crc.digest().toString() };
}
