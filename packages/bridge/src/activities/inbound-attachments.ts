import type { ContactCard, InboundMessage } from '../domain/messages.js';
import type { ContactAttachment, LocationAttachment, MessageAttachment } from '../hubspot/types.js';

const pickEnum = (value: string | undefined, allowed: readonly string[]) => {
  const upper = value?.toUpperCase();
  return upper && allowed.includes(upper) ? upper : undefined;
};
const defined = <T extends object>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== ''));

/**
 * HubSpot's `contactProfile`
 * (https://developers.hubspot.com/docs/api-reference/legacy/conversations/custom-channels/messages/create-custom-channel);
 * types outside its enums are left out.
 */
export function contactProfile(card: ContactCard): ContactAttachment['contactProfile'] {
  const { formattedName, ...name } = card.name;
  const firstName = name.firstName ?? (name.lastName ? undefined : formattedName);
  return defined({
    name: defined({ ...name, firstName }),
    emails: card.emails.map((e) => defined({ email: e.email, type: pickEnum(e.type, ['HOME', 'WORK']) })),
    phones: card.phones.map((p) =>
      defined({ phone: p.phone, type: pickEnum(p.type, ['CELL', 'HOME', 'MAIN', 'WORK']) }),
    ),
    addresses: card.addresses.map((a) => defined({ ...a, type: pickEnum(a.type, ['HOME', 'WORK']) })),
    urls: card.urls.map((u) => defined({ url: u.url, type: pickEnum(u.type, ['HOME', 'WORK']) })),
    org: card.org ? defined(card.org) : undefined,
  });
}

/** The LOCATION and CONTACT attachments of a message; files come from the media step. */
export function sharedAttachments(message: InboundMessage): MessageAttachment[] {
  const out: MessageAttachment[] = [];
  if (message.location) {
    const { latitude, longitude, name, address, url } = message.location;
    out.push({ type: 'LOCATION', latitude, longitude, ...defined({ name, address, url }) } as LocationAttachment);
  }
  for (const card of message.contacts ?? []) out.push({ type: 'CONTACT', contactProfile: contactProfile(card) });
  return out;
}
