/**
 * All files of one backup (one per replica set or shard) into one directory, finished by its manifest.
 *
 * Each finished file is recorded at once in a journal, `.manifest.partial.json` (atomic), and the
 * manifest is written only when every file is verified. A rerun takes the entries of the manifest, or
 * of the journal when the manifest is missing, re-checks those files on disk and skips the verified
 * ones; the rest are downloaded (resuming their `.part` files). A complete backup rerun fetches 0 bytes.
 */
import { mkdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { writeFileAtomic } from "./atomic.js";
import { downloadFile, type DownloadEvent, type DownloadOptions } from "./download.js";
import {
  MANIFEST_FILE,
  MANIFEST_SCHEMA,
  readManifest,
  validateManifest,
  verifyAgainstManifest,
  writeManifest,
  type BackupManifest,
  type FileCheck,
  type ManifestFileEntry,
  type ManifestProblem,
} from "./manifest.js";

export const JOURNAL_FILE = ".manifest.partial.json";

export interface BackupSetFile {
  /** The file's name in the directory, e.g. `cmgo-p8vnipr5_0.tar`. */
  readonly name: string;
  readonly replicaSetId: string;
  readonly taskId?: string;
  readonly url: string;
  readonly expectedSize: number;
  readonly getFreshUrl?: () => Promise<string>;
}

export interface BackupSetOptions {
  readonly directory: string;
  readonly instanceId: string;
  readonly region?: string;
  readonly backupName: string;
  readonly backupId?: string;
  readonly files: readonly BackupSetFile[];
  /** Files downloaded at once. Default 1. */
  readonly concurrency?: number;
  /** How the files already there are re-checked (see verifyAgainstManifest). Default "full". */
  readonly verify?: "full" | "size";
  /** Passed to every downloadFile (stall timeout, retries, fetch, …). */
  readonly download?: Omit<DownloadOptions, "url" | "getFreshUrl" | "target" | "expectedSize" | "signal" | "onProgress">;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: BackupSetEvent) => void;
  readonly now?: () => number;
}

export type BackupSetEvent =
  | { readonly type: "manifest-invalid"; readonly problems: readonly ManifestProblem[] }
  | { readonly type: "checked"; readonly check: FileCheck }
  | { readonly type: "file"; readonly name: string; readonly event: DownloadEvent }
  | { readonly type: "file-failed"; readonly name: string; readonly error: Error };

export interface BackupSetFileOutcome {
  readonly name: string;
  readonly outcome: "verified" | "downloaded" | "failed";
  readonly bytesFetched: number;
  readonly error?: Error;
}

export interface BackupSetResult {
  /** "complete": every file verified and the manifest written; "incomplete": some file failed, no manifest. */
  readonly status: "complete" | "incomplete";
  readonly manifest?: BackupManifest;
  readonly files: readonly BackupSetFileOutcome[];
  readonly bytesFetched: number;
}

export async function downloadBackupSet(options: BackupSetOptions): Promise<BackupSetResult> {
  const { directory } = options;
  const now = options.now ?? Date.now;
  const iso = () => new Date(now()).toISOString();
  const emit = options.onEvent ?? (() => {});
  const names = new Set<string>();
  for (const file of options.files) {
    if (!/^[^/\\]+$/.test(file.name) || file.name === MANIFEST_FILE || file.name === JOURNAL_FILE) throw new Error(`not a usable file name: ${JSON.stringify(file.name)}`);
    if (names.has(file.name)) throw new Error(`two files are named ${file.name}`);
    names.add(file.name);
  }
  await mkdir(directory, { recursive: true });
  const startedAt = iso();

  // What an earlier run finished: the manifest, else the journal.
  const known = new Map<string, ManifestFileEntry>();
  const previous = await readManifest(directory);
  let previousStartedAt: string | undefined;
  if (previous.status === "complete" && previous.manifest.instanceId === options.instanceId && previous.manifest.backupName === options.backupName) {
    for (const entry of previous.manifest.files) known.set(entry.name, entry);
    previousStartedAt = previous.manifest.startedAt;
  } else {
    if (previous.status === "invalid") emit({ type: "manifest-invalid", problems: previous.problems });
    for (const entry of await readJournal(directory)) known.set(entry.name, entry);
  }
  const wanted = options.files.map((f) => known.get(f.name)).filter((e, i): e is ManifestFileEntry => e !== undefined && e.size === options.files[i]!.expectedSize);
  const checks = await verifyAgainstManifest(directory, wanted, { level: options.verify ?? "full", ...(options.signal ? { signal: options.signal } : {}) });
  const done = new Map<string, ManifestFileEntry>();
  for (const check of checks) {
    emit({ type: "checked", check });
    if (check.status === "verified") done.set(check.name, known.get(check.name)!);
  }
  const outcomes = new Map<string, BackupSetFileOutcome>();
  for (const name of done.keys()) outcomes.set(name, { name, outcome: "verified", bytesFetched: 0 });
  const todo = options.files.filter((f) => !done.has(f.name));
  if (todo.length > 0) {
    // The set is being changed: it is incomplete until the new manifest is written.
    await rm(path.join(directory, MANIFEST_FILE), { force: true });
    await writeJournal(directory, [...done.values()]);
  }

  let journal = Promise.resolve();
  const record = (entry: ManifestFileEntry) => {
    done.set(entry.name, entry);
    // Journal writes one after the other, each with every entry so far.
    journal = journal.then(() => writeJournal(directory, [...done.values()]));
    return journal;
  };

  const queue = [...todo];
  const worker = async () => {
    for (let file = queue.shift(); file; file = queue.shift()) {
      const fileStarted = iso();
      try {
        const result = await downloadFile({
          ...options.download,
          url: file.url,
          ...(file.getFreshUrl ? { getFreshUrl: file.getFreshUrl } : {}),
          target: path.join(directory, file.name),
          expectedSize: file.expectedSize,
          ...(options.signal ? { signal: options.signal } : {}),
          onProgress: (event) => emit({ type: "file", name: file.name, event }),
        });
        await record({
          name: file.name,
          size: result.size,
          crc64: result.crc64,
          crcVerified: result.crcVerified,
          sha256: result.sha256,
          source: { replicaSetId: file.replicaSetId, ...(file.taskId ? { taskId: file.taskId } : {}) },
          startedAt: fileStarted,
          finishedAt: iso(),
        });
        outcomes.set(file.name, { name: file.name, outcome: "downloaded", bytesFetched: result.bytesFetched });
      } catch (error) {
        if (options.signal?.aborted) throw error;
        const failure = error instanceof Error ? error : new Error(String(error));
        emit({ type: "file-failed", name: file.name, error: failure });
        outcomes.set(file.name, { name: file.name, outcome: "failed", bytesFetched: 0, error: failure });
      }
    }
  };
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 1, todo.length || 1));
  await Promise.all(Array.from({ length: concurrency }, worker));
  await journal;

  const files = options.files.map((f) => outcomes.get(f.name)!);
  const bytesFetched = files.reduce((sum, f) => sum + f.bytesFetched, 0);
  if (files.some((f) => f.outcome === "failed")) return { status: "incomplete", files, bytesFetched };
  const manifest: BackupManifest = {
    schema: MANIFEST_SCHEMA,
    instanceId: options.instanceId,
    ...(options.region ? { region: options.region } : {}),
    backupName: options.backupName,
    ...(options.backupId ? { backupId: options.backupId } : {}),
    startedAt: todo.length === 0 && previousStartedAt ? previousStartedAt : startedAt,
    finishedAt: todo.length === 0 && previous.status === "complete" ? previous.manifest.finishedAt : iso(),
    files: options.files.map((f) => done.get(f.name)!),
  };
  if (todo.length > 0 || previous.status !== "complete") await writeManifest(directory, manifest);
  await rm(path.join(directory, JOURNAL_FILE), { force: true });
  return { status: "complete", manifest, files, bytesFetched };
}

async function readJournal(directory: string): Promise<ManifestFileEntry[]> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path.join(directory, JOURNAL_FILE), "utf8"));
  } catch {
    return []; // none, or torn: those files are checked by downloading again (resuming .part files)
  }
  // The journal is a manifest in the making: its entries are checked by the same rules.
  const entries = (value as { files?: unknown }).files;
  if (!Array.isArray(entries)) return [];
  const probe = { schema: MANIFEST_SCHEMA, instanceId: "-", backupName: "-", startedAt: "2000-01-01T00:00:00Z", finishedAt: "2000-01-01T00:00:00Z", files: entries };
  return validateManifest(probe).length === 0 ? (entries as ManifestFileEntry[]) : [];
}

function writeJournal(directory: string, files: readonly ManifestFileEntry[]): Promise<void> {
  return writeFileAtomic(path.join(directory, JOURNAL_FILE), `${JSON.stringify({ files }, null, 2)}\n`);
}
