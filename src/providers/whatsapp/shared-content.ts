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
const list = (v: unknown): Json[] => (Array.isArray(v) ? v.filter((x): x is Json => typeof x === 'object' && x !== null) : []);
const labelled = (value: string | undefined, type: unknown) => (value ? (str(type) ? `${value} (${String(type).toLowerCase()})` : value) : undefined);

function describeContact(contact: Json): string[] {
  const name = (contact.name ?? {}) as Json;
  const fullName = str(name.formatted_name) ?? [name.prefix, name.first_name, name.middle_name, name.last_name, name.suffix].filter(str).join(' ');
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
