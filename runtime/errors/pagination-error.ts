import { TcgenError } from "./tcgen-error.js";

/**
 * The server answered a page in a way that would make paging wrong or endless: a page repeating the
 * previous one (the server ignores the offset), or an answer without its list or total.
 */
export class PaginationError extends TcgenError {
  override readonly name = "PaginationError";
  readonly action: string;
  /** The offset sent for the page in question. */
  readonly offset: number;

  constructor(fields: { action: string; offset: number; message: string }) {
    super(`${fields.action}: ${fields.message}`);
    this.action = fields.action;
    this.offset = fields.offset;
  }
}
