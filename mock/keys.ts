/**
 * The key pairs an emulator accepts: permanent ones (given at start) and temporary ones issued by
 * the emulated STS or metadata service, each with its token and expiry. One store can be shared by
 * several emulators, so that credentials issued by the STS emulator are accepted by the mongodb one,
 * until they expire (then `AuthFailure.TokenFailure`, as Tencent answers for an expired token).
 */
import { randomBytes } from "node:crypto";
import type { Credentials } from "../runtime/credentials.js";

/** A key pair the store knows; `expiresAt` (ms) only for temporary ones. */
export interface StoredKey extends Credentials {
  readonly expiresAt?: number;
}

export class KeyStore {
  private readonly keys = new Map<string, StoredKey>();
  /** Temporary key pairs issued so far. */
  issued = 0;

  constructor(permanent: readonly Credentials[]) {
    if (permanent.length === 0) throw new TypeError("the emulator needs at least one key pair");
    this.permanent = permanent.map((key) => Object.freeze({ ...key }));
    for (const key of this.permanent) this.keys.set(key.secretId, key);
  }

  readonly permanent: readonly Credentials[];

  find(secretId: string): StoredKey | undefined {
    return this.keys.get(secretId);
  }

  /** New temporary credentials valid for `lifetimeMs` from `nowMs`. */
  issue(nowMs: number, lifetimeMs: number): Required<StoredKey> {
    const key = Object.freeze({
      secretId: `AKIDtmp${randomBytes(12).toString("hex")}`,
      secretKey: randomBytes(24).toString("base64url"),
      token: randomBytes(48).toString("base64url"),
      expiresAt: nowMs + lifetimeMs,
    });
    this.keys.set(key.secretId, key);
    this.issued++;
    return key;
  }
}
