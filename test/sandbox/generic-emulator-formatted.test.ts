import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import type { ReceivedEvent } from '../../packages/sandbox/src/generic/state.js';
import type { TimelineItem } from '../../packages/sandbox/src/generic/timeline.js';
import { GENERIC_SECRET, startGenericEmulator } from '../helpers/generic-emulator.js';

// The reference connector keeps a reply's formatted body, and hands the page a copy sanitised again (§ 4.3).
describe('generic emulator: formatted replies', () => {
  let emulator: Awaited<ReturnType<typeof startGenericEmulator>>;
  before(async () => {
    emulator = await startGenericEmulator();
  });
  after(() => emulator.close());

  const deliver = (data: Record<string, unknown>, id = `msg_${Math.random().toString(36).slice(2)}`) => {
    const body = JSON.stringify({
      type: 'message.created',
      timestamp: new Date().toISOString(),
      data: { sender: { id: 'bridge:555' }, sentAt: new Date().toISOString(), ...data },
    });
    const at = new Date();
    const headers = {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(GENERIC_SECRET).sign(id, at, body),
    };
    return fetch(emulator.callbackUrl, { method: 'POST', headers, body });
  };
  const timeline = async (thread: string) =>
    (
      (await (await fetch(`${emulator.url}/_sandbox/generic/timeline?thread=${thread}`)).json()) as {
        items: TimelineItem[];
      }
    ).items;

  it("records the formatted body as received and shows it on the thread's timeline beside the text", async () => {
    const formatted = {
      format: 'html',
      body: '<p>On <b>it</b>, <i>see</i> <a href="https://example.com/t">ticket</a></p>',
    };
    assert.equal(
      (
        await deliver({
          messageId: 'msg_f1',
          threadKey: 'fmt-1',
          text: 'On it, see ticket (https://example.com/t)',
          formatted,
        })
      ).status,
      200,
    );
    const { events } = (await (await emulator.control('/received')).json()) as { events: ReceivedEvent[] };
    assert.deepEqual((events.at(-1)?.event?.data as { formatted?: unknown }).formatted, formatted);
    const [item] = await timeline('fmt-1');
    assert.equal(item?.direction, 'bridge');
    assert.equal(item?.text, 'On it, see ticket (https://example.com/t)');
    assert.deepEqual(item?.formatted, formatted);
  });

  it('shows the page only the subset, whatever a sender put in the body', async () => {
    const body =
      '<p onclick="x()"><b>Hi</b><script>alert(1)</script> <a href="javascript:alert(1)">click</a><iframe src="https://evil"></iframe></p>';
    assert.equal(
      (
        await deliver({
          messageId: 'msg_f2',
          threadKey: 'fmt-2',
          text: 'Hi click',
          formatted: { format: 'html', body },
        })
      ).status,
      200,
    );
    const [item] = await timeline('fmt-2');
    assert.deepEqual(item?.formatted, { format: 'html', body: '<p><b>Hi</b> click</p>' });
  });

  it('shows no formatting for a reply without a formatted body', async () => {
    assert.equal((await deliver({ messageId: 'msg_f3', threadKey: 'fmt-3', text: 'plain' })).status, 200);
    const [item] = await timeline('fmt-3');
    assert.equal(item?.text, 'plain');
    assert.equal(item && 'formatted' in item, false);
  });

  it('refuses a formatted body with no text beside it, or in a format it does not know, with 400', async () => {
    const file = [{ kind: 'file', contentType: 'text/plain', url: 'https://files.example.com/a.txt' }];
    const noText = await deliver({
      messageId: 'msg_f4',
      threadKey: 'fmt-4',
      formatted: { format: 'html', body: '<b>x</b>' },
      attachments: file,
    });
    assert.equal(noText.status, 400);
    assert.match(((await noText.json()) as { error: string }).error, /text: a message with formatted needs text too/);
    const markdown = await deliver({
      messageId: 'msg_f5',
      threadKey: 'fmt-4',
      text: 'hi',
      formatted: { format: 'markdown', body: '**hi**' },
    });
    assert.equal(markdown.status, 400);
  });
});
