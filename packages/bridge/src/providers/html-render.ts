import { DomUtils, parseDocument } from 'htmlparser2';
import { tidyConvertedText } from './text-tidy.js';

/**
 * HubSpot rich text (HTML from the rep's editor) → what each provider renders. Parsed with
 * htmlparser2 (tolerant of editor HTML, decodes entities); Telegram gets only the tags its
 * `parse_mode: HTML` accepts (https://core.telegram.org/bots/api#html-style), everything else
 * becomes text or line breaks, and every text node is escaped again.
 */

type Node = ReturnType<typeof parseDocument>['children'][number];
type Element = Extract<Node, { attribs: Record<string, string> }>;
const isElement = (node: Node): node is Element => 'attribs' in node && 'name' in node;

const TELEGRAM_INLINE: Readonly<Record<string, string>> = {
  b: 'b',
  strong: 'b',
  i: 'i',
  em: 'i',
  u: 'u',
  ins: 'u',
  s: 's',
  strike: 's',
  del: 's',
  code: 'code',
  'tg-spoiler': 'tg-spoiler',
};
const BLOCKS = new Set([
  'p',
  'div',
  'section',
  'article',
  'header',
  'footer',
  'table',
  'tr',
  'hr',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
]);
const SKIP = new Set(['script', 'style', 'head', 'title', 'template']);
const SAFE_URL = /^(https?:|mailto:|tg:)/i;

export const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (text: string) => escapeText(text).replace(/"/g, '&quot;');

interface Mode {
  readonly html: boolean;
}

function list(node: Element, mode: Mode, ordered: boolean): string {
  let n = 0;
  const items = node.children
    .filter((c): c is Element => isElement(c) && c.name === 'li')
    .map((li) => {
      n += 1;
      return `${ordered ? `${n}.` : '•'} ${render(li.children, mode).trim()}`;
    });
  return `\n${items.join('\n')}\n`;
}

function link(node: Element, inner: string, mode: Mode): string {
  const href = node.attribs.href?.trim();
  if (!href || !SAFE_URL.test(href)) return inner;
  if (mode.html) return `<a href="${escapeAttr(href)}">${inner || escapeText(href)}</a>`;
  const text = inner.trim();
  return !text || text === href ? href : `${text} (${href.replace(/^mailto:/i, '')})`;
}

function element(node: Element, mode: Mode): string {
  const name = node.name.toLowerCase();
  if (SKIP.has(name)) return '';
  if (name === 'br') return '\n';
  if (name === 'img') {
    const label = node.attribs.alt ? `[${node.attribs.alt}]` : '[image]';
    return mode.html ? escapeText(label) : label;
  }
  if (name === 'pre') {
    const code = DomUtils.textContent(node).replace(/^\n|\n$/g, '');
    return mode.html ? `\n<pre>${escapeText(code)}</pre>\n` : `\n${code}\n`;
  }
  if (name === 'ul' || name === 'ol') return list(node, mode, name === 'ol');
  if (name === 'span' && node.attribs.class === 'tg-spoiler' && mode.html)
    return `<tg-spoiler>${render(node.children, mode)}</tg-spoiler>`;
  const inner = render(node.children, mode);
  if (name === 'a') return link(node, inner, mode);
  const tag = TELEGRAM_INLINE[name];
  if (tag) return mode.html && inner.trim() ? `<${tag}>${inner}</${tag}>` : inner;
  if (/^h[1-6]$/.test(name)) return mode.html ? `\n<b>${inner.trim()}</b>\n` : `\n${inner.trim()}\n`;
  if (name === 'blockquote')
    return mode.html
      ? `\n<blockquote>${inner.trim()}</blockquote>\n`
      : `\n${inner
          .trim()
          .split('\n')
          .map((l) => `> ${l}`)
          .join('\n')}\n`;
  if (name === 'li') return `\n• ${inner.trim()}\n`;
  if (name === 'td' || name === 'th') return `${inner.trim()} `;
  if (BLOCKS.has(name)) return `\n${inner}\n`;
  return inner;
}

function render(nodes: readonly Node[], mode: Mode): string {
  return nodes
    .map((node) => {
      // HTML collapses ASCII whitespace only; a no-break space is content.
      if (node.type === 'text') {
        const text = (node as { data: string }).data.replace(/[ \t\n\r\f]+/g, ' ');
        return mode.html ? escapeText(text) : text;
      }
      return isElement(node) ? element(node, mode) : '';
    })
    .join('');
}

/**
 * Telegram `parse_mode: HTML`: only Telegram's tags, safe links, escaped text. Here beside the plain mode, which shares
 * the walk.
 */
export function htmlToTelegram(html: string): string {
  return tidyConvertedText(render(parseDocument(html, { decodeEntities: true }).children, { html: true }));
}

/** Plain text with links spelled out, for providers without formatting. */
export function htmlToPlainText(html: string): string {
  return tidyConvertedText(render(parseDocument(html, { decodeEntities: true }).children, { html: false }));
}
