import type { RawWebhook } from '../types.js';
import { INLINE_REF_PREFIX, isInlineRef } from './errors.js';

function inlineData(webhook: RawWebhook): (string | undefined)[] {
  try {
    const body = JSON.parse(webhook.body.toString('utf8')) as { data?: { attachments?: { dataBase64?: unknown }[] } };
    return (body.data?.attachments ?? []).map((a) => (typeof a.dataBase64 === 'string' ? a.dataBase64 : undefined));
  } catch {
    return [];
  }
}

/** A connector may send a file inline (`dataBase64`); `normalise` names it `inline:{index}`. Its bytes, for staging. */
export function genericInlineMedia(webhook: RawWebhook, ref: string): Buffer | undefined {
  if (!isInlineRef(ref)) return undefined;
  const base64 = inlineData(webhook)[Number(ref.slice(INLINE_REF_PREFIX.length))];
  return base64 === undefined ? undefined : Buffer.from(base64, 'base64');
}
