import type { InboundMedia } from '../../domain/messages.js';
import type { TelegramMessage } from './wire-types.js';

/**
 * Locations and contacts carry no file. Until the canonical message has fields for them (HubSpot
 * LOCATION / CONTACT attachments), each becomes a readable line of text for the rep AND a small
 * `data:` media item holding every field, so nothing is lost and the inbound flow can attach it as
 * a file. `fetchMedia` serves `data:` refs without any network call.
 */
export interface SharedContent {
  readonly lines: string[];
  readonly media: InboundMedia[];
}

function dataRef(contentType: string, content: string): string {
  return `data:${contentType};base64,${Buffer.from(content, 'utf8').toString('base64')}`;
}

function sizeOf(content: string): number {
  return Buffer.byteLength(content, 'utf8');
}

function locationContent(m: TelegramMessage): SharedContent | undefined {
  const location = m.venue?.location ?? m.location;
  if (!location) return undefined;
  const { latitude, longitude } = location;
  const place = m.venue ? ` (${m.venue.title}, ${m.venue.address})` : '';
  const line = `Location: ${latitude}, ${longitude}${place} https://www.openstreetmap.org/?mlat=${latitude}&mlon=${longitude}`;
  const feature = JSON.stringify({
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [longitude, latitude] },
    properties: { ...location, ...(m.venue ? { title: m.venue.title, address: m.venue.address } : {}) },
  });
  return {
    lines: [line],
    media: [{ kind: 'file', contentType: 'application/geo+json', filename: 'location.geojson', sizeBytes: sizeOf(feature), ref: dataRef('application/geo+json', feature) }],
  };
}

/** vCard 3.0 built from the contact's fields when Telegram did not pass the sender's own vCard. */
function toVCard(c: NonNullable<TelegramMessage['contact']>): string {
  const escape = (v: string) => v.replace(/[\\;,]/g, (ch) => `\\${ch}`).replace(/\n/g, '\\n');
  const full = [c.first_name, c.last_name].filter(Boolean).join(' ');
  return [
    'BEGIN:VCARD',
    'VERSION:3.0',
    `N:${escape(c.last_name ?? '')};${escape(c.first_name)};;;`,
    `FN:${escape(full)}`,
    `TEL;TYPE=CELL:${escape(c.phone_number)}`,
    ...(c.user_id !== undefined ? [`X-TELEGRAM-USER-ID:${c.user_id}`] : []),
    'END:VCARD',
    '',
  ].join('\r\n');
}

function contactContent(m: TelegramMessage): SharedContent | undefined {
  const c = m.contact;
  if (!c) return undefined;
  const name = [c.first_name, c.last_name].filter(Boolean).join(' ');
  const vcard = c.vcard ?? toVCard(c);
  return {
    lines: [`Contact: ${name}, ${c.phone_number}`],
    media: [{ kind: 'file', contentType: 'text/vcard', filename: 'contact.vcf', sizeBytes: sizeOf(vcard), ref: dataRef('text/vcard', vcard) }],
  };
}

export function sharedContent(m: TelegramMessage): SharedContent {
  const parts = [locationContent(m), contactContent(m)].filter((p): p is SharedContent => p !== undefined);
  return { lines: parts.flatMap((p) => p.lines), media: parts.flatMap((p) => p.media) };
}
