/**
 * The `proxy` option's type, on its own so that declarations naming it (client and STS options)
 * never pull in Node's types: a consumer without `@types/node` still type-checks.
 */

/** A proxy URL (`http://user:pass@host:port`), `false` for none, undefined for the environment's. */
export type ProxySetting = string | false | undefined;
