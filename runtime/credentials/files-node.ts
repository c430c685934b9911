/** Node's file system for the credentials links (package.json `#files`, condition `node`). */
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import path from "node:path";
import type { CredentialsFiles } from "./files.js";

export const fileSystem: CredentialsFiles | undefined = {
  readText: (file, signal) => readFile(file, { encoding: "utf8", signal }),
  userCredentialsFile: (home) => path.join(home ?? homedir(), ".tencentcloud", "credentials"),
};
