import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { SandboxFile, SandboxMessage } from '../../../packages/sandbox/src/hubspot/records.js';
import { connectAccount, startTestBridge, type TestBridge } from '../../helpers/bridge.js';
import { GENERIC_SECRET, startGenericEmulator } from '../../helpers/generic-emulator.js';
import { messageCreated, signedGenericRequest } from '../../helpers/generic-sender.js';
import {
  openThread,
  replyAsRep,
  statusUpdates,
  uploadRepFile,
  type StatusUpdate,
} from '../../helpers/outbound-world.js';
import { waitFor } from '../../helpers/temporal.js';
import { startMediaHost } from './media-host.js';

/** What the connector received for one attachment of a reply. */
export interface DeliveredFile {
  readonly kind: string;
  readonly contentType: string;
  readonly filename: string;
  readonly bytes: Buffer;
}

/**
 * The whole bridge (api, Temporal, worker) with files both ways, read from the real ledgers: a
 * customer's attachment, fetched from a media host on loopback, lands in the HubSpot sandbox's Files;
 * a rep's attachment, from the sandbox's Files, reaches the generic connector emulator.
 */
export async function startMediaWorld() {
  const host = await startMediaHost();
  const connector = await startGenericEmulator();
  // The media host and the connector listen on loopback: allowed here as BRIDGE_ALLOW_PRIVATE_MEDIA_HOSTS would.
  // WhatsApp checks a file's format before any call, so its Graph endpoint is never reached here.
  const providerEndpoints = {
    allowPrivateMediaHosts: ['127.0.0.1'],
    settings: { whatsapp: { graphBaseUrl: 'http://127.0.0.1:9' } },
  };
  const bridge: TestBridge = await startTestBridge({ inbound: { providerEndpoints } });
  const accounts = {
    generic: await connectAccount(bridge, 'generic', {
      signingSecret: GENERIC_SECRET,
      callbackUrl: connector.callbackUrl,
    }),
    whatsapp: await connectAccount(bridge, 'whatsapp', {
      phoneNumberId: '106540352242922',
      accessToken: 'EAAG-media-token',
      appSecret: 'a',
      verifyToken: 'v',
    }),
  };
  const threads = new Map<keyof typeof accounts, string>();
  const threadOf = async (via: keyof typeof accounts) => {
    let thread = threads.get(via);
    if (!thread) {
      const customer =
        via === 'whatsapp'
          ? { type: 'HS_PHONE_NUMBER' as const, value: '+447700900999' }
          : { type: 'CHANNEL_SPECIFIC_OPAQUE_ID' as const, value: `media-${randomUUID()}` };
      threads.set(via, (thread = await openThread(bridge, accounts[via], customer.value.replace('+', ''), customer)));
    }
    return thread;
  };

  return {
    bridge,
    host,
    /** Serves `bytes` as the media host would (declared `contentType`, no encoding); returns its loopback URL. */
    serve(name: string, bytes: Buffer, contentType: string): string {
      return host.serveFile(`${randomUUID()}-${name}`, bytes, contentType).replace('media.test', '127.0.0.1');
    },

    /** A customer sends one attachment through the generic webhook; resolves with what HubSpot published and stored. */
    async customerSends(attachment: {
      kind: string;
      url: string;
      contentType: string;
      filename: string;
    }): Promise<{ message: SandboxMessage; files: SandboxFile[] }> {
      const text = `attachment ${randomUUID()}`;
      const payload = messageCreated({ text });
      const request = signedGenericRequest(bridge.signingSecret, {
        ...payload,
        data: { ...payload.data, attachments: [attachment] },
      });
      const res = await fetch(`${bridge.apiUrl}/webhooks/generic/${bridge.account.accountId}`, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
      });
      assert.equal(res.status, 200, await res.clone().text());
      const message = await waitFor(
        () => [...bridge.sandboxState.messages.values()].find((m) => m.text.includes(text)),
        60_000,
        'the message in HubSpot',
      );
      const files = message.attachments.flatMap((a) =>
        a.type === 'FILE' ? [bridge.sandboxState.files.get(String(a.fileId))!] : [],
      );
      return { message, files };
    },

    /** A rep replies with one file; resolves with HubSpot's status updates and what the generic connector received. */
    async repSends(
      filename: string,
      contentType: string,
      bytes: Buffer,
      via: keyof typeof accounts = 'generic',
    ): Promise<{ statuses: StatusUpdate[]; delivered: DeliveredFile[] }> {
      const fileId = await uploadRepFile(bridge, filename, contentType, bytes);
      const messageId = await replyAsRep(bridge, await threadOf(via), { fileIds: [fileId] });
      const statuses = await waitFor(
        async () => {
          const updates = await statusUpdates(bridge, messageId);
          return updates.some((u) => u.statusType === 'SENT' || u.statusType === 'FAILED') ? updates : undefined;
        },
        60_000,
        `SENT or FAILED on ${messageId}`,
      );
      const received = (
        (await (await connector.control('/received')).json()) as {
          events: {
            answered: number;
            duplicate: boolean;
            event?: {
              type: string;
              data: { attachments?: { kind: string; contentType: string; filename: string; dataBase64?: string }[] };
            };
          }[];
        }
      ).events;
      const delivered = received
        .filter((r) => r.answered < 300 && !r.duplicate && r.event?.type === 'message.created')
        .flatMap((r) => r.event!.data.attachments ?? [])
        .filter((a) => a.filename === filename || a.filename.startsWith(filename.replace(/\.[^.]+$/, '')))
        .map((a) => ({
          kind: a.kind,
          contentType: a.contentType,
          filename: a.filename,
          bytes: Buffer.from(a.dataBase64 ?? '', 'base64'),
        }));
      return { statuses, delivered };
    },

    async stop() {
      await bridge.stop();
      await connector.close();
      await host.close();
    },
  };
}
export type MediaWorld = Awaited<ReturnType<typeof startMediaWorld>>;
