import type { LocalSystem } from '../../src/local/system.js';
import type { BenchPortal } from '../portals.js';
import { genericMessage } from './webhooks.js';

/** A customer thread a rep can answer: one per seeded conversation. */
export interface ReplyThread {
  readonly portalId: string;
  readonly threadId: string;
}

/** One rep reply as the HubSpot sandbox created it; the bridge's `SENT` for it is written to `messageId`. */
export interface SentReply {
  readonly messageId: string;
  readonly portalId: string;
  readonly withFile: boolean;
  readonly at: number;
}

export interface ReplySpec {
  readonly count: number;
  readonly ratePerSecond: number;
  /**
   * Every n-th reply carries a file, so the bridge downloads it from HubSpot Files (a signed-URL read per download).
   */
  readonly fileEvery: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// A 1x1 PNG: small, and a type every provider carries.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  if (!res.ok)
    throw new Error(`POST ${new URL(url).pathname} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return res.json();
}

/**
 * `perPortal` customer conversations per portal, started through the bridge before the backlog (so their threads
 * exist for the rep to answer while it drains). Returns once HubSpot has every first message.
 */
export async function seedReplyThreads(
  system: LocalSystem,
  portals: readonly BenchPortal[],
  perPortal: number,
  tag: string,
): Promise<ReplyThread[]> {
  const markers = new Map<string, string>();
  for (const [p, portal] of portals.entries()) {
    for (let k = 0; k < perPortal; k++) {
      const text = `${tag} customer p${p} c${k}`;
      const planned = genericMessage(portal.account, { id: `${tag}-p${p}-c${k}`, thread: `${tag}-p${p}-c${k}`, text });
      await postJson(`${system.urls.api}${planned.path}`, planned.body, planned.headers);
      markers.set(text, portal.portalId);
    }
  }
  const deadline = Date.now() + 120_000;
  for (;;) {
    const { messages } = (await (await fetch(`${system.urls.hubspot}/_sandbox/messages`)).json()) as {
      messages: { direction: string; text: string; conversationsThreadId: string }[];
    };
    const found = messages.filter((m) => m.direction === 'INCOMING' && markers.has(m.text));
    if (found.length >= markers.size)
      return found.map((m) => ({ portalId: markers.get(m.text)!, threadId: m.conversationsThreadId }));
    if (Date.now() > deadline)
      throw new Error(`only ${found.length} of ${markers.size} seed messages reached HubSpot in 2 minutes`);
    await sleep(500);
  }
}

/** One file per portal in HubSpot Files, uploaded as a rep would (the sandbox's own route: no API call counted). */
export async function uploadRepFiles(
  hubspotUrl: string,
  portals: readonly BenchPortal[],
): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const portal of portals) {
    const form = new FormData();
    form.set('portalId', portal.portalId);
    form.set('file', new Blob([PNG], { type: 'image/png' }), 'receipt.png');
    const res = await fetch(`${hubspotUrl}/_sandbox/files`, { method: 'POST', body: form });
    if (res.status !== 201)
      throw new Error(`uploading a rep file answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    files.set(portal.portalId, ((await res.json()) as { id: string }).id);
  }
  return files;
}

/**
 * A rep answering the seeded threads round robin at a fixed rate (bounded in count and time), each `fileEvery`-th
 * reply with the portal's file. Every reply makes the bridge write statuses back, and a file reply download first:
 * HubSpot calls that share each portal's budget with the draining backlog.
 */
export async function replyWhileDraining(
  hubspotUrl: string,
  threads: readonly ReplyThread[],
  files: ReadonlyMap<string, string>,
  spec: ReplySpec,
  tag: string,
): Promise<SentReply[]> {
  const sent: SentReply[] = [];
  const startedAt = Date.now();
  for (let i = 0; i < spec.count; i++) {
    await sleep(startedAt + (i * 1000) / spec.ratePerSecond - Date.now());
    const thread = threads[i % threads.length]!;
    const withFile = spec.fileEvery > 0 && i % spec.fileEvery === 0;
    const body = { text: `${tag} reply ${i}`, ...(withFile ? { fileIds: [files.get(thread.portalId)!] } : {}) };
    const answer = (await postJson(`${hubspotUrl}/_sandbox/threads/${thread.threadId}/replies`, body)) as {
      id: string;
    };
    sent.push({ messageId: answer.id, portalId: thread.portalId, withFile, at: Date.now() });
  }
  return sent;
}
