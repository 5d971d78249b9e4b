import type { ContactCard, SharedLocation } from '../../domain/messages.js';
import type { TelegramMessage } from './wire-types.js';

/**
 * Locations and contacts in the canonical shapes (src/domain/messages.ts), which mirror HubSpot's
 * LOCATION and CONTACT attachments. A contact is completed from the vCard Telegram passes along.
 */
type CanonicalLocation = SharedLocation;
type CanonicalContact = ContactCard;

export function toCanonicalLocation(m: TelegramMessage): CanonicalLocation | undefined {
  const location = m.venue?.location ?? m.location;
  if (!location) return undefined;
  return {
    latitude: location.latitude,
    longitude: location.longitude,
    ...(m.venue ? { name: m.venue.title, address: m.venue.address } : {}),
  };
}

interface VCardLine {
  readonly name: string;
  readonly type?: string;
  readonly values: string[];
}

/** The few vCard properties a CONTACT attachment holds; folded lines are unfolded first (RFC 6350 3.2). */
function vcardLines(vcard: string): VCardLine[] {
  return vcard
    .replace(/\r?\n[ \t]/g, '')
    .split(/\r?\n/)
    .flatMap((line) => {
      const colon = line.indexOf(':');
      if (colon <= 0) return [];
      const [name = '', ...params] = line.slice(0, colon).split(';');
      const type = params
        .find((p) => /^type=/i.test(p))
        ?.slice(5)
        .split(',')[0]
        ?.toUpperCase();
      const values = line
        .slice(colon + 1)
        .split(/(?<!\\);/)
        .map((v) => v.replace(/\\([,;\\])/g, '$1').replace(/\\n/gi, '\n'));
      return [{ name: name.replace(/^item\d+\./i, '').toUpperCase(), type, values }];
    });
}

export function toCanonicalContact(m: TelegramMessage): CanonicalContact | undefined {
  const c = m.contact;
  if (!c) return undefined;
  const lines = c.vcard ? vcardLines(c.vcard) : [];
  const all = (name: string) => lines.filter((l) => l.name === name);
  const typed = <T extends object>(l: VCardLine, value: T) => (l.type ? { ...value, type: l.type } : value);
  const org = all('ORG')[0];
  const title = all('TITLE')[0]?.values[0];
  const orgFields = {
    ...(org?.values[0] ? { company: org.values[0] } : {}),
    ...(org?.values[1] ? { department: org.values[1] } : {}),
    ...(title ? { title } : {}),
  };
  const phones = [{ phone: c.phone_number, ...(c.user_id !== undefined ? { providerUserId: String(c.user_id) } : {}) }];
  for (const tel of all('TEL'))
    if (tel.values[0] && tel.values[0] !== c.phone_number) phones.push(typed(tel, { phone: tel.values[0] }));
  const birthday = all('BDAY')[0]?.values[0];
  return {
    name: {
      formattedName: [c.first_name, c.last_name].filter(Boolean).join(' '),
      firstName: c.first_name,
      ...(c.last_name ? { lastName: c.last_name } : {}),
    },
    phones,
    emails: all('EMAIL')
      .filter((l) => l.values[0])
      .map((l) => typed(l, { email: l.values[0]! })),
    addresses: all('ADR').map((l) => {
      const [, , street, city, state, zip, country] = l.values;
      const parts = { street, city, state, zip, country };
      return typed(l, Object.fromEntries(Object.entries(parts).filter(([, v]) => v)));
    }),
    urls: all('URL')
      .filter((l) => l.values[0])
      .map((l) => typed(l, { url: l.values.join(';') })),
    ...(Object.keys(orgFields).length ? { org: orgFields } : {}),
    ...(birthday ? { birthday } : {}),
  };
}
