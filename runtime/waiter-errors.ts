/**
 * How a waiter (a `waitFor…` method generated from `x-tc-waiters`) gives up. Each error names the
 * waiter and the polled action and carries the items' keys and statuses as fields, so callers can
 * branch on them without parsing the message.
 */

type Status = string | number;

/** Some of the awaited items reached a failure status; `failedKeys` names them. */
export class WaiterFailedError extends Error {
  override readonly name = "WaiterFailedError";
  /** The waiter, e.g. `waitForInstancesRunning`. */
  readonly waiter: string;
  /** The polled action. */
  readonly action: string;
  /** The key of each failed item, in the order they were asked for. */
  readonly failedKeys: readonly string[];
  /** The last status seen of every awaited key (`undefined`: not listed). */
  readonly statuses: Readonly<Record<string, Status | undefined>>;
  /** The failed items as the last answer listed them. */
  readonly failedItems: readonly unknown[];

  constructor(fields: {
    waiter: string;
    action: string;
    keyField: string;
    statusField: string;
    failedKeys: readonly string[];
    statuses: Readonly<Record<string, Status | undefined>>;
    failedItems: readonly unknown[];
  }) {
    const which = fields.failedKeys.map((key) => `${key} (${fields.statusField} ${String(fields.statuses[key])})`).join(", ");
    super(`${fields.waiter}: ${fields.action} reports a failure status for ${fields.keyField} ${which}`);
    this.waiter = fields.waiter;
    this.action = fields.action;
    this.failedKeys = fields.failedKeys;
    this.statuses = fields.statuses;
    this.failedItems = fields.failedItems;
  }
}

/** The waiter's deadline passed before every awaited item succeeded; `lastStatuses` says where each stood. */
export class WaiterTimeoutError extends Error {
  override readonly name = "WaiterTimeoutError";
  readonly waiter: string;
  readonly action: string;
  readonly timeoutMs: number;
  /** Polls made (each may be several calls when the action is paged). */
  readonly polls: number;
  /** The last status seen of every awaited key (`undefined`: never listed). */
  readonly lastStatuses: Readonly<Record<string, Status | undefined>>;

  constructor(
    fields: {
      waiter: string;
      action: string;
      statusField: string;
      timeoutMs: number;
      polls: number;
      lastStatuses: Readonly<Record<string, Status | undefined>>;
    },
    options?: { cause?: unknown },
  ) {
    const last = Object.entries(fields.lastStatuses)
      .map(([key, status]) => `${key} ${status === undefined ? "not listed" : `${fields.statusField} ${String(status)}`}`)
      .join(", ");
    super(`${fields.waiter}: not done within ${fields.timeoutMs} ms (${fields.polls} poll${fields.polls === 1 ? "" : "s"} of ${fields.action}); last seen: ${last}`, options);
    this.waiter = fields.waiter;
    this.action = fields.action;
    this.timeoutMs = fields.timeoutMs;
    this.polls = fields.polls;
    this.lastStatuses = fields.lastStatuses;
  }
}
