import { z } from 'zod';
import type { HttpFetch } from '../types.js';
import { graphContext, graphJson, graphUrl, type GraphSettings } from './graph.js';

const successSchema = z.object({ success: z.boolean() }).passthrough();

/**
 * Marks a customer's message read (blue ticks on their phone): `POST /{phone-number-id}/messages`
 * `{messaging_product, status: 'read', message_id}`, a request shape apart from `Message`. Optional
 * courtesy for when a rep opens the thread; throws ProviderError.
 */
export async function markMessageRead(
  settings: GraphSettings & { readonly phoneNumberId: string },
  deps: { readonly fetch: HttpFetch },
  wamid: string,
): Promise<void> {
  const ctx = graphContext(settings, deps.fetch);
  await graphJson(ctx, graphUrl(ctx, `${encodeURIComponent(settings.phoneNumberId)}/messages`), successSchema, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ messaging_product: 'whatsapp', status: 'read', message_id: wamid }),
  });
}
