import type { Params, UploadedFile } from '../params.js';
import type { SandboxBot, TelegramSandboxState } from '../state.js';
import { badRequest } from '../wire.js';

export interface MethodContext {
  readonly state: TelegramSandboxState;
  readonly bot: SandboxBot;
  readonly params: Params;
  readonly files: Record<string, UploadedFile>;
}

/** A method's result, and the `description` Telegram adds to some successes ("Webhook was set"). */
export type MethodResult = { readonly result: unknown; readonly description?: string };
export type MethodHandler = (ctx: MethodContext) => MethodResult | Promise<MethodResult>;

export function stringParam(params: Params, name: string): string | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'object') throw badRequest(`parameter "${name}" must be a string`);
  return String(value);
}

export function integerParam(params: Params, name: string): number | undefined {
  const value = params[name];
  if (value === undefined || value === null || value === '') return undefined;
  const number = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(number)) throw badRequest(`parameter "${name}" must be an integer`);
  return number;
}
