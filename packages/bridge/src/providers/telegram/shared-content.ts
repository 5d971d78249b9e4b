import type { TelegramMessage } from './wire-types.js';

/**
 * Locations and contacts carry no file. They travel in the canonical `location` / `contacts` fields
 * (HubSpot LOCATION / CONTACT attachments, see canonical-shared.ts) and as a readable line of text,
 * for any reader that does not render those attachments.
 */
/** 0x7FFFFFFF is "shared indefinitely" (Bot API, sendLocation `live_period`). */
const LIVE_FOREVER = 0x7fffffff;

function liveLabel(livePeriod: number | undefined): string {
  if (livePeriod === undefined) return 'Location';
  if (livePeriod === LIVE_FOREVER) return 'Live location (until stopped)';
  return `Live location (for ${Math.round(livePeriod / 60)} min)`;
}

export function sharedLines(m: TelegramMessage): string[] {
  const lines: string[] = [];
  const location = m.venue?.location ?? m.location;
  if (location) {
    const { latitude, longitude } = location;
    const place = m.venue ? ` (${m.venue.title}, ${m.venue.address})` : '';
    lines.push(
      `${liveLabel(location.live_period)}: ${latitude}, ${longitude}${place} https://www.openstreetmap.org/?mlat=${latitude}&mlon=${longitude}`,
    );
  }
  if (m.contact) {
    const name = [m.contact.first_name, m.contact.last_name].filter(Boolean).join(' ');
    lines.push(`Contact: ${name}, ${m.contact.phone_number}`);
  }
  return lines;
}
