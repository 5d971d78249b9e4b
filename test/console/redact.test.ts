import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactSecrets } from '../../packages/bridge/src/api/console/redact.js';

describe('redactSecrets, the console pages’ last guard', () => {
  it('replaces every stored secret a provider echoed, as written and as HTML-escaped, longest first', () => {
    const token = '123456:AAbot-token-secret';
    const quoted = `a"b'c<d>&e-secret`;
    const page = `<p>https://api.telegram.org/bot${token}/getWebhookInfo failed</p><p>${quoted.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)}</p><p>${token.slice(0, 6)}</p>`;
    const out = redactSecrets(page, [token.slice(0, 10), token, quoted]);
    assert.equal(
      out,
      '<p>https://api.telegram.org/bot[secret hidden]/getWebhookInfo failed</p><p>[secret hidden]</p><p>123456</p>',
    );
  });

  it('leaves values too short to be secrets, so ordinary words survive', () => {
    assert.equal(redactSecrets('<p>on true 1234567</p>', ['on', 'true', '1234567']), '<p>on true 1234567</p>');
  });
});
