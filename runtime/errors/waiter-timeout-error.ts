import { TcgenError } from "./tcgen-error.js";

type Status = string | number;

/** The waiter's deadline passed before every awaited item succeeded; `lastStatuses` says where each stood. */
export class WaiterTimeoutError extends TcgenError {
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
