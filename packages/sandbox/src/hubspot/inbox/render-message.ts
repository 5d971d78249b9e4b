import type { SandboxMessage } from '../state.js';
import { fileKind, sizeText } from './file-kinds.js';
import { html, raw, type SafeHtml } from './html.js';
import { sanitizeRichText } from './sanitize.js';

/** What the page needs to show one file: where its bytes are (a signed URL) and what they are. */
export interface FileView {
  readonly url: string;
  readonly name: string;
  readonly contentType: string;
  readonly sizeBytes?: number;
}

export type FileLookup = (fileId: string) => FileView | undefined;

type Attachment = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);

/** Images and stickers show, voice notes and audio play, video plays; anything else is a download link. */
function renderFile(a: Attachment, files: FileLookup): SafeHtml {
  const fileId = str(a.fileId) ?? '';
  const file = files(fileId);
  const url = str(a.url) ?? file?.url;
  const name = str(a.name) ?? file?.name ?? `file ${fileId}`;
  const usage = str(a.fileUsageType) ?? 'OTHER';
  const type = file?.contentType ?? '';
  if (!url) return html`<p class="attachment missing">${name} (file ${fileId} is not in the Files API)</p>`;
  if (usage === 'STICKER') return html`<img class="attachment sticker" src="${url}" alt="Sticker ${name}">`;
  if (usage === 'IMAGE' || type.startsWith('image/'))
    return html`<img class="attachment image" src="${url}" alt="${name}">`;
  if (usage === 'VOICE_RECORDING')
    return html`<figure class="attachment voice"><figcaption>Voice note</figcaption><audio controls preload="metadata" src="${url}"></audio></figure>`;
  if (usage === 'AUDIO' || type.startsWith('audio/'))
    return html`<figure class="attachment audio"><figcaption>${name}</figcaption><audio controls preload="metadata" src="${url}"></audio></figure>`;
  if (type.startsWith('video/'))
    return html`<video class="attachment video" controls preload="metadata" src="${url}" title="${name}"></video>`;
  const about = [fileKind(type, name), file?.sizeBytes !== undefined ? sizeText(file.sizeBytes) : undefined]
    .filter(Boolean)
    .join(', ');
  return html`<a class="attachment file" href="${url}" download="${name}">Download ${name} <span class="file-meta">(${about})</span></a>`;
}

// Drawn, not an emoji: not every machine has a font with 📍.
const PIN = raw(
  '<svg class="pin" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><path fill="currentColor" d="M8 0a5 5 0 0 0-5 5c0 3.5 5 11 5 11s5-7.5 5-11a5 5 0 0 0-5-5zm0 7.2a2.2 2.2 0 1 1 0-4.4 2.2 2.2 0 0 1 0 4.4z"/></svg>',
);
const coordinate = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** A shared place, once: its name and address, and its coordinates as a link to the map. */
function renderLocation(a: Attachment): SafeHtml {
  const lat = coordinate(a.latitude);
  const lng = coordinate(a.longitude);
  const name = str(a.name);
  const address = str(a.address);
  const map =
    lat !== undefined && lng !== undefined ? `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lng}` : undefined;
  return html`<div class="attachment location">${PIN} <b>${name ?? 'Shared location'}</b>${address && address !== name ? html`<br>${address}` : ''}
  ${map ? html`<br><a href="${map}" target="_blank" rel="noopener noreferrer" aria-label="Open ${name ?? 'the location'} on the map">${lat}, ${lng}</a>` : ''}</div>`;
}

/**
 * The text a message shows beside its LOCATION attachments. Channels also write the place into the text for
 * readers without attachments (the bridge does: "📍 Location / name / lat, lng / map link"); the card already
 * says all of it, so those lines go and the place is shown once.
 */
export function textBesideLocations(text: string, attachments: readonly Attachment[]): string {
  const places = attachments.filter((a) => a.type === 'LOCATION');
  if (places.length === 0) return text;
  const repeats = (line: string) =>
    places.some((a) => {
      const [lat, lng] = [coordinate(a.latitude), coordinate(a.longitude)];
      const same = [str(a.name), str(a.address), str(a.url)].filter(Boolean);
      return (
        (lat !== undefined &&
          lng !== undefined &&
          (line.includes(`${lat}, ${lng}`) || line.includes(`mlat=${lat}&mlon=${lng}`))) ||
        same.includes(line) ||
        /^📍\s*Location$/u.test(line)
      );
    });
  return text
    .split('\n')
    .filter((line) => !repeats(line.trim()))
    .join('\n')
    .trim();
}

function renderAttachment(a: Attachment, files: FileLookup): SafeHtml {
  switch (a.type) {
    case 'FILE':
      return renderFile(a, files);
    case 'LOCATION':
      return renderLocation(a);
    case 'UNSUPPORTED_CONTENT':
      return html`<p class="attachment unsupported">This message has content the inbox cannot show.</p>`;
    default:
      return html`<p class="attachment other">${str(a.type) ?? 'Attachment'}</p>`;
  }
}

/**
 * One line for lists and notifications: the text (without a repeated place), else the place's name; '' for files only.
 */
export function previewOf(m: SandboxMessage): string {
  const text = textBesideLocations(m.text, m.attachments).replace(/\s+/g, ' ').trim();
  if (text) return text;
  const place = m.attachments.find((a) => a.type === 'LOCATION');
  return place ? `Location: ${str(place.name) ?? 'shared place'}` : '';
}

/** The delivery status of a rep's reply, as words and ticks, with HubSpot's failure reason when there is one. */
function renderStatus(m: SandboxMessage): SafeHtml {
  // A rep's reply starts as SENT in HubSpot's record; until the integration reports anything it is still on its way.
  const awaiting = m.statusUpdates !== undefined && m.statusUpdates.length === 0;
  switch (awaiting ? 'PENDING' : m.status.statusType) {
    case 'SENT':
      return html`<span class="status sent" title="Sent">✓ Sent</span>`;
    case 'READ':
      return html`<span class="status read" title="Read">✓✓ Read</span>`;
    case 'FAILED':
      return html`<span class="status failed" role="status">⚠ Failed: ${m.status.failureDetails?.errorMessage ?? 'no reason given'}</span>`;
    default:
      return html`<span class="status sending" title="Waiting for the channel to confirm delivery">Sending…</span>`;
  }
}

/** A revision key: a message is re-rendered on the page only when this changes. */
export const messageRevision = (m: SandboxMessage) =>
  `${m.status.statusType}:${m.statusUpdates?.length ?? '-'}:${m.status.failureDetails?.errorMessage ?? ''}`;

export function renderMessage(m: SandboxMessage, files: FileLookup): SafeHtml {
  const direction = m.direction === 'INCOMING' ? 'in' : 'out';
  const sender = m.senders[0];
  const text = m.richText ? m.text : textBesideLocations(m.text, m.attachments);
  const body = m.richText ? raw(sanitizeRichText(m.richText)) : html`<p>${text}</p>`;
  const showText = text.trim() !== '' || m.richText;
  return html`<li class="message ${direction}" id="message-${m.id}" data-id="${m.id}" data-rev="${messageRevision(m)}">
  <div class="meta"><b>${sender?.name ?? sender?.deliveryIdentifier.value ?? ''}</b> <time datetime="${m.createdAt}">${m.createdAt.slice(11, 16)}</time></div>
  ${showText ? html`<div class="body">${body}</div>` : ''}
  ${m.attachments.map((a) => renderAttachment(a, files))}
  ${m.direction === 'OUTGOING' ? html`<div class="delivery">${renderStatus(m)}</div>` : ''}
</li>`;
}
