import { DomUtils, parseDocument } from 'htmlparser2';
import { tidyConvertedText } from '../text-tidy.js';

/**
 * HubSpot rich text (HTML) → WhatsApp markup: *bold*, _italic_, ~strike~, `code`, ```block```,
 * links as "text (url)", lists as one line per item. Parsed with htmlparser2 (tolerant of the broken
 * HTML editors produce, decodes entities), never with regexes.
 */

type Node = ReturnType<typeof parseDocument>['children'][number];
type Element = Extract<Node, { attribs: Record<string, string> }>;
type Text = Extract<Node, { data: string }>;
const isElement = (node: Node): node is Element => 'attribs' in node && 'name' in node;
const isText = (node: Node): node is Text => node.type === 'text';

const WRAP: Readonly<Record<string, string>> = {
  b: '*',
  strong: '*',
  i: '_',
  em: '_',
  s: '~',
  strike: '~',
  del: '~',
  code: '`',
};
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const BLOCKS = new Set(['p', 'div', 'section', 'article', 'header', 'footer', 'table', 'tr', 'hr']);
const SKIP = new Set(['script', 'style', 'head', 'title']);

/** WhatsApp only formats a marker pair that hugs the words: `*bold*` works, `* bold *` does not. */
function wrap(marker: string, inner: string): string {
  const match = /^(\s*)([\s\S]*?)(\s*)$/.exec(inner)!;
  const [, before, core, after] = match;
  if (!core) return inner;
  return `${before}${marker}${core}${marker}${after}`;
}

function link(href: string | undefined, inner: string): string {
  const text = inner.trim();
  if (!href || href.startsWith('#') || /^javascript:/i.test(href)) return inner;
  const url = href.replace(/^mailto:/i, '');
  if (!text || text === href || text === url) return url;
  return `${text} (${url})`;
}

function list(node: Element, ordered: boolean, depth: number): string {
  let n = 0;
  const items = node.children
    .filter((c): c is Element => isElement(c) && c.name === 'li')
    .map((li) => {
      n += 1;
      const marker = ordered ? `${n}.` : '-';
      return `${'  '.repeat(depth)}${marker} ${render(li.children, depth + 1).trim()}`;
    });
  return `\n${items.join('\n')}\n`;
}

function element(node: Node, depth: number): string {
  if (!isElement(node)) return '';
  const name = node.name.toLowerCase();
  if (SKIP.has(name)) return '';
  if (name === 'br') return '\n';
  if (name === 'pre') return `\n\`\`\`${DomUtils.textContent(node).replace(/^\n|\n$/g, '')}\`\`\`\n`;
  if (name === 'ul' || name === 'ol') return list(node, name === 'ol', depth);
  const inner = render(node.children, depth);
  if (WRAP[name]) return wrap(WRAP[name]!, inner);
  if (name === 'a') return link(node.attribs.href, inner);
  if (name === 'img') return node.attribs.alt ? `[${node.attribs.alt}]` : '';
  if (HEADINGS.has(name)) return `\n${wrap('*', inner.trim())}\n`;
  if (name === 'blockquote')
    return `\n${inner
      .trim()
      .split('\n')
      .map((l) => `> ${l}`)
      .join('\n')}\n`;
  if (name === 'li') return `\n- ${inner.trim()}\n`;
  if (name === 'td' || name === 'th') return `${inner.trim()} `;
  if (BLOCKS.has(name)) return `\n${inner}\n`;
  return inner;
}

function render(nodes: readonly Node[], depth = 0): string {
  return nodes
    .map((node) => {
      // HTML collapses ASCII whitespace only: a no-break space is content.
      if (isText(node)) return node.data.replace(/[ \t\n\r\f]+/g, ' ');
      return element(node, depth);
    })
    .join('');
}

/** Converts HubSpot's message HTML into text WhatsApp renders with its own formatting. */
export function htmlToWhatsApp(html: string): string {
  return tidyConvertedText(render(parseDocument(html, { decodeEntities: true }).children));
}
