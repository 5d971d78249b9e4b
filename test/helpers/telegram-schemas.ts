import type { ValidateFunction } from 'ajv/dist/2020.js';
import { closedCopy, readSpec, specAjv } from './spec-schemas.js';

/**
 * The Telegram Bot API as a JSON Schema (SPECS_DIR's telegram/bot-api.schema.json, derived from the
 * published reference, https://core.telegram.org/bots/api), as published (`telegram-bot-api`, open to
 * newer fields) and closed (`telegram-bot-api-closed`, for what the emulator invents). Read on first use
 * only: guard each check with specMissing(TELEGRAM_SPEC) or specCheck(t, TELEGRAM_SPEC, …).
 */
export const TELEGRAM_SPEC = 'telegram/bot-api.schema.json';
const OPEN_ID = 'telegram-bot-api';
const CLOSED_ID = 'telegram-bot-api-closed';

function load() {
  const ajv = specAjv();
  if (!ajv.getSchema(OPEN_ID)) {
    const schema = readSpec(TELEGRAM_SPEC);
    ajv.addSchema(schema);
    ajv.addSchema(closedCopy(schema, CLOSED_ID));
  }
  return ajv;
}

export function telegramDef(name: string, options: { closed?: boolean } = {}): ValidateFunction {
  const validate = load().getSchema(`${options.closed ? CLOSED_ID : OPEN_ID}#/$defs/${name}`);
  if (!validate) throw new Error(`no $defs/${name} in the Telegram schema`);
  return validate;
}

/** A method's request parameters: `method:<name>`, exactly as spelled in the spec (sendMessage). */
export function telegramMethod(method: string, options: { closed?: boolean } = {}): ValidateFunction {
  return telegramDef(`method:${method}`, options);
}

const SCALARS: Readonly<Record<string, object>> = {
  Boolean: { type: 'boolean' },
  True: { const: true },
  String: { type: 'string' },
  Integer: { type: 'integer' },
};

const resultCache = new Map<string, ValidateFunction>();
/** The `result` a method returns per the spec's `x-returns` (e.g. Message, Boolean, Array of Update), closed. */
export function telegramResult(method: string): ValidateFunction {
  const cached = resultCache.get(method);
  if (cached) return cached;
  const def = load().getSchema(`${OPEN_ID}#/$defs/method:${method}`)?.schema as { 'x-returns'?: string[] } | undefined;
  const returns = def?.['x-returns']?.[0];
  if (!returns) throw new Error(`the Telegram schema has no method ${method}`);
  const typeSchema = (name: string) => SCALARS[name] ?? { $ref: `${CLOSED_ID}#/$defs/${name}` };
  const schema = returns.startsWith('Array of ')
    ? { type: 'array', items: typeSchema(returns.slice('Array of '.length)) }
    : typeSchema(returns);
  const validate = load().compile(schema);
  resultCache.set(method, validate);
  return validate;
}

/** Spec spelling of a method name, since Telegram accepts any case on the wire (getme → getMe). */
export function specMethodName(name: string): string | undefined {
  const wanted = `method:${name}`.toLowerCase();
  const schema = load().getSchema(OPEN_ID)?.schema as { $defs: Record<string, unknown> };
  return Object.keys(schema.$defs)
    .find((key) => key.toLowerCase() === wanted)
    ?.slice('method:'.length);
}
