/**
 * Location pins and contact cards have no file. Until the canonical message has fields for them
 * (see docs/PROVIDERS.md), they travel as text that keeps every field the customer shared, so a rep
 * sees all of it and nothing is dropped.
 */

export interface WaLocation {
  readonly latitude: number;
  readonly longitude: number;
  readonly name?: string;
  readonly address?: string;
  readonly url?: string;
}

export function describeLocation(location: WaLocation): string {
  const lines = ['📍 Location'];
  if (location.name) lines.push(location.name);
  if (location.address) lines.push(location.address);
  lines.push(`${location.latitude}, ${location.longitude}`);
  lines.push(`https://www.openstreetmap.org/?mlat=${location.latitude}&mlon=${location.longitude}`);
  if (location.url) lines.push(location.url);
  return lines.join('\n');
}

type Json = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
const list = (v: unknown): Json[] =>
  Array.isArray(v) ? v.filter((x): x is Json => typeof x === 'object' && x !== null) : [];
const labelled = (value: string | undefined, type: unknown) =>
  value ? (str(type) ? `${value} (${String(type).toLowerCase()})` : value) : undefined;

function describeContact(contact: Json): string[] {
  const name = (contact.name ?? {}) as Json;
  const fullName =
    str(name.formatted_name) ??
    [name.prefix, name.first_name, name.middle_name, name.last_name, name.suffix].filter(str).join(' ');
  const lines = [`👤 ${fullName || 'Contact'}`];
  const org = (contact.org ?? {}) as Json;
  const orgLine = [str(org.title), str(org.department), str(org.company)].filter(Boolean).join(', ');
  if (orgLine) lines.push(`Organisation: ${orgLine}`);
  for (const p of list(contact.phones)) {
    const phone = labelled(str(p.phone), p.type);
    if (phone) lines.push(`Phone: ${phone}${str(p.wa_id) ? ` · WhatsApp ${String(p.wa_id)}` : ''}`);
  }
  for (const e of list(contact.emails)) {
    const email = labelled(str(e.email), e.type);
    if (email) lines.push(`Email: ${email}`);
  }
  for (const a of list(contact.addresses)) {
    const parts = [a.street, a.city, a.state, a.zip, a.country, a.country_code].filter(str).join(', ');
    if (parts) lines.push(`Address: ${labelled(parts, a.type)}`);
  }
  for (const u of list(contact.urls)) {
    const url = labelled(str(u.url), u.type);
    if (url) lines.push(`Web: ${url}`);
  }
  if (str(contact.birthday)) lines.push(`Birthday: ${String(contact.birthday)}`);
  return lines;
}

export function describeContacts(contacts: readonly Json[]): string {
  return contacts.map((c) => describeContact(c).join('\n')).join('\n\n');
}

/**
 * The canonical shapes proposed for src/domain/messages.ts (`InboundMessage.location?` and
 * `InboundMessage.contacts?`), mirroring HubSpot's LOCATION and CONTACT attachments. Kept here until
 * the domain has them; normalise will then fill both the field and the readable text.
 */
export interface CanonicalLocation {
  readonly latitude: number;
  readonly longitude: number;
  readonly name?: string;
  readonly address?: string;
  readonly url?: string;
}

export interface CanonicalContact {
  readonly name: {
    readonly formattedName?: string;
    readonly firstName?: string;
    readonly lastName?: string;
    readonly middleName?: string;
    readonly prefix?: string;
    readonly suffix?: string;
  };
  readonly phones: readonly { readonly phone: string; readonly type?: string; readonly providerUserId?: string }[];
  readonly emails: readonly { readonly email: string; readonly type?: string }[];
  readonly addresses: readonly {
    readonly street?: string;
    readonly city?: string;
    readonly state?: string;
    readonly zip?: string;
    readonly country?: string;
    readonly countryCode?: string;
    readonly type?: string;
  }[];
  readonly urls: readonly { readonly url: string; readonly type?: string }[];
  readonly org?: { readonly company?: string; readonly department?: string; readonly title?: string };
  readonly birthday?: string;
}

export function toCanonicalLocation(location: WaLocation): CanonicalLocation {
  const { latitude, longitude, name, address, url } = location;
  return { latitude, longitude, ...(name ? { name } : {}), ...(address ? { address } : {}), ...(url ? { url } : {}) };
}

const pick = (o: Json, keys: Readonly<Record<string, string>>) =>
  Object.fromEntries(Object.entries(keys).flatMap(([from, to]) => (str(o[from]) ? [[to, String(o[from])]] : [])));

export function toCanonicalContact(contact: Json): CanonicalContact {
  const name = (contact.name ?? {}) as Json;
  const org = pick((contact.org ?? {}) as Json, { company: 'company', department: 'department', title: 'title' });
  return {
    name: pick(name, {
      formatted_name: 'formattedName',
      first_name: 'firstName',
      last_name: 'lastName',
      middle_name: 'middleName',
      prefix: 'prefix',
      suffix: 'suffix',
    }),
    phones: list(contact.phones)
      .filter((p) => str(p.phone))
      .map((p) => ({ phone: String(p.phone), ...pick(p, { type: 'type', wa_id: 'providerUserId' }) })),
    emails: list(contact.emails)
      .filter((e) => str(e.email))
      .map((e) => ({ email: String(e.email), ...pick(e, { type: 'type' }) })),
    addresses: list(contact.addresses).map((a) =>
      pick(a, {
        street: 'street',
        city: 'city',
        state: 'state',
        zip: 'zip',
        country: 'country',
        country_code: 'countryCode',
        type: 'type',
      }),
    ),
    urls: list(contact.urls)
      .filter((u) => str(u.url))
      .map((u) => ({ url: String(u.url), ...pick(u, { type: 'type' }) })),
    ...(Object.keys(org).length ? { org } : {}),
    ...(str(contact.birthday) ? { birthday: String(contact.birthday) } : {}),
  };
}
