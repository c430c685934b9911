/** No file system (package.json `#files`, condition `default`): browsers, workers, edge runtimes. */
import type { CredentialsFiles } from "./files.js";

export const fileSystem: CredentialsFiles | undefined = undefined;
