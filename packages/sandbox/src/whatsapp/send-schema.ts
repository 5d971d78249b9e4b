import fs from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS; under ESM its function sits on `default`.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv2020,
) => Ajv2020;

/** The project's own schema of Meta's send-message request, written from Meta's public documentation. */
const SCHEMA_FILE = new URL('../../../../schemas/whatsapp/send-message.schema.json', import.meta.url);

let compiled: ValidateFunction | undefined;

/** The send-message validator, compiled once per process, so the emulator refuses what Meta would. */
export function sendMessageValidator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true });
    addFormats(ajv);
    compiled = ajv.compile(JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')) as object);
  }
  return compiled;
}

// `if`/`anyOf` failures only repeat what the errors under them already say.
const SUMMARY_KEYWORDS = new Set(['if', 'anyOf']);

function describe(e: ErrorObject): string {
  const where = e.instancePath || 'body';
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return `${where} must not have '${String(params.additionalProperty)}'`;
    case 'enum':
      return `${where} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `${where} must be ${JSON.stringify(params.allowedValue)}`;
    case 'false schema':
      return `${where} is not allowed here`;
    default:
      return `${where} ${e.message ?? 'is invalid'}`;
  }
}

/** The validator's last errors as one readable line, e.g. `/text must have required property 'body'`. */
export function describeErrors(validate: ValidateFunction): string {
  const errors = validate.errors ?? [];
  const specific = errors.filter((e) => !SUMMARY_KEYWORDS.has(e.keyword));
  return [...new Set((specific.length > 0 ? specific : errors).map(describe))].slice(0, 8).join('; ');
}
