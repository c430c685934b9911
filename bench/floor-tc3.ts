/**
 * The bare TC3 floor: the least work a TC3-HMAC-SHA256 signature can cost with `node:crypto`, two
 * SHA-256 digests (payload, canonical request) and four HMACs (date, service, "tc3_request", string
 * to sign), no validation, no caching, signing `content-type;host` only. Used by the floor client and
 * by the signing benchmark; checked there to produce the same signature as `Sign.sign3` and `signTc3`.
 */
import { createHash, createHmac } from "node:crypto";

export function floorTc3(
  secretId: string,
  secretKey: string,
  service: string,
  host: string,
  timestamp: number,
  payload: string,
): string {
  const date = new Date(timestamp * 1000).toISOString().slice(0, 10);
  const hashedPayload = createHash("sha256").update(payload).digest("hex");
  const canonicalRequest = `POST\n/\n\ncontent-type:application/json\nhost:${host}\n\ncontent-type;host\n${hashedPayload}`;
  const scope = `${date}/${service}/tc3_request`;
  const stringToSign = `TC3-HMAC-SHA256\n${timestamp}\n${scope}\n${createHash("sha256").update(canonicalRequest).digest("hex")}`;
  const kDate = createHmac("sha256", `TC3${secretKey}`).update(date).digest();
  const kService = createHmac("sha256", kDate).update(service).digest();
  const kSigning = createHmac("sha256", kService).update("tc3_request").digest();
  const signature = createHmac("sha256", kSigning).update(stringToSign).digest("hex");
  return `TC3-HMAC-SHA256 Credential=${secretId}/${scope}, SignedHeaders=content-type;host, Signature=${signature}`;
}
