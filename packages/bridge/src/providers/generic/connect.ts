import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { ConnectSpec } from '../module.js';

/**
 * A generic connector, by the callback URL replies go to: one Standard Webhooks endpoint verifies one signing secret,
 * so a second account posting there with its own secret breaks the first ([INFERRED] from the Standard Webhooks
 * spec's one-secret-per-endpoint model). A connection without a callback URL shares nothing and has no identity.
 */
export function genericCallbackIdentity(callbackUrl: string | undefined): string | undefined {
  if (!callbackUrl) return undefined;
  let url: URL;
  try {
    url = new URL(callbackUrl);
  } catch {
    return undefined;
  }
  url.hash = ''; // never sent to the server; scheme, host and default port are normalised by URL itself
  return `generic:callback:${url.href}`;
}

const form = z.object({
  accountName: z
    .string({ required_error: 'Give the account a name, as reps will see it in HubSpot.' })
    .trim()
    .min(1, 'Give the account a name, as reps will see it in HubSpot.')
    .max(100, 'The account name must be at most 100 characters.'),
  callbackUrl: z
    .union([
      z.literal(''),
      z
        .string()
        .trim()
        .url('The callback URL must be an absolute http(s) URL, e.g. https://connector.example.com/replies.'),
    ])
    .optional(),
});

/** Nothing to check live: the connector gets a fresh signing secret and the bridge's webhook URL to post to. */
export const genericConnect: ConnectSpec<unknown, typeof form> = {
  choice: 'another service',
  label: 'Any service',
  legend: 'Any service with signed webhooks',
  fieldsHtml: `<p class="hint">Your connector posts customer messages to the bridge and takes replies at its callback URL.</p>
<label>Account name <input type="text" name="accountName" required maxlength="100"></label>
<label>Callback URL for replies (optional) <input type="url" name="callbackUrl" placeholder="https://connector.example.com/replies"></label>
<button type="submit">Connect service</button>`,
  form,
  async setup(input, ctx) {
    const deliveryIdentifier = { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: `generic:${ctx.connectionId}` } as const;
    const what = `The connector with the callback URL ${input.callbackUrl}`;
    await ctx.claim({
      identity: genericCallbackIdentity(input.callbackUrl),
      deliveryIdentifier,
      name: input.accountName,
      what,
    });
    const signingSecret = `whsec_${randomBytes(24).toString('base64')}`;
    return {
      accountName: input.accountName,
      deliveryIdentifier,
      credentials: { signingSecret, ...(input.callbackUrl ? { callbackUrl: input.callbackUrl } : {}) },
      shown: [
        { label: 'Webhook URL (your connector posts customer messages here)', value: ctx.webhookUrl },
        { label: 'Signing secret (Standard Webhooks)', value: signingSecret, secret: true },
        ...(input.callbackUrl ? [{ label: 'Replies are delivered to', value: input.callbackUrl }] : []),
      ],
      undo: () => ctx.release(),
    };
  },
};
