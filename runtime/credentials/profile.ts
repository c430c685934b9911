/**
 * The profile file: `~/.tencentcloud/credentials` (else `/etc/tencentcloud/credentials`, as the
 * official SDK looks), an INI file of sections with `secret_id`, `secret_key` and optionally
 * `token`. A section that also names `role_arn` (and optionally `role_session_name`,
 * `duration_seconds`, `external_id`) assumes that role with its key pair through STS `AssumeRole`.
 * Read at each refresh: an edited file is seen at the next one. Where there is no file system
 * (package.json `#files`: browsers, workers), the link is absent.
 */
import type { Credentials, ProvidedCredentials } from "../credentials.js";
import { fileSystem } from "#files";
import { untilAborted } from "../policy/deadline.js";
import { CredentialsError } from "../errors/index.js";
import { fromAssumeRole } from "./assume-role.js";
import { NO_FILE_SYSTEM } from "./files.js";
import { labelled, type LabelledProvider } from "./label.js";
import type { StsOptions } from "./sts.js";

export const SYSTEM_CREDENTIALS_FILE = "/etc/tencentcloud/credentials";

export interface FromProfileOptions {
  /** The section; default `default`. */
  readonly profile?: string;
  /** The file; default `~/.tencentcloud/credentials`, then {@link SYSTEM_CREDENTIALS_FILE}. */
  readonly file?: string;
  /** For tests: the home directory. */
  readonly home?: string;
  /** How STS is reached when the profile names a role. */
  readonly sts?: StsOptions;
}

export function fromProfile(options: FromProfileOptions = {}): LabelledProvider {
  const profile = options.profile ?? "default";
  const link = "profile";
  return labelled(`profile [${profile}]`, async ({ signal }): Promise<ProvidedCredentials> => {
    if (fileSystem === undefined) throw new CredentialsError(`profile: ${NO_FILE_SYSTEM}`, { link, absent: true });
    const candidates = options.file !== undefined ? [options.file] : [fileSystem.userCredentialsFile(options.home), SYSTEM_CREDENTIALS_FILE];
    let file = candidates[0]!;
    let text: string | undefined;
    for (const candidate of candidates) {
      file = candidate;
      try {
        text = await untilAborted(fileSystem.readText(candidate, signal), signal);
        break;
      } catch (error) {
        if (signal.aborted) throw error;
        if ((error as { code?: unknown }).code === "ENOENT") continue;
        throw new CredentialsError(`profile: ${candidate} is unreadable: ${(error as Error).message}`, { link, cause: error });
      }
    }
    if (text === undefined) throw new CredentialsError(`profile: no ${candidates.join(" nor ")}`, { link, absent: true });
    const where = `${file} [${profile}]`;
    const values = parseIni(text)[profile];
    if (!values) throw new CredentialsError(`profile: ${where}: no such section`, { link, absent: true });
    const secretId = values["secret_id"];
    const secretKey = values["secret_key"];
    if (!secretId || !secretKey) {
      throw new CredentialsError(`profile: ${where} lacks ${[!secretId && "secret_id", !secretKey && "secret_key"].filter(Boolean).join(" and ")}`, { link });
    }
    const keys: Credentials = values["token"] ? { secretId, secretKey, token: values["token"] } : { secretId, secretKey };
    const roleArn = values["role_arn"];
    if (!roleArn) return keys;
    const duration = values["duration_seconds"];
    if (duration !== undefined && !/^\d+$/.test(duration)) throw new CredentialsError(`profile: ${where}: duration_seconds must be a whole number of seconds`, { link });
    const assume = fromAssumeRole({
      ...options.sts,
      source: keys,
      roleArn,
      ...(values["role_session_name"] ? { roleSessionName: values["role_session_name"] } : {}),
      ...(duration !== undefined ? { durationSeconds: Number(duration) } : {}),
      ...(values["external_id"] ? { externalId: values["external_id"] } : {}),
    });
    try {
      return await assume({ signal });
    } catch (error) {
      if (signal.aborted || !(error instanceof CredentialsError)) throw error;
      throw new CredentialsError(`profile: ${where} names role_arn: ${error.message}`, { link, cause: error });
    }
  });
}

/** Sections of an INI file: `[name]`, `key = value`, `#` and `;` comments. */
export function parseIni(text: string): Record<string, Record<string, string>> {
  const sections: Record<string, Record<string, string>> = Object.create(null) as Record<string, Record<string, string>>;
  let section: Record<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const header = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (header) {
      section = sections[header[1]!] ??= Object.create(null) as Record<string, string>;
      continue;
    }
    const eq = line.indexOf("=");
    if (section && eq > 0) section[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return sections;
}
