/**
 * The bytes of the emulator's COS objects: generated from a seed, block by block, so an object of any
 * size costs no memory and the same (seed, version) gives the same bytes every time. A block is a
 * 1 MiB pseudo-random base (from the seed) with every 32-bit word XORed with a value of the block's
 * index, so a shifted, truncated or mixed-up download never compares equal. The CRC-64 of a whole
 * object is computed once and cached, so serving is not CPU-bound.
 */
import { createHash } from "node:crypto";
import { createCRC64 } from "hash-wasm";

export const BLOCK = 1024 * 1024;

/** What an object's bytes are made of. */
export interface ObjectContent {
  readonly size: number;
  readonly seed: number;
  /** Bumping it changes the bytes (and the ETag): the object was replaced. */
  readonly version: number;
}

const bases = new Map<string, Uint32Array>();

function base(seed: number, version: number): Uint32Array {
  const key = `${seed}/${version}`;
  let words = bases.get(key);
  if (!words) {
    words = new Uint32Array(BLOCK / 4);
    // xorshift32, seeded from both numbers (never 0).
    let x = (Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) ^ Math.imul(version + 1, 0x85ebca6b)) >>> 0 || 1;
    for (let i = 0; i < words.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      words[i] = x >>> 0;
    }
    if (bases.size > 16) bases.clear();
    bases.set(key, words);
  }
  return words;
}

/** Block `index` (the bytes from index × BLOCK) of the content, whole; the caller slices it. */
export function block(content: ObjectContent, index: number): Buffer {
  const from = base(content.seed, content.version);
  const words = new Uint32Array(from.length);
  const mix = (Math.imul(index + 1, 0x27d4eb2f) ^ content.seed) >>> 0;
  for (let i = 0; i < words.length; i++) words[i] = from[i]! ^ mix;
  return Buffer.from(words.buffer, words.byteOffset, words.byteLength);
}

/** Bytes [start, end) of the content, in pieces of at most one block. */
export function* bytes(content: ObjectContent, start: number, end: number): Generator<Buffer> {
  let at = start;
  while (at < end) {
    const index = Math.floor(at / BLOCK);
    const blockStart = index * BLOCK;
    const upTo = Math.min(end, blockStart + BLOCK);
    yield block(content, index).subarray(at - blockStart, upTo - blockStart);
    at = upTo;
  }
}

/** Bytes [start, end) as one buffer (tests; keep it small). */
export function bytesOf(content: ObjectContent, start = 0, end = content.size): Buffer {
  return Buffer.concat([...bytes(content, start, end)]);
}

/** A strong ETag of the content, in COS's form (a quoted 32-digit hex). */
export function etagOf(content: ObjectContent): string {
  return `"${createHash("md5").update(`${content.seed}/${content.version}/${content.size}`).digest("hex")}"`;
}

const crcs = new Map<string, Promise<bigint>>();

/** The CRC-64 (COS's `x-cos-hash-crc64ecma`) of the whole content, computed once per content. */
export function crcOf(content: ObjectContent): Promise<bigint> {
  const key = `${content.seed}/${content.version}/${content.size}`;
  let crc = crcs.get(key);
  if (!crc) {
    crc = (async () => {
      // hash-wasm's default CRC-64 is COS's (CRC-64/XZ); test/mock/cos.test.ts checks it independently.
      const hasher = await createCRC64();
      hasher.init();
      for (const piece of bytes(content, 0, content.size)) hasher.update(piece);
      return BigInt(`0x${hasher.digest("hex")}`);
    })();
    crcs.set(key, crc);
  }
  return crc;
}
