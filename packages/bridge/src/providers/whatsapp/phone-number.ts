import { z } from 'zod';
import type { HttpFetch } from '../types.js';
import { graphContext, graphJson, graphUrl, type GraphSettings } from './graph.js';

const phoneNumberSchema = z
  .object({ id: z.string(), display_phone_number: z.string(), verified_name: z.string() })
  .passthrough();

export interface WhatsAppPhoneNumber {
  readonly id: string;
  readonly displayPhoneNumber: string;
  readonly verifiedName: string;
}

/**
 * `GET /{version}/{phone-number-id}?fields=display_phone_number,verified_name`: the connection flow
 * calls it to check the credentials an admin entered before saving them. Throws ProviderError
 * (a wrong token is non-retryable, code 190).
 */
export async function lookupPhoneNumber(
  settings: GraphSettings & { readonly phoneNumberId: string },
  deps: { readonly fetch: HttpFetch },
): Promise<WhatsAppPhoneNumber> {
  const ctx = graphContext(settings, deps.fetch);
  const url = graphUrl(ctx, `${encodeURIComponent(settings.phoneNumberId)}?fields=display_phone_number,verified_name`);
  const body = await graphJson(ctx, url, phoneNumberSchema);
  return { id: body.id, displayPhoneNumber: body.display_phone_number, verifiedName: body.verified_name };
}
