/**
 * What the credentials links that read files (the profile file, TKE's OIDC token file) need of a
 * file system. package.json `#files` gives Node's (./files-node.ts) under the `node` condition, and
 * none (./files-web.ts) everywhere else, where those links are absent or say they cannot read.
 */
export interface CredentialsFiles {
  /** The file's text; rejects as node:fs does (`code` `ENOENT` when there is no such file). */
  readText(file: string, signal: AbortSignal): Promise<string>;
  /** `~/.tencentcloud/credentials` under `home`, by default the user's home directory. */
  userCredentialsFile(home: string | undefined): string;
}

/** Why a link that needs files cannot work here. */
export const NO_FILE_SYSTEM = "no file system on this platform";
