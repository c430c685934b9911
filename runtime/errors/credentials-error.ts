import { TcgenError } from "./tcgen-error.js";

/**
 * No usable credentials: raised before any request of the call is made. `link` names the provider
 * of the chain that failed (`environment`, `profile`, `tke-oidc`, `instance-metadata`, `assume-role`,
 * `web-identity`, `provider` for a custom one); `absent` says it failed because its source is simply
 * not there (a variable unset, no file, not on CVM), which lets a chain try the next link, while a
 * source that is there but fails (a refused role, a wrong answer) stops the chain. Never carries a
 * secret: messages name variables, files, roles and hosts, never keys or tokens.
 */
export class CredentialsError extends TcgenError {
  override readonly name = "CredentialsError";
  readonly link: string | undefined;
  readonly absent: boolean;

  constructor(message: string, options: { cause?: unknown; link?: string; absent?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.link = options.link;
    this.absent = options.absent ?? false;
  }
}
