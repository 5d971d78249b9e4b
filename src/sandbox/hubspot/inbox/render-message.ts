import type { SandboxMessage } from '../state.js';
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
  if (usage === 'IMAGE' || type.startsWith('image/')) return html`<img class="attachment image" src="${url}" alt="${name}">`;
  if (usage === 'VOICE_RECORDING') return html`<figure class="attachment voice"><figcaption>Voice note</figcaption><audio controls preload="metadata" src="${url}"></audio></figure>`;
  if (usage === 'AUDIO' || type.startsWith('audio/')) return html`<figure class="attachment audio"><figcaption>${name}</figcaption><audio controls preload="metadata" src="${url}"></audio></figure>`;
  if (type.startsWith('video/')) return html`<video class="attachment video" controls preload="metadata" src="${url}" title="${name}"></video>`;
  return html`<a class="attachment file" href="${url}" download="${name}">Download ${name}</a>`;
}

function renderAttachment(a: Attachment, files: FileLookup): SafeHtml {
  switch (a.type) {
    case 'FILE':
      return renderFile(a, files);
    case 'LOCATION':
      return html`<p class="attachment location">Location: ${str(a.name) ?? 'shared place'} (${str(a.latitude)}, ${str(a.longitude)})</p>`;
    case 'UNSUPPORTED_CONTENT':
      return html`<p class="attachment unsupported">This message has content the inbox cannot show.</p>`;
    default:
      return html`<p class="attachment other">${str(a.type) ?? 'Attachment'}</p>`;
  }
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
  const body = m.richText ? raw(sanitizeRichText(m.richText)) : html`<p>${m.text}</p>`;
  const showText = m.text.trim() !== '' || m.richText;
  return html`<li class="message ${direction}" id="message-${m.id}" data-id="${m.id}" data-rev="${messageRevision(m)}">
  <div class="meta"><b>${sender?.name ?? sender?.deliveryIdentifier.value ?? ''}</b> <time datetime="${m.createdAt}">${m.createdAt.slice(11, 16)}</time></div>
  ${showText ? html`<div class="body">${body}</div>` : ''}
  ${m.attachments.map((a) => renderAttachment(a, files))}
  ${m.direction === 'OUTGOING' ? html`<div class="delivery">${renderStatus(m)}</div>` : ''}
</li>`;
}
