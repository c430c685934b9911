/**
 * THE call of every generated action function and method: check the request against the spec,
 * run the call (rate limit, sign, send, retry; ../call.ts), check the answer.
 */
import type { ActionDescriptor, Core } from "./core.js";
import type { CallOptions } from "./options.js";

export async function call<Input, Output>(core: Core, action: ActionDescriptor<Input, Output>, input: Input, options?: CallOptions): Promise<Output> {
  core.validation.checkRequest(action.action, action.validateRequest, input);
  const response = await core.send(action as ActionDescriptor<unknown, Output>, input, options);
  return core.validation.checkResponse(action.action, action.validateResponse, response);
}
