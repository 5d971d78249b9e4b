import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { signStandardWebhook } from '../../../bridge/src/providers/generic/verify.js';
import type { LocalState } from './start.js';

export interface DemoSendOptions {
  readonly dataDir: string;
  readonly thread: string;
  readonly from: string;
}

/** Reads the running system's local.json; a readable error when `npm start` is not running. */
export function readLocalState(dataDir: string): LocalState {
  const file = path.join(dataDir, 'local.json');
  if (!fs.existsSync(file)) throw new Error(`${file} does not exist: start the system with "npm start" first`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as LocalState;
}

/** What `demo send` did: the message's id and where it shows. */
export interface DemoSent {
  readonly messageId: string;
  readonly inbox: string;
}

export const formatDemoSent = (sent: DemoSent) => `sent ${sent.messageId}; it shows in ${sent.inbox} within a moment`;

/** Sends one signed generic webhook as a customer would, to the first generic demo account. */
export async function demoSend(text: string, options: DemoSendOptions): Promise<DemoSent> {
  const state = readLocalState(options.dataDir);
  const account = state.accounts.find((a) => a.provider === 'generic');
  if (!account) throw new Error('no generic demo account in local.json (live mode has none)');
  const messageId = `demo-${randomUUID()}`;
  const body = JSON.stringify({
    type: 'message.created',
    timestamp: new Date().toISOString(),
    data: {
      messageId,
      threadKey: options.thread,
      sender: { id: options.thread, name: options.from },
      text,
      attachments: [],
      sentAt: new Date().toISOString(),
    },
  });
  const id = `msg_${randomUUID()}`;
  const ts = Math.floor(Date.now() / 1000);
  const res = await fetch(account.webhookUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(ts),
      'webhook-signature': signStandardWebhook(account.secret, id, ts, body),
    },
    body,
  });
  if (!res.ok) throw new Error(`the bridge answered ${res.status}: ${await res.text()}`);
  return { messageId, inbox: state.urls.hubspotInbox ?? 'HubSpot' };
}
