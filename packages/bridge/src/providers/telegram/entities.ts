import type { TelegramEntity } from './wire-types.js';

/**
 * Telegram formatting as plain text a rep can read in HubSpot. Only entities whose meaning would be
 * lost without their markup change the text: a `text_link` keeps its URL, a `text_mention` the user
 * it points at, quotes, spoilers and code stay recognisable. Bold, italic, hashtags, bare URLs and
 * the like are already readable as they are. Offsets are UTF-16 code units (Bot API, MessageEntity),
 * the units JavaScript strings index by.
 */

interface Markup {
  readonly open?: string;
  readonly close?: string;
  /** What each line break inside the entity becomes (a quote prefixes every line). */
  readonly newline?: string;
}

function markupOf(entity: TelegramEntity, covered: string): Markup | undefined {
  switch (entity.type) {
    case 'text_link':
      // A link whose text already is its URL would only repeat it.
      return entity.url && entity.url !== covered ? { close: ` (${entity.url})` } : undefined;
    case 'text_mention':
      return entity.user ? { close: ` (tg://user?id=${entity.user.id})` } : undefined;
    case 'blockquote':
    case 'expandable_blockquote':
      return { open: '> ', newline: '\n> ' };
    case 'spoiler':
      return { open: '[spoiler: ', close: ']' };
    case 'code':
      return { open: '`', close: '`' };
    case 'pre':
      return { open: `\`\`\`${entity.language ?? ''}\n`, close: '\n```' };
    default:
      return undefined;
  }
}

export function renderEntities(text: string, entities: readonly TelegramEntity[] | undefined): string {
  if (!entities || entities.length === 0) return text;
  const opens = new Map<number, { length: number; value: string }[]>();
  const closes = new Map<number, { offset: number; value: string }[]>();
  const newlines = new Map<number, string>();
  for (const entity of entities) {
    const end = Math.min(text.length, entity.offset + entity.length);
    if (entity.offset >= end) continue;
    const markup = markupOf(entity, text.slice(entity.offset, end));
    if (!markup) continue;
    if (markup.open)
      opens.set(entity.offset, [...(opens.get(entity.offset) ?? []), { length: entity.length, value: markup.open }]);
    if (markup.close) closes.set(end, [...(closes.get(end) ?? []), { offset: entity.offset, value: markup.close }]);
    if (markup.newline) for (let i = entity.offset; i < end; i++) if (text[i] === '\n') newlines.set(i, markup.newline);
  }
  let out = '';
  for (let i = 0; i <= text.length; i++) {
    // Inner entities close before outer ones, and outer ones open first.
    for (const c of (closes.get(i) ?? []).sort((a, b) => b.offset - a.offset)) out += c.value;
    if (i === text.length) break;
    for (const o of (opens.get(i) ?? []).sort((a, b) => b.length - a.length)) out += o.value;
    out += newlines.get(i) ?? text[i];
  }
  return out;
}
