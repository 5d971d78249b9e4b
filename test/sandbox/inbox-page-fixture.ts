import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { createHubSpotSandbox } from '../../packages/sandbox/src/hubspot/app.js';
import {
  createHubSpotSandboxState,
  type HubSpotSandboxState,
  type SandboxOptions,
} from '../../packages/sandbox/src/hubspot/state.js';
import { listen } from '../helpers/bridge.js';
import { launchBrowser } from '../helpers/browser.js';

/** Capabilities of a channel that carries formatting and files, like the bridge's. */
export const CAPABILITIES = {
  deliveryIdentifierTypes: ['HS_PHONE_NUMBER', 'CHANNEL_SPECIFIC_OPAQUE_ID'],
  threadingModel: 'INTEGRATION_THREAD_ID',
  richText: ['HYPERLINK', 'BOLD', 'ITALIC', 'LISTS'],
  allowOutgoingMessages: true,
  outgoingAttachmentTypes: ['FILE'],
  allowedFileAttachmentMimeTypes: ['image/*', 'audio/*', 'video/*', 'application/pdf', 'text/plain'],
  maxFileAttachmentCount: 5,
  maxFileAttachmentSizeBytes: 200_000,
  maxTotalFileAttachmentSizeBytes: 1_000_000,
};

/** A real sandbox on a loopback port, a channel registered through its API, and a headless Chromium page. */
export async function startInbox(options: SandboxOptions = {}, channel: Record<string, unknown> = {}) {
  const state: HubSpotSandboxState = createHubSpotSandboxState(options);
  const { server, url } = await listen(createHubSpotSandbox(state));
  const portal = [...state.portals.values()][0]!;
  const auth = { 'content-type': 'application/json', authorization: `Bearer ${portal.accessToken}` };
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: auth,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const registered = await fetch(
    `${url}/conversations/v3/custom-channels?hapikey=${state.app.developerApiKey}&appId=${state.app.appId}`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Acme Messenger', capabilities: CAPABILITIES, ...channel }),
    },
  );
  const channelId = ((await registered.json()) as { id: string }).id;
  const browser: Browser = await launchBrowser();
  const page: Page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(20_000);
  // A script error on the page fails the test that caused it, instead of surfacing as a timeout.
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));

  const fixture = {
    state,
    url,
    portal,
    channelId,
    browser,
    page,
    api,
    pageErrors,
    /** A channel account, created with the portal's token as an integration does. */
    async createAccount(name: string) {
      const body = {
        inboxId: portal.inboxId,
        name,
        authorized: true,
        deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: `bot-${randomUUID()}` },
      };
      return (await api('POST', `/conversations/v3/custom-channels/${channelId}/channel-accounts`, body)) as {
        id: string;
        name: string;
      };
    },
    /** Another inbox of the portal, as an admin adds one in HubSpot's settings. */
    async createInbox(name: string) {
      const res = await fetch(`${url}/_sandbox/inboxes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name }),
      });
      if (res.status !== 201) throw new Error(`inbox refused: ${res.status} ${await res.text()}`);
      return (await res.json()) as { id: string; name: string };
    },
    /** A rep's reply, through the sandbox's rep route (what the page's Send does). */
    async reply(threadId: string, text: string) {
      const res = await fetch(`${url}/_sandbox/threads/${threadId}/replies`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text }),
      });
      if (res.status !== 201) throw new Error(`reply refused: ${res.status} ${await res.text()}`);
      return (await res.json()) as { id: string };
    },
    /** A customer's message, published through the Custom Channels API as the bridge publishes it. */
    async publish(
      accountId: string,
      m: { thread: string; name: string; phone: string; text: string; attachments?: unknown[] },
    ) {
      const body = {
        text: m.text,
        messageDirection: 'INCOMING',
        channelAccountId: accountId,
        integrationThreadId: m.thread,
        integrationIdempotencyId: randomUUID(),
        timestamp: new Date().toISOString(),
        senders: [{ name: m.name, deliveryIdentifier: { type: 'HS_PHONE_NUMBER', value: m.phone } }],
        recipients: [{ deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'bot' } }],
        attachments: m.attachments ?? [],
      };
      return (await api('POST', `/conversations/v3/custom-channels/${channelId}/messages`, body)) as {
        id: string;
        conversationsThreadId: string;
      };
    },
    /** Uploads bytes through the real Files API, as the bridge stores a customer's media. */
    async uploadFile(name: string, contentType: string, bytes: Buffer) {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(bytes)], { type: contentType }), name);
      form.append('folderPath', '/inbound');
      form.append('options', JSON.stringify({ access: 'PRIVATE' }));
      const res = await fetch(`${url}/files/v3/files`, {
        method: 'POST',
        headers: { authorization: auth.authorization },
        body: form,
      });
      if (res.status !== 201) throw new Error(`upload refused: ${res.status} ${await res.text()}`);
      return (await res.json()) as { id: string };
    },
    /**
     * The status the integration reports for a message
     * (https://developers.hubspot.com/docs/api-reference/latest/conversations/custom-channels/messages/update-custom-channel).
     */
    setStatus(messageId: string, status: { statusType: 'SENT' | 'FAILED' | 'READ'; errorMessage?: string }) {
      return api('PATCH', `/conversations/v3/custom-channels/${channelId}/messages/${messageId}`, status);
    },
    async close() {
      await browser.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  return fixture;
}

export type InboxFixture = Awaited<ReturnType<typeof startInbox>>;

/** A short WAV tone (16-bit mono PCM), a file Chromium can decode and play. */
export function wavTone(seconds: number, hz = 440): Buffer {
  const rate = 8000;
  const samples = Math.round(seconds * rate);
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i += 1)
    data.writeInt16LE(Math.round(Math.sin((2 * Math.PI * hz * i) / rate) * 8000), i * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/**
 * A PNG and a short WebM video drawn by Chromium itself (canvas, MediaRecorder): real media files without
 * binary fixtures in the repo. Runs in a blank page of the same browser.
 */
export async function drawMedia(browser: Browser): Promise<{ png: Buffer; sticker: Buffer; webm: Buffer }> {
  const page = await browser.newPage();
  try {
    const out = (await page.evaluate(`(async () => {
      const toBase64 = async (blob) => { const b = new Uint8Array(await blob.arrayBuffer()); let s = ''; for (const x of b) s += String.fromCharCode(x); return btoa(s); };
      const canvas = document.createElement('canvas');
      canvas.width = 320; canvas.height = 180;
      const ctx = canvas.getContext('2d');
      const paint = (hue) => { const g = ctx.createLinearGradient(0, 0, 320, 180); g.addColorStop(0, 'hsl(' + hue + ',70%,55%)'); g.addColorStop(1, 'hsl(' + (hue + 60) + ',70%,35%)'); ctx.fillStyle = g; ctx.fillRect(0, 0, 320, 180); ctx.fillStyle = '#fff'; ctx.font = 'bold 28px sans-serif'; ctx.fillText('Order 1042', 90, 100); };
      paint(200);
      const png = await toBase64(await new Promise((r) => canvas.toBlob(r, 'image/png')));
      const small = document.createElement('canvas'); small.width = 96; small.height = 96;
      const s = small.getContext('2d'); s.font = '80px sans-serif'; s.fillStyle = '#f5a623'; s.beginPath(); s.arc(48, 48, 44, 0, 7); s.fill(); s.fillStyle = '#333'; s.fillRect(30, 30, 10, 14); s.fillRect(56, 30, 10, 14); s.fillRect(28, 62, 40, 6);
      const sticker = await toBase64(await new Promise((r) => small.toBlob(r, 'image/png')));
      const recorder = new MediaRecorder(canvas.captureStream(20), { mimeType: 'video/webm' });
      const chunks = []; recorder.ondataavailable = (e) => chunks.push(e.data);
      recorder.start(); let hue = 0; const timer = setInterval(() => paint(hue += 15), 50);
      await new Promise((r) => setTimeout(r, 800)); recorder.stop(); clearInterval(timer);
      await new Promise((r) => (recorder.onstop = r));
      return { png, sticker, webm: await toBase64(new Blob(chunks, { type: 'video/webm' })) };
    })()`)) as { png: string; sticker: string; webm: string };
    return {
      png: Buffer.from(out.png, 'base64'),
      sticker: Buffer.from(out.sticker, 'base64'),
      webm: Buffer.from(out.webm, 'base64'),
    };
  } finally {
    await page.close();
  }
}
