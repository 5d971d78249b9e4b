import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { normaliseGenericWebhook } from '../../packages/bridge/src/providers/generic/normalise.js';
import { verifyStandardWebhook } from '../../packages/bridge/src/providers/generic/verify.js';
import { asAccountId } from '../../packages/bridge/src/domain/ids.js';
import { genericEventValidator } from '../helpers/generic-schemas.js';

// docs/GENERIC_PROVIDER.md is what third parties build against, so its examples must be true.
const doc = fs.readFileSync(path.resolve(import.meta.dirname, '../../docs/GENERIC_PROVIDER.md'), 'utf8');
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

function workedExample() {
  const block = /<!-- worked-example[^>]*-->\s*```http\n([\s\S]*?)\n```/.exec(doc)?.[1];
  assert.ok(block, 'the worked example is in the doc');
  const [head, body] = block.split('\n\n');
  const headers = Object.fromEntries(
    head!
      .split('\n')
      .slice(1)
      .map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
  );
  return { headers, body: body! };
}

describe('docs/GENERIC_PROVIDER.md', () => {
  it('has a worked signature that the reference library and the bridge both reproduce', () => {
    const { headers, body } = workedExample();
    const at = new Date(Number(headers['webhook-timestamp']) * 1000);
    assert.equal(new Webhook(SECRET).sign(headers['webhook-id']!, at, body), headers['webhook-signature']);
    assert.deepEqual(verifyStandardWebhook(SECRET, { headers, body: Buffer.from(body) }, at), { ok: true });
  });

  it('has a worked example body that the schema and the bridge accept', () => {
    const { body } = workedExample();
    const validate = genericEventValidator();
    assert.equal(validate(JSON.parse(body)), true, JSON.stringify(validate.errors));
    assert.equal(
      normaliseGenericWebhook(asAccountId('987654'), { headers: {}, body: Buffer.from(body) })[0]?.kind,
      'message',
    );
  });

  it('shows only example events that validate against schemas/generic', () => {
    const validate = genericEventValidator();
    const events = [...doc.matchAll(/```json\n([\s\S]*?)\n```/g)].map(
      (m) => JSON.parse(m[1]!) as { type: string; data: object },
    );
    const full = events.filter((e) => Object.keys(e.data).length > 0);
    assert.ok(full.length >= 2);
    for (const event of full)
      assert.equal(validate(event), true, `${JSON.stringify(event)}: ${JSON.stringify(validate.errors)}`);
  });
});
