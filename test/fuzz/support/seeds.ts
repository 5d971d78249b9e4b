import fs from 'node:fs';
import path from 'node:path';
import type { Shape } from './json-mutations.js';

const fixtures = path.resolve(import.meta.dirname, '../../fixtures');

function readAll(dir: string): Shape[] {
  const folder = path.join(fixtures, dir);
  return fs
    .readdirSync(folder)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(folder, f), 'utf8')) as Shape);
}

/** The recorded payloads every mutation starts from: what each sender really sends. */
export const telegramSeeds = (): Shape[] => readAll('telegram');
export const whatsappSeeds = (): Shape[] => readAll('whatsapp');
/** The phone number id of the WhatsApp fixtures (all but other-phone-number.json). */
export const WHATSAPP_PHONE_NUMBER_ID = '106540352242922';
export const genericSeeds = (): Shape[] => readAll('generic/valid');

/** HubSpot's webhook events as the sandbox sends them (packages/sandbox/src/hubspot/webhooks.ts). */
export function hubspotSeeds(): Shape[] {
  const outgoing = {
    type: 'OUTGOING_CHANNEL_MESSAGE_CREATED',
    eventId: '5f1c7a52-1d3e-4f4e-9a51-0d6f3b2d6b11',
    eventTimestamp: '2026-05-01T10:15:00.000Z',
    portalId: 243842089,
    channelId: '1234',
    channelIntegrationThreadIds: ['987654:55501'],
    message: {
      id: 'a3f0c1d2e4b5',
      type: 'MESSAGE',
      direction: 'OUTGOING',
      channelId: '1234',
      channelAccountId: '987654',
      createdAt: '2026-05-01T10:15:00.000Z',
      senders: [{ actorId: 'A-1', name: 'Rep' }],
      recipients: [{ actorId: 'V-1', deliveryIdentifier: { type: 'HS_PHONE_NUMBER', value: '+15551234567' } }],
      text: 'Checking now',
      richText: '<p>Checking <b>now</b></p>',
      attachments: [{ type: 'FILE', fileId: '188888888', fileUsageType: 'OTHER', name: 'label.pdf' }],
    },
  };
  const account = (type: string) => ({
    type,
    eventId: '8c0e1b7e-7f0a-4d57-a7d2-3b6f0e1c9a22',
    eventTimestamp: '2026-05-01T10:15:00.000Z',
    portalId: 243842089,
    channelId: 1234,
    channelAccountId: 987654,
    channelAccountDeliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'telegram:1' },
  });
  return [
    outgoing,
    account('CHANNEL_ACCOUNT_CREATED'),
    account('CHANNEL_ACCOUNT_UPDATED'),
    account('CHANNEL_ACCOUNT_PURGED'),
    { type: 'CONVERSATION_CREATED', eventId: '1', portalId: 243842089 },
    [outgoing, account('CHANNEL_ACCOUNT_UPDATED')],
  ];
}
