/**
 * Optional copies off the job's disk: each verified file of a backup streamed to an S3-compatible
 * bucket (COS speaks S3) with multipart upload, the manifest uploaded last (so a copy without one is
 * incomplete, as on disk), and retention of the copies (`keepDaily`, `keepWeekly`).
 *
 * The S3 client is AWS's own (`@aws-sdk/client-s3` with `@aws-sdk/lib-storage`'s `Upload` for the
 * multipart part: parts in parallel, retries, abort of the multipart upload on failure). It is an
 * optional peer dependency, loaded on first use with a clear error when it is not installed.
 *
 * Layout in the bucket: `<prefix><instanceId>/<backup folder>/<file>`, the folder named by
 * `backupFolder()` after the backup's start time, so the copies can be listed and dated without
 * reading each manifest.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import type { S3Client, S3ClientConfig } from "@aws-sdk/client-s3";
import { MANIFEST_FILE, type BackupManifest } from "./manifest.js";
import { planRetention, type RetentionPlan, type RetentionPolicy } from "./retention.js";

const PACKAGES = "@aws-sdk/client-s3@3.1169.0 @aws-sdk/lib-storage@3.1169.0";

type S3Module = typeof import("@aws-sdk/client-s3");
type StorageModule = typeof import("@aws-sdk/lib-storage");

/** The AWS SDK modules, or an error saying what to install. */
export async function loadS3(): Promise<{ s3: S3Module; storage: StorageModule }> {
  try {
    const [s3, storage] = await Promise.all([import("@aws-sdk/client-s3"), import("@aws-sdk/lib-storage")]);
    return { s3, storage };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") {
      throw new Error(`copying backups to S3 needs the optional packages ${PACKAGES.replace(" ", " and ")}; install them with: npm install --save-exact ${PACKAGES}`, { cause: error });
    }
    throw error;
  }
}

export interface S3Target {
  /** e.g. `https://cos.ap-guangzhou.myqcloud.com`, or a local stand-in. Default: AWS's for the region. */
  readonly endpoint?: string;
  readonly region: string;
  readonly bucket: string;
  /** Key prefix, ending in "/" (or empty). */
  readonly prefix?: string;
  /** Bucket in the path rather than the host name (needed by most stand-ins). */
  readonly forcePathStyle?: boolean;
  readonly credentials?: S3ClientConfig["credentials"];
}

export async function createS3Client(target: S3Target): Promise<S3Client> {
  const { s3 } = await loadS3();
  return new s3.S3Client({
    region: target.region,
    ...(target.endpoint ? { endpoint: target.endpoint } : {}),
    ...(target.forcePathStyle ? { forcePathStyle: true } : {}),
    ...(target.credentials ? { credentials: target.credentials } : {}),
  });
}

/** `2021-03-25T03-00-00Z_cmgo-p8vnipr5_2021-03-25_03-00`: sortable, dated, safe in a key. */
export function backupFolder(startedAt: Date, backupName: string): string {
  const stamp = startedAt.toISOString().slice(0, 19).replace(/:/g, "-");
  return `${stamp}Z_${backupName.replace(/:/g, "-").replace(/[^A-Za-z0-9._-]+/g, "_")}`;
}

/** The date a `backupFolder()` name starts with, or undefined for a folder not made by it. */
export function folderDate(folder: string): Date | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})Z_/.exec(folder);
  if (!match) return undefined;
  const date = new Date(`${match[1]}T${match[2]}:${match[3]}:${match[4]}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export interface UploadProgress {
  readonly file: string;
  readonly loaded: number;
  readonly total: number;
  readonly part?: number;
}

export interface UploadBackupOptions {
  readonly client: S3Client;
  readonly target: S3Target;
  /** The backup's directory on disk, holding the files of the manifest. */
  readonly directory: string;
  /** The verified backup (the manifest read back from the directory). */
  readonly manifest: BackupManifest;
  /** Default 8 MiB (S3's minimum is 5 MiB). */
  readonly partSize?: number;
  /** Parts in flight per file. Default 4. */
  readonly queueSize?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: UploadProgress) => void;
}

export interface UploadedBackup {
  /** `<prefix><instanceId>/<folder>/` */
  readonly keyPrefix: string;
  readonly files: readonly { readonly key: string; readonly size: number; readonly parts: number }[];
}

/** Uploads the manifest's files, each checked against its size first, then the manifest itself. */
export async function uploadBackup(options: UploadBackupOptions): Promise<UploadedBackup> {
  const { storage, s3 } = await loadS3();
  const { client, target, manifest } = options;
  const keyPrefix = `${target.prefix ?? ""}${manifest.instanceId}/${backupFolder(new Date(manifest.startedAt), manifest.backupName)}/`;
  const files: { key: string; size: number; parts: number }[] = [];
  for (const entry of manifest.files) {
    options.signal?.throwIfAborted();
    const file = path.join(options.directory, entry.name);
    const size = (await stat(file)).size;
    if (size !== entry.size) throw new Error(`${file} has ${size} bytes, but the manifest says ${entry.size}: verify the backup before copying it`);
    const key = keyPrefix + entry.name;
    const parts = new Set<number>();
    const upload = new storage.Upload({
      client,
      params: {
        Bucket: target.bucket,
        Key: key,
        Body: createReadStream(file),
        ContentLength: size,
        ContentType: "application/x-tar",
        Metadata: { sha256: entry.sha256, crc64: entry.crc64 },
      },
      partSize: options.partSize ?? 8 * 1024 * 1024,
      queueSize: options.queueSize ?? 4,
      leavePartsOnError: false,
    });
    upload.on("httpUploadProgress", (p) => {
      if (p.part !== undefined) parts.add(p.part);
      options.onProgress?.({ file: entry.name, loaded: p.loaded ?? 0, total: size, ...(p.part !== undefined ? { part: p.part } : {}) });
    });
    const onAbort = () => void upload.abort();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      await upload.done();
    } finally {
      options.signal?.removeEventListener("abort", onAbort);
    }
    files.push({ key, size, parts: parts.size });
  }
  // Last, as on disk: a copy whose manifest is missing is incomplete.
  await client.send(
    new s3.PutObjectCommand({ Bucket: target.bucket, Key: keyPrefix + MANIFEST_FILE, Body: `${JSON.stringify(manifest, null, 2)}\n`, ContentType: "application/json" }),
  );
  return { keyPrefix, files };
}

export interface StoredCopy {
  /** `<prefix><instanceId>/<folder>/` */
  readonly id: string;
  readonly date: Date;
  /** Whether its manifest is there. */
  readonly complete: boolean;
}

/** The copies of an instance's backups in the bucket, with their dates and completeness. */
export async function listCopies(client: S3Client, target: S3Target, instanceId: string): Promise<StoredCopy[]> {
  const { s3 } = await loadS3();
  const base = `${target.prefix ?? ""}${instanceId}/`;
  const folders = new Map<string, boolean>();
  let token: string | undefined;
  do {
    const page = await client.send(new s3.ListObjectsV2Command({ Bucket: target.bucket, Prefix: base, ...(token ? { ContinuationToken: token } : {}) }));
    for (const object of page.Contents ?? []) {
      const rest = object.Key!.slice(base.length);
      const slash = rest.indexOf("/");
      if (slash < 0) continue;
      const folder = rest.slice(0, slash);
      folders.set(folder, (folders.get(folder) ?? false) || rest.slice(slash + 1) === MANIFEST_FILE);
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  const copies: StoredCopy[] = [];
  for (const [folder, complete] of folders) {
    const date = folderDate(folder);
    if (date) copies.push({ id: `${base}${folder}/`, date, complete });
  }
  return copies;
}

export interface RetentionResult {
  readonly plan: RetentionPlan<StoredCopy>;
  /** Object keys deleted (none with `dryRun`). */
  readonly deleted: readonly string[];
}

/**
 * Applies the policy to an instance's complete copies: the ones it does not keep are deleted, every
 * object under them. Incomplete copies (no manifest) are neither counted nor deleted: an upload may
 * be running, and the next run finishes or replaces it.
 */
export async function applyRetention(client: S3Client, target: S3Target, instanceId: string, policy: RetentionPolicy, options: { dryRun?: boolean } = {}): Promise<RetentionResult> {
  const { s3 } = await loadS3();
  const copies = (await listCopies(client, target, instanceId)).filter((c) => c.complete);
  const plan = planRetention(copies, policy);
  const deleted: string[] = [];
  if (options.dryRun) return { plan, deleted };
  for (const copy of plan.remove) {
    let token: string | undefined;
    const keys: string[] = [];
    do {
      const page = await client.send(new s3.ListObjectsV2Command({ Bucket: target.bucket, Prefix: copy.id, ...(token ? { ContinuationToken: token } : {}) }));
      for (const object of page.Contents ?? []) keys.push(object.Key!);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    // The manifest first: a half-deleted copy then reads as incomplete, never as a complete backup.
    keys.sort((a, b) => Number(b.endsWith(`/${MANIFEST_FILE}`)) - Number(a.endsWith(`/${MANIFEST_FILE}`)));
    for (const key of keys) {
      await client.send(new s3.DeleteObjectCommand({ Bucket: target.bucket, Key: key }));
      deleted.push(key);
    }
  }
  return { plan, deleted };
}
