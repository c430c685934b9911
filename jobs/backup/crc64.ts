/**
 * CRC-64 as COS computes it for `x-cos-hash-crc64ecma`. COS calls it CRC-64/ECMA-182; in the CRC
 * catalogue's terms it is CRC-64/XZ: the ECMA-182 polynomial 0x42F0E1EBA9EA3693 reflected, init and
 * xorout all ones; the check value of "123456789" is 0x995DC9BBDF1939FA. COS sends it as an unsigned
 * decimal (`x-cos-hash-crc64ecma: 11051210869376104954` for "123456789").
 *
 * The work is done by hash-wasm's WebAssembly CRC-64 (default polynomial: this one), which is
 * incremental and measured in bench/crc64.ts against the alternatives (see the README, "Fleet backup job").
 */
import { createCRC64 } from "hash-wasm";

/** An incremental CRC-64: `update()` with each chunk in order, then `digest()` once. */
export interface Crc64 {
  update(data: Uint8Array): void;
  /** The CRC of everything passed to `update()`, as an unsigned 64-bit integer. */
  digest(): bigint;
}

/** A fresh incremental CRC-64 (async: the WebAssembly instance is created on first use). */
export async function createCrc64(): Promise<Crc64> {
  const hasher = await createCRC64();
  hasher.init();
  return {
    update: (data) => void hasher.update(data),
    digest: () => BigInt(`0x${hasher.digest("hex")}`),
  };
}

/** The CRC-64 of `data` in one call. */
export async function crc64(data: Uint8Array): Promise<bigint> {
  const crc = await createCrc64();
  crc.update(data);
  return crc.digest();
}

const UINT64_MAX = (1n << 64n) - 1n;

/**
 * The value of an `x-cos-hash-crc64ecma` header, or undefined when it is absent; a header that is
 * not an unsigned 64-bit decimal is an error (the server is broken, not the file).
 */
export function parseCosCrc64(header: string | null | undefined): bigint | undefined {
  if (header === null || header === undefined) return undefined;
  const text = header.trim();
  if (!/^\d{1,20}$/.test(text) || BigInt(text) > UINT64_MAX) {
    throw new Error(`x-cos-hash-crc64ecma is not an unsigned 64-bit decimal: ${JSON.stringify(header.slice(0, 40))}`);
  }
  return BigInt(text);
}
