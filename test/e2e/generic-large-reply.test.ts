import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { INLINE_MAX_BYTES } from '../../packages/bridge/src/providers/generic/wire-types.js';
import type { AccountWithCredentials } from '../../packages/bridge/src/store/types.js';
import { connectAccount, startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { GENERIC_SECRET, startGenericEmulator } from '../helpers/generic-emulator.js';
import { openThread, replyAsRep, uploadRepFile, waitForStatus } from '../helpers/outbound-world.js';
import { waitFor } from '../helpers/temporal.js';

interface Attachment {
  readonly filename: string;
  readonly sizeBytes: number;
  readonly url?: string;
  readonly dataBase64?: string;
}
interface Received {
  readonly answered: number;
  readonly event: { type: string; data: { threadKey: string; attachments?: Attachment[] } };
}

/**
 * docs/GENERIC_PROVIDER.md §5.2: reply files over the inline limit go to the connector as signed links the bridge
 * serves.
 */
describe('outbound: a large reply file to a generic connector', () => {
  let bridge: TestBridge;
  let emulator: Awaited<ReturnType<typeof startGenericEmulator>>;
  let account: AccountWithCredentials;

  before(async () => {
    emulator = await startGenericEmulator({ autoReceipts: ['delivered'] });
    // The connector listens on loopback, which the bridge refuses unless allowed (sandboxes only).
    bridge = await startTestBridge({
      mediaLinks: true,
      outbound: { providerEndpoints: { allowPrivateMediaHosts: ['127.0.0.1'] } },
    });
    account = await connectAccount(bridge, 'generic', {
      signingSecret: GENERIC_SECRET,
      callbackUrl: emulator.callbackUrl,
    });
    const res = await emulator.control(
      '/config',
      { bridgeUrl: `${bridge.apiUrl}/webhooks/generic/${account.accountId}` },
      'PUT',
    );
    assert.ok(res.ok);
  });
  after(async () => {
    await bridge?.stop();
    await emulator?.close();
  });

  const attachmentsTo = async (threadKey: string) =>
    waitFor(async () => {
      const { events } = (await (await emulator.control('/received')).json()) as { events: Received[] };
      // The reply's text and its file are two parts (nothing is a caption to a connector): the file's event.
      const got = events.find(
        (r) =>
          r.answered === 200 &&
          r.event.type === 'message.created' &&
          r.event.data.threadKey === threadKey &&
          r.event.data.attachments?.length,
      );
      return got?.event.data.attachments;
    }, 60_000);

  it('sends a 300 KiB file as a URL the connector downloads, and a small one still inline', async () => {
    const threadId = await openThread(bridge, account, 'large-thread', {
      type: 'CHANNEL_SPECIFIC_OPAQUE_ID',
      value: 'large-customer',
    });
    const big = Buffer.alloc(300 * 1024, 0x42);
    assert.ok(big.length > INLINE_MAX_BYTES);
    const fileId = await uploadRepFile(
      bridge,
      'manual.pdf',
      'application/pdf',
      Buffer.concat([Buffer.from('%PDF-1.4\n'), big]),
    );
    const replyId = await replyAsRep(bridge, threadId, { text: 'The manual', fileIds: [fileId] });
    await waitForStatus(bridge, replyId, 'SENT', 60_000);

    const [attachment] = await attachmentsTo('large-thread');
    assert.equal(attachment?.dataBase64, undefined);
    assert.match(
      attachment?.url ?? '',
      new RegExp(`^${bridge.apiUrl}/media-links/[0-9a-f]{32}/manual\\.pdf\\?expires=\\d+&sig=`),
    );
    const download = await fetch(attachment!.url!);
    assert.equal(download.status, 200);
    assert.equal(download.headers.get('content-type'), 'application/pdf');
    const bytes = Buffer.from(await download.arrayBuffer());
    assert.equal(bytes.length, attachment!.sizeBytes);
    assert.deepEqual(bytes.subarray(9), big);

    const tampered = new URL(attachment!.url!);
    tampered.searchParams.set('expires', String(Number(tampered.searchParams.get('expires')) + 60));
    assert.equal((await fetch(tampered)).status, 403, 'the link is signed');

    const smallThread = await openThread(bridge, account, 'small-thread', {
      type: 'CHANNEL_SPECIFIC_OPAQUE_ID',
      value: 'small-customer',
    });
    const small = await uploadRepFile(bridge, 'note.txt', 'text/plain', Buffer.from('a small note'));
    await waitForStatus(
      bridge,
      await replyAsRep(bridge, smallThread, { text: 'Note', fileIds: [small] }),
      'SENT',
      60_000,
    );
    const [inline] = await attachmentsTo('small-thread');
    assert.equal(inline?.url, undefined);
    assert.equal(Buffer.from(inline?.dataBase64 ?? '', 'base64').toString(), 'a small note');
  });
});
