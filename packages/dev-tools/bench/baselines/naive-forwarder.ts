import express from 'express';
import { Webhook } from 'standardwebhooks';

// Baseline (b): the naive bridge. It checks the signature, then publishes to HubSpot inside the request and answers
// with HubSpot's outcome. Nothing is durable: a crash or a HubSpot outage loses the message.
const env = (name: string) =>
  process.env[name] ??
  (() => {
    throw new Error(`${name} is required`);
  })();
const hubspot = env('NAIVE_HUBSPOT_URL');
const channelId = env('NAIVE_CHANNEL_ID');
const channelAccountId = env('NAIVE_CHANNEL_ACCOUNT_ID');
const token = env('NAIVE_ACCESS_TOKEN');
const webhook = new Webhook(env('NAIVE_SIGNING_SECRET'));

interface GenericEvent {
  data: { messageId: string; threadKey: string; sender: { id: string; name?: string }; text?: string; sentAt: string };
}

const app = express();
app.post('/webhook', express.raw({ type: 'application/json' }), async (req, res) => {
  let event: GenericEvent;
  try {
    event = webhook.verify(req.body as Buffer, req.headers as Record<string, string>) as GenericEvent;
  } catch (error) {
    return void res.status(401).json({ error: (error as Error).message });
  }
  const key = `naive:${event.data.messageId}`;
  const published = await fetch(`${hubspot}/conversations/v3/custom-channels/${channelId}/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      text: event.data.text ?? '',
      messageDirection: 'INCOMING',
      channelAccountId,
      senders: [
        {
          name: event.data.sender.name ?? event.data.sender.id,
          deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: event.data.sender.id },
        },
      ],
      recipients: [
        { name: 'Bench', deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'generic-demo' } },
      ],
      timestamp: event.data.sentAt,
      integrationThreadId: `naive:${event.data.threadKey}`,
      integrationIdempotencyId: key,
      attachments: [],
    }),
  }).catch((error: Error) => ({ ok: false, status: 502, text: async () => error.message }));
  if (!published.ok)
    return void res.status(502).json({ error: `HubSpot answered ${published.status}: ${await published.text()}` });
  res.json({ workflowId: key });
});
app.listen(Number(env('NAIVE_PORT')), '127.0.0.1', () =>
  console.log(JSON.stringify({ msg: 'naive forwarder listening' })),
);
