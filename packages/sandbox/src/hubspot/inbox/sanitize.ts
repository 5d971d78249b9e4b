import { escapeHtml } from './html.js';

// The formatting a custom channel can carry (the `richText` capability,
// https://developers.hubspot.com/docs/api-reference/legacy/conversations/custom-channels/guide), as the tags an editor
// produces.
const ALLOWED = new Set(['b', 'strong', 'i', 'em', 'u', 'a', 'ul', 'ol', 'li', 'p', 'div', 'br', 'blockquote']);
const VOID = new Set(['br']);
const SAFE_HREF = /^(https?:|mailto:)/i;

// Escape text but keep character references (`&amp;`, `&#39;`) that the source already wrote.
const text = (s: string) =>
  escapeHtml(s.replace(/\u0000/g, '').replace(/&(#?\w+);/g, '\u0000$1;')).replace(/\u0000/g, '&');

function anchor(attrs: string): string {
  const match = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/i.exec(attrs);
  const href = (match?.[1] ?? match?.[2] ?? match?.[3] ?? '').replace(/&amp;/g, '&').trim();
  if (!SAFE_HREF.test(href)) return '<a>';
  return `<a href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">`;
}

/**
 * Rich text from the API is untrusted: keep an allow-list of formatting tags (no attributes except a
 * checked `href`), escape every other character, and close what was left open.
 */
export function sanitizeRichText(input: string): string {
  const out: string[] = [];
  const open: string[] = [];
  // A tag ends at the first `>` outside a quoted attribute value.
  const token = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g;
  let last = 0;
  for (let m = token.exec(input); m; m = token.exec(input)) {
    out.push(text(input.slice(last, m.index)));
    last = token.lastIndex;
    const [, closing, rawName = '', attrs = ''] = m;
    const name = rawName.toLowerCase();
    if (!ALLOWED.has(name)) continue;
    if (VOID.has(name)) {
      if (!closing) out.push(`<${name}>`);
    } else if (closing) {
      const at = open.lastIndexOf(name);
      if (at === -1) continue;
      for (const tag of open.splice(at).reverse()) out.push(`</${tag}>`);
    } else {
      open.push(name);
      out.push(name === 'a' ? anchor(attrs) : `<${name}>`);
    }
  }
  out.push(text(input.slice(last)));
  for (const tag of open.reverse()) out.push(`</${tag}>`);
  return out.join('');
}
