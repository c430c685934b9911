import { TcgenError } from "./tcgen-error.js";

/** No usable credentials were found; raised before any request is made. */
export class CredentialsError extends TcgenError {
  override readonly name = "CredentialsError";
}
