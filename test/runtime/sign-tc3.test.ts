/**
 * TC3-HMAC-SHA256 against every vector of test/fixtures/tc3-test-vectors.json (each intermediate
 * value; a copy of the project's reference vectors, whose `source` fields say where each comes from), the two
 * published examples of tencent-api3.md spelled out, and the rules the vectors do not pin down.
 */
import { createHash, createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { deriveTc3SigningKey, signTc3, tc3Date, type Tc3Request } from "../../runtime/request/sign-tc3.js";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const VECTORS_PATH = resolve(repoRoot, "test/fixtures/tc3-test-vectors.json");

interface VectorInputs {
  secretId: string;
  secretKey: string;
  service: string;
  host: string;
  action: string;
  timestamp: number;
  httpMethod: string;
  contentType: string;
  canonicalQueryString: string;
  payload: string;
  /** ";"-joined lowercase names, e.g. "content-type;host;x-tc-action". */
  signedHeaders: string;
}

interface Vector {
  name: string;
  status: string;
  inputs: VectorInputs;
  outputs: Record<string, string>;
  documentedValues: Record<string, string>;
}

const vectorFile = JSON.parse(readFileSync(VECTORS_PATH, "utf8")) as { vectors: Vector[] };
const vectors = vectorFile.vectors;

/** Where the value of each signed header beyond content-type and host comes from in a vector. */
const EXTRA_HEADER_VALUES: Readonly<Record<string, (inputs: VectorInputs) => string>> = {
  "x-tc-action": (inputs) => inputs.action,
};

function requestOf(inputs: VectorInputs): Tc3Request {
  const signedHeaders: Record<string, string> = {};
  for (const name of inputs.signedHeaders.split(";")) {
    if (name === "content-type" || name === "host") continue;
    const valueOf = EXTRA_HEADER_VALUES[name];
    if (valueOf === undefined) throw new Error(`vector signs ${name}, which this test does not know how to fill`);
    signedHeaders[name] = valueOf(inputs);
  }
  return {
    method: inputs.httpMethod,
    host: inputs.host,
    contentType: inputs.contentType,
    signedHeaders,
    query: inputs.canonicalQueryString,
    payload: inputs.payload,
    timestamp: inputs.timestamp,
    service: inputs.service,
    credentials: { secretId: inputs.secretId, secretKey: inputs.secretKey },
  };
}

const hmac = (key: string | Buffer, data: string): Buffer => createHmac("sha256", key).update(data).digest();

/** The key chain recomputed here, independently of runtime/signing.ts. */
function chain(secretKey: string, date: string, service: string) {
  const kDate = hmac(`TC3${secretKey}`, date);
  const kService = hmac(kDate, service);
  const kSigning = hmac(kService, "tc3_request");
  return { kDate, kService, kSigning };
}

/** The literal payload of the published CVM DescribeInstances example (backslash escapes as characters). */
const DOC_PAYLOAD = String.raw`{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}`;
const DOC_REQUEST: Tc3Request = {
  method: "POST",
  host: "cvm.tencentcloudapi.com",
  contentType: "application/json; charset=utf-8",
  query: "",
  payload: DOC_PAYLOAD,
  timestamp: 1551113065,
  service: "cvm",
  credentials: { secretId: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", secretKey: "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE" },
};

describe("reference vectors (tc3-test-vectors.json)", () => {
  it("the file holds the expected vectors, and every output field is one this suite checks", () => {
    expect(vectors.length).toBeGreaterThanOrEqual(12);
    const known = new Set([
      "date",
      "hashedRequestPayload",
      "canonicalRequest",
      "hashedCanonicalRequest",
      "credentialScope",
      "stringToSign",
      "secretDateHex",
      "secretServiceHex",
      "secretSigningHex",
      "signature",
      "authorization",
    ]);
    for (const vector of vectors) {
      for (const field of Object.keys(vector.outputs)) expect(known, `${vector.name}: ${field}`).toContain(field);
      // The documented values (what Tencent printed) must be among the outputs and equal to them.
      for (const [field, value] of Object.entries(vector.documentedValues)) {
        expect(vector.outputs[field], `${vector.name}: documented ${field}`).toBe(value);
      }
    }
  });

  for (const vector of vectors) {
    it(`${vector.name} (${vector.status})`, () => {
      const { inputs, outputs } = vector;
      const result = signTc3(requestOf(inputs));
      const { kDate, kService, kSigning } = chain(inputs.secretKey, result.date, inputs.service);
      const derived = Buffer.from(deriveTc3SigningKey(inputs.secretKey, result.date, inputs.service));

      const ours: Record<string, string> = {
        date: result.date,
        hashedRequestPayload: result.hashedPayload,
        canonicalRequest: result.canonicalRequest,
        hashedCanonicalRequest: result.hashedCanonicalRequest,
        credentialScope: result.credentialScope,
        stringToSign: result.stringToSign,
        secretDateHex: kDate.toString("hex"),
        secretServiceHex: kService.toString("hex"),
        secretSigningHex: derived.toString("hex"),
        signature: result.signature,
        authorization: result.authorization,
      };
      for (const [field, expected] of Object.entries(outputs)) {
        expect(ours[field], `${vector.name}: ${field}`).toBe(expected);
      }
      expect(result.signedHeaders).toBe(inputs.signedHeaders);
      expect(result.date).toBe(tc3Date(inputs.timestamp));

      // Cross-checks that do not trust the module: the independent chain gives the same key, the
      // hashes are plain SHA-256 of the returned texts, and the signature is HMAC(key, stringToSign).
      expect(derived.equals(kSigning)).toBe(true);
      expect(result.hashedCanonicalRequest).toBe(createHash("sha256").update(result.canonicalRequest).digest("hex"));
      expect(result.hashedPayload).toBe(createHash("sha256").update(inputs.payload).digest("hex"));
      expect(result.signature).toBe(createHmac("sha256", kSigning).update(result.stringToSign).digest("hex"));
    });
  }
});

describe("published examples of tencent-api3.md", () => {
  it("masked key (AKID + 32 '*', 32 '*'), content-type;host;x-tc-action → 10b1a37a…", () => {
    const result = signTc3({
      ...DOC_REQUEST,
      signedHeaders: { "X-TC-Action": "DescribeInstances" },
      credentials: { secretId: `AKID${"*".repeat(32)}`, secretKey: "*".repeat(32) },
    });
    expect(result.hashedPayload).toBe("35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064");
    expect(result.canonicalRequest).toBe(
      "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n" +
        "x-tc-action:describeinstances\n\ncontent-type;host;x-tc-action\n" +
        "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064",
    );
    expect(result.hashedCanonicalRequest).toBe("7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84");
    expect(result.signature).toBe("10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f");
    expect(result.authorization).toBe(
      `TC3-HMAC-SHA256 Credential=AKID${"*".repeat(32)}/2019-02-25/cvm/tc3_request, ` +
        "SignedHeaders=content-type;host;x-tc-action, " +
        "Signature=10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f",
    );
  });

  it("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE, content-type;host → 72e494ea…", () => {
    const result = signTc3(DOC_REQUEST);
    expect(result.signedHeaders).toBe("content-type;host");
    expect(result.credentialScope).toBe("2019-02-25/cvm/tc3_request");
    expect(result.hashedCanonicalRequest).toBe("5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031");
    expect(result.signature).toBe("72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
    expect(result.authorization).toBe(
      "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, " +
        "SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168",
    );
    // The same request given as bytes signs identically.
    expect(signTc3({ ...DOC_REQUEST, payload: new TextEncoder().encode(DOC_PAYLOAD) }).signature).toBe(
      result.signature,
    );
  });
});

describe("signing rules", () => {
  it("signs the content type byte for byte: application/json and application/json; charset=utf-8 differ", () => {
    const plain = signTc3({ ...DOC_REQUEST, contentType: "application/json" });
    const charset = signTc3({ ...DOC_REQUEST, contentType: "application/json; charset=utf-8" });
    expect(plain.canonicalRequest).toContain("\ncontent-type:application/json\n");
    expect(charset.canonicalRequest).toContain("\ncontent-type:application/json; charset=utf-8\n");
    expect(plain.signature).not.toBe(charset.signature);
    expect(charset.signature).toBe("72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
  });

  it("treats header names case-insensitively and sorts them", () => {
    const spellings = ["X-TC-Action", "x-tc-action", "X-Tc-AcTiOn", "X-TC-ACTION"];
    const results = spellings.map((name) => signTc3({ ...DOC_REQUEST, signedHeaders: { [name]: "DescribeInstances" } }));
    for (const result of results) {
      expect(result.signedHeaders).toBe("content-type;host;x-tc-action");
      expect(result.signature).toBe(results[0]?.signature);
    }
    const sorted = signTc3({
      ...DOC_REQUEST,
      signedHeaders: { "X-TC-Timestamp": "1551113065", Accept: "*/*", "X-TC-Action": "DescribeInstances" },
    });
    expect(sorted.signedHeaders).toBe("accept;content-type;host;x-tc-action;x-tc-timestamp");
    expect(sorted.canonicalRequest).toContain(
      "\naccept:*/*\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n" +
        "x-tc-action:describeinstances\nx-tc-timestamp:1551113065\n\n",
    );
  });

  it("trims and lowercases header values", () => {
    const padded = signTc3({ ...DOC_REQUEST, signedHeaders: { "X-TC-Action": "  DescribeInstances \t" } });
    const plain = signTc3({ ...DOC_REQUEST, signedHeaders: { "X-TC-Action": "describeinstances" } });
    expect(padded.signature).toBe(plain.signature);
    expect(signTc3({ ...DOC_REQUEST, host: "CVM.TencentCloudAPI.com" }).signature).toBe(signTc3(DOC_REQUEST).signature);
  });

  it("lets the explicit contentType and host win over same-named signedHeaders, without duplicates", () => {
    const result = signTc3({
      ...DOC_REQUEST,
      signedHeaders: { "Content-Type": "text/plain", HOST: "evil.example.com" },
    });
    expect(result.signedHeaders).toBe("content-type;host");
    expect(result.canonicalRequest).toContain(
      "\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\n",
    );
    expect(result.signature).toBe("72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
    expect(() => signTc3({ ...DOC_REQUEST, signedHeaders: { "X-TC-Action": "a", "x-tc-action": "b" } })).toThrow(
      /twice/,
    );
  });

  it("signs a host with a port exactly as given, and the service never comes from the host", () => {
    const local = signTc3({ ...DOC_REQUEST, host: "127.0.0.1:9000", service: "mongodb" });
    expect(local.canonicalRequest).toContain("\nhost:127.0.0.1:9000\n");
    expect(local.credentialScope).toBe("2019-02-25/mongodb/tc3_request");
  });

  it("uppercases the method and uses the query as given", () => {
    const get = { ...DOC_REQUEST, method: "get", query: "Limit=10&Offset=0", payload: "" };
    expect(signTc3(get).canonicalRequest.startsWith("GET\n/\nLimit=10&Offset=0\n")).toBe(true);
    expect(signTc3(get).signature).toBe(signTc3({ ...get, method: "GET" }).signature);
    expect(signTc3({ ...DOC_REQUEST, query: undefined }).signature).toBe(signTc3(DOC_REQUEST).signature);
  });

  it("rolls the date over at UTC midnight (1551139199 → 2019-02-25, 1551139200 → 2019-02-26)", () => {
    expect(tc3Date(1551139199)).toBe("2019-02-25");
    expect(tc3Date(1551139200)).toBe("2019-02-26");
    expect(tc3Date(0)).toBe("1970-01-01");
    expect(tc3Date(951782400)).toBe("2000-02-29");
    expect(tc3Date(253402300799)).toBe("9999-12-31");

    const before = signTc3({ ...DOC_REQUEST, timestamp: 1551139199 });
    const after = signTc3({ ...DOC_REQUEST, timestamp: 1551139200 });
    expect(before.credentialScope).toBe("2019-02-25/cvm/tc3_request");
    expect(after.credentialScope).toBe("2019-02-26/cvm/tc3_request");
    expect(before.stringToSign).toBe(`TC3-HMAC-SHA256\n1551139199\n2019-02-25/cvm/tc3_request\n${before.hashedCanonicalRequest}`);
    expect(after.authorization).toContain("Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-26/cvm/tc3_request,");
    // Each side is signed with the key of its own day.
    for (const result of [before, after]) {
      const { kSigning } = chain(DOC_REQUEST.credentials.secretKey, result.date, "cvm");
      expect(result.signature).toBe(createHmac("sha256", kSigning).update(result.stringToSign).digest("hex"));
    }
    expect(before.signature).not.toBe(after.signature);
  });

  it("caches signing keys: same inputs give the same key, any different input a different one", () => {
    const a = deriveTc3SigningKey("key-one", "2024-01-01", "mongodb");
    const b = deriveTc3SigningKey("key-one", "2024-01-01", "mongodb");
    expect(Buffer.from(a).equals(b)).toBe(true);
    expect(Buffer.from(a).equals(chain("key-one", "2024-01-01", "mongodb").kSigning)).toBe(true);
    for (const other of [
      deriveTc3SigningKey("key-one", "2024-01-01", "cvm"),
      deriveTc3SigningKey("key-one", "2024-01-02", "mongodb"),
      deriveTc3SigningKey("key-two", "2024-01-01", "mongodb"),
      // Same concatenation, different split: the cache key must keep the parts apart.
      deriveTc3SigningKey("dbkey-one", "2024-01-01", "mongo"),
      deriveTc3SigningKey("key-onemongo", "2024-01-01", "db"),
      deriveTc3SigningKey("key-one\n2024-01-01", "2024-01-01", "mongodb"),
    ]) {
      expect(Buffer.from(other).equals(a)).toBe(false);
    }

    // A caller scribbling on the returned buffer cannot poison the cache.
    a.fill(0);
    expect(Buffer.from(deriveTc3SigningKey("key-one", "2024-01-01", "mongodb")).equals(b)).toBe(true);

    // Past the cache bound (many keys), every key is still right.
    for (let i = 0; i < 200; i++) {
      const service = `svc${i}`;
      expect(Buffer.from(deriveTc3SigningKey("key-one", "2024-01-01", service)).equals(chain("key-one", "2024-01-01", service).kSigning)).toBe(true);
    }
    expect(Buffer.from(deriveTc3SigningKey("key-one", "2024-01-01", "mongodb")).equals(b)).toBe(true);
    expect(signTc3(DOC_REQUEST).signature).toBe("72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
  });
});

describe("input validation", () => {
  const SECRET = "Sup3rSecretKey-never-in-messages";
  const base: Tc3Request = { ...DOC_REQUEST, credentials: { secretId: "AKIDEXAMPLE", secretKey: SECRET } };
  const bad = <T>(value: unknown) => value as T;

  const cases: Array<[string, () => unknown]> = [
    ["negative timestamp", () => signTc3({ ...base, timestamp: -1 })],
    ["fractional timestamp", () => signTc3({ ...base, timestamp: 1551113065.5 })],
    ["NaN timestamp", () => signTc3({ ...base, timestamp: Number.NaN })],
    ["infinite timestamp", () => signTc3({ ...base, timestamp: Number.POSITIVE_INFINITY })],
    ["milliseconds timestamp", () => signTc3({ ...base, timestamp: 1551113065000 })],
    ["string timestamp", () => signTc3({ ...base, timestamp: bad<number>("1551113065") })],
    ["empty service", () => signTc3({ ...base, service: "" })],
    ["uppercase service", () => signTc3({ ...base, service: "MongoDB" })],
    ["service with a slash", () => signTc3({ ...base, service: "cvm/x" })],
    ["service that is the secret", () => signTc3({ ...base, service: SECRET })],
    ["missing service", () => signTc3({ ...base, service: bad<string>(undefined) })],
    ["empty secretId", () => signTc3({ ...base, credentials: { secretId: "", secretKey: SECRET } })],
    ["empty secretKey", () => signTc3({ ...base, credentials: { secretId: "AKIDEXAMPLE", secretKey: "" } })],
    ["non-string secretKey", () => signTc3({ ...base, credentials: { secretId: "AKID", secretKey: bad<string>(42) } })],
    ["missing credentials", () => signTc3({ ...base, credentials: bad<Tc3Request["credentials"]>(undefined) })],
    ["object payload", () => signTc3({ ...base, payload: bad<string>({ secret: SECRET }) })],
    ["empty method", () => signTc3({ ...base, method: "" })],
    ["empty host", () => signTc3({ ...base, host: "" })],
    ["content type with a line break", () => signTc3({ ...base, contentType: `application/json\n${SECRET}` })],
    ["header value with a line break", () => signTc3({ ...base, signedHeaders: { "X-TC-Token": `${SECRET}\r\nx: y` } })],
    ["invalid header name", () => signTc3({ ...base, signedHeaders: { "X TC Action": "a" } })],
    ["duplicate header", () => signTc3({ ...base, signedHeaders: { "X-TC-Action": "a", "x-tc-ACTION": "b" } })],
    ["derive: empty key", () => deriveTc3SigningKey("", "2024-01-01", "cvm")],
    ["derive: bad date", () => deriveTc3SigningKey(SECRET, "2024/01/01", "cvm")],
    ["derive: bad service", () => deriveTc3SigningKey(SECRET, "2024-01-01", "C V M")],
    ["tc3Date: negative", () => tc3Date(-86400)],
  ];

  for (const [name, run] of cases) {
    it(`rejects ${name} with a TypeError that does not echo the secret key`, () => {
      let error: unknown;
      try {
        run();
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(TypeError);
      const message = (error as TypeError).message;
      expect(message).toMatch(/^TC3: /);
      expect(message).not.toContain(SECRET);
      expect(message).not.toContain(SECRET.slice(0, 8));
      expect(String((error as TypeError).stack)).not.toContain(SECRET);
    });
  }

  it("names the offending timestamp (not a secret) to make the mistake obvious", () => {
    expect(() => tc3Date(1551113065000)).toThrow(/1551113065000/);
  });
});
