import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertMatches, SchemaMismatch } from '../helpers/hubspot-schemas.js';

// Worked examples of a channel, a published message and an outgoing event, shaped as HubSpot's Custom Channels guide
// and reference describe them, must pass; known mistakes must not.
const channel = {
  name: 'Acme Messenger',
  webhookUrl: 'https://bridge.example.com/hubspot/webhook',
  channelAccountConnectionRedirectUrl: 'https://bridge.example.com/hubspot/connect',
  capabilities: {
    deliveryIdentifierTypes: ['CHANNEL_SPECIFIC_OPAQUE_ID'],
    threadingModel: 'INTEGRATION_THREAD_ID',
    richText: ['HYPERLINK'],
    allowOutgoingMessages: true,
    maxFileAttachmentCount: 5,
  },
};
const egg = {
  text: 'Hi, where is order 1042?',
  richText: '<p>Hi, where is order 1042?</p>',
  messageDirection: 'INCOMING',
  channelAccountId: '987654',
  integrationThreadId: 'acme:conv:55501',
  integrationIdempotencyId: 'inbound:987654:9911223',
  timestamp: '2026-05-01T10:15:00Z',
  senders: [{ name: 'Jane Doe', deliveryIdentifier: { type: 'HS_PHONE_NUMBER', value: '+15551234567' } }],
  recipients: [
    { name: 'Acme Support', deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'acme-bot-42' } },
  ],
  attachments: [{ type: 'FILE', fileId: '187654321', fileUsageType: 'VOICE_RECORDING' }],
};
const outgoing = {
  type: 'OUTGOING_CHANNEL_MESSAGE_CREATED',
  portalId: '243842089',
  channelId: '1234',
  eventId: 'e-1',
  eventTimestamp: '2026-05-01T10:20:00Z',
  channelIntegrationThreadIds: ['acme:conv:55501'],
  message: {
    id: 'a8f0',
    type: 'MESSAGE',
    direction: 'OUTGOING',
    channelId: '1234',
    channelAccountId: '987654',
    conversationsThreadId: '8123456789',
    createdAt: '2026-05-01T10:20:00Z',
    createdBy: 'A-4455',
    archived: false,
    client: { clientType: 'HUBSPOT', integrationAppId: 42 },
    senders: [
      {
        actorId: 'A-4455',
        name: 'Sam Rep',
        deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'acme-bot-42' },
      },
    ],
    recipients: [
      { actorId: 'V-12345', name: 'Jane Doe', deliveryIdentifier: { type: 'HS_PHONE_NUMBER', value: '+15551234567' } },
    ],
    text: 'Sorry about that, checking now.',
    truncationStatus: 'NOT_TRUNCATED',
    status: { statusType: 'SENT' },
    attachments: [
      {
        type: 'FILE',
        fileId: '188888888',
        fileUsageType: 'OTHER',
        name: 'label.pdf',
        url: 'https://files.example.com/label.pdf',
      },
    ],
  },
};

const rejects = (ref: string, data: unknown) => assert.throws(() => assertMatches(ref, data), SchemaMismatch);

describe("the project's HubSpot schemas", () => {
  it("accept the reference's channel, message and outgoing-event examples", () => {
    assertMatches('custom-channels#ChannelCreate', channel);
    assertMatches('custom-channels#MessageEgg', egg);
    assertMatches('webhooks#OutgoingChannelMessageCreated', outgoing);
    assertMatches('webhooks#Event', outgoing);
  });

  it('refuse deliveryIdentifierTypes as objects, a VIDEO fileUsageType and a message without attachments', () => {
    rejects('custom-channels#ChannelCreate', {
      ...channel,
      capabilities: { deliveryIdentifierTypes: [{ type: 'HS_EMAIL_ADDRESS', value: 'a@b.c' }] },
    });
    rejects('custom-channels#MessageEgg', {
      ...egg,
      attachments: [{ type: 'FILE', fileId: '1', fileUsageType: 'VIDEO' }],
    });
    const { attachments: _attachments, ...withoutAttachments } = egg;
    rejects('custom-channels#MessageEgg', withoutAttachments);
  });

  it('refuse a status update HubSpot does not know and an integer integrationAppId as a string', () => {
    assertMatches('custom-channels#MessageStatusUpdate', { statusType: 'FAILED', errorMessage: 'blocked' });
    rejects('custom-channels#MessageStatusUpdate', { statusType: 'RECEIVED' });
    rejects('webhooks#OutgoingChannelMessageCreated', {
      ...outgoing,
      message: { ...outgoing.message, client: { clientType: 'HUBSPOT', integrationAppId: '42' } },
    });
  });

  it('take HubSpot error bodies and refuse one without a correlationId', () => {
    assertMatches('common#Error', {
      message: 'One or more Channel Capabilities specified had invalid values',
      correlationId: '0f7e2ea8-4c5e-4a5e-9f44-6e7f3f0a2b11',
      category: 'VALIDATION_ERROR',
      subCategory: 'CustomChannelsError.INVALID_CHANNEL_CAPABILITY_VALUES',
    });
    rejects('common#Error', { message: 'x', category: 'VALIDATION_ERROR' });
  });

  it('tell an authorization_code request without its code from a valid refresh request', () => {
    assertMatches('oauth#TokenRequest', {
      grant_type: 'refresh_token',
      client_id: 'c',
      client_secret: 's',
      refresh_token: 'r',
    });
    rejects('oauth#TokenRequest', {
      grant_type: 'authorization_code',
      client_id: 'c',
      client_secret: 's',
      redirect_uri: 'https://x',
    });
  });
});
