import { badRequest, type TgEntity } from './wire.js';

/**
 * Telegram's `parse_mode: HTML`, as the Bot API documents it (https://core.telegram.org/bots/api#html-style):
 * the supported tags become entities over the plain text, `&lt; &gt; &amp; &quot;` and numeric
 * references are decoded, anything else is refused with "can't parse entities". Offsets count UTF-16
 * code units, as Telegram's do.
 */

const TAG_TYPES: Readonly<Record<string, string>> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  'tg-spoiler': 'spoiler',
  a: 'text_link',
  code: 'code',
  pre: 'pre',
  blockquote: 'blockquote',
  span: 'spoiler',
};
const NAMED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"' };

const refuse = (why: string) => badRequest(`can't parse entities: ${why}`);

interface Open {
  readonly tag: string;
  readonly start: number;
  readonly entity: Omit<TgEntity, 'offset' | 'length'>;
}

function attribute(rawTag: string, name: string): string | undefined {
  return new RegExp(`${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i')
    .exec(rawTag)
    ?.slice(1)
    .find((v) => v !== undefined);
}

function decodeEntity(name: string, offset: number): string {
  if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16));
  if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
  const value = NAMED[name];
  if (value === undefined) throw refuse(`Unsupported entity "&${name};" at byte offset ${offset}`);
  return value;
}

function openEntity(tag: string, raw: string, offset: number, open: readonly Open[]): Open['entity'] {
  if (tag === 'span' && attribute(raw, 'class') !== 'tg-spoiler')
    throw refuse(`Tag "span" must have class "tg-spoiler" at byte offset ${offset}`);
  if (tag === 'a') {
    const url = attribute(raw, 'href');
    if (!url) throw refuse(`Can't find end of a URL at byte offset ${offset}`);
    return { type: 'text_link', url };
  }
  if (tag === 'code' && open.at(-1)?.tag === 'pre') {
    const language = attribute(raw, 'class')?.replace(/^language-/, '');
    return { type: 'code', ...(language ? { language } : {}) };
  }
  if (tag === 'blockquote' && /\bexpandable\b/i.test(raw)) return { type: 'expandable_blockquote' };
  return { type: TAG_TYPES[tag]! };
}

export function parseTelegramHtml(html: string): { text: string; entities: TgEntity[] } {
  const entities: TgEntity[] = [];
  const open: Open[] = [];
  let text = '';
  const token = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>|&([a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);|[^<&]+|[<&]/g;
  for (const match of html.matchAll(token)) {
    const [raw, closing, rawName, , entity] = match;
    const offset = Buffer.byteLength(html.slice(0, match.index), 'utf8');
    if (rawName === undefined) {
      if (entity !== undefined) text += decodeEntity(entity, offset);
      else if (raw === '<' || raw === '&')
        throw refuse(`Unexpected "${raw}" at byte offset ${offset}; escape it as ${raw === '<' ? '&lt;' : '&amp;'}`);
      else text += raw;
      continue;
    }
    const tag = rawName.toLowerCase();
    if (!TAG_TYPES[tag]) throw refuse(`Unsupported ${closing ? 'end' : 'start'} tag "${tag}" at byte offset ${offset}`);
    if (!closing) {
      open.push({ tag, start: text.length, entity: openEntity(tag, raw, offset, open) });
      continue;
    }
    const top = open.pop();
    if (!top || top.tag !== tag)
      throw refuse(`Unmatched end tag at byte offset ${offset}, expected "</${top?.tag ?? ''}>", found "</${tag}>"`);
    // Telegram drops entities over empty text; a `code` inside `pre` only names the language.
    if (top.tag === 'code' && open.at(-1)?.tag === 'pre') {
      if (top.entity.language) Object.assign(open.at(-1)!.entity, { language: top.entity.language });
      continue;
    }
    if (text.length > top.start) entities.push({ ...top.entity, offset: top.start, length: text.length - top.start });
  }
  if (open.length > 0) throw refuse(`Can't find end tag corresponding to start tag "${open.at(-1)!.tag}"`);
  return { text, entities: entities.sort((a, b) => a.offset - b.offset || b.length - a.length) };
}
