import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS; under ESM its function sits on `default`.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

/**
 * Meta's send-message request schema (the patched copy in specs/whatsapp), so the emulator refuses
 * what Meta would. Read from the shared specs folder, never copied into the repository.
 */
export function loadSendMessageValidator(specsDir: string): ValidateFunction {
  const file = path.join(specsDir, 'whatsapp/send-message.schema.json');
  if (!fs.existsSync(file)) throw new Error(`the WhatsApp emulator needs ${file}: pass specsDir (or set SPECS_DIR) to the shared specs folder`);
  const schema = JSON.parse(fs.readFileSync(file, 'utf8')) as object;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat('url', true);
  return ajv.compile(schema);
}

export function describeErrors(validate: ValidateFunction): string {
  return (validate.errors ?? [])
    .slice(0, 8)
    .map((e) => `${e.instancePath || 'body'} ${e.message ?? 'is invalid'}`)
    .join('; ');
}
