import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  genericEnvelopeSchema,
  genericMessageSchema,
  genericStatusSchema,
} from '../../packages/bridge/src/providers/generic/wire-types.js';
import { genericEventValidator } from '../helpers/generic-schemas.js';

const fixtures = path.resolve(import.meta.dirname, '../fixtures/generic');
const load = (kind: 'valid' | 'invalid') =>
  fs
    .readdirSync(path.join(fixtures, kind))
    .sort()
    .map((file) => [file, JSON.parse(fs.readFileSync(path.join(fixtures, kind, file), 'utf8')) as unknown] as const);

/** What the bridge's own parser (zod) says about a whole event. */
function zodAccepts(event: unknown): boolean {
  const envelope = genericEnvelopeSchema.safeParse(event);
  if (!envelope.success) return false;
  if (envelope.data.type === 'message.created') return genericMessageSchema.safeParse(envelope.data.data).success;
  if (envelope.data.type === 'message.status') return genericStatusSchema.safeParse(envelope.data.data).success;
  return true;
}

describe('the published JSON Schemas and the zod schemas agree', () => {
  const validate = genericEventValidator();
  const valid = load('valid');
  const invalid = load('invalid');

  it('has fixtures on both sides', () => {
    assert.ok(valid.length >= 10 && invalid.length >= 20, `${valid.length} valid, ${invalid.length} invalid`);
  });
  for (const [file, event] of valid) {
    it(`both accept valid/${file}`, () => {
      assert.equal(validate(event), true, JSON.stringify(validate.errors));
      assert.equal(zodAccepts(event), true);
    });
  }
  for (const [file, event] of invalid) {
    it(`both refuse invalid/${file}`, () => {
      assert.equal(validate(event), false, 'the JSON Schema accepted it');
      assert.equal(zodAccepts(event), false, 'zod accepted it');
    });
  }
});
