import { TcgenError } from "./tcgen-error.js";

type Status = string | number;

/** Some of the awaited items reached a failure status; `failedKeys` names them. */
export class WaiterFailedError extends TcgenError {
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
