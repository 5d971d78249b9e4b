/**
 * Telegram counts a message's length after parsing its HTML (tags are free, `&amp;` is one
 * character), so long replies are split on that count. Each part stays valid HTML: tags still open
 * at a cut are closed and reopened in the next part.
 */

const TOKEN = /<\/?[a-zA-Z][^>]*>|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);|[^<&]+|[<&]/g;

interface Token {
  readonly kind: 'open' | 'close' | 'entity' | 'text';
  readonly raw: string;
  readonly name?: string;
}

function tokenise(html: string): Token[] {
  return [...html.matchAll(TOKEN)].map(([raw]) => {
    if (/^<\//.test(raw)) return { kind: 'close', raw, name: raw.slice(2).match(/^[a-zA-Z-]+/)?.[0]?.toLowerCase() };
    if (/^<[a-zA-Z]/.test(raw)) return { kind: 'open', raw, name: raw.slice(1).match(/^[a-zA-Z-]+/)?.[0]?.toLowerCase() };
    if (raw.length > 1 && raw.startsWith('&')) return { kind: 'entity', raw };
    return { kind: 'text', raw };
  });
}

/** Length as Telegram counts it: tags removed, each entity one character. */
export function visibleLength(html: string): number {
  return tokenise(html).reduce((n, t) => n + (t.kind === 'text' ? t.raw.length : t.kind === 'entity' ? 1 : 0), 0);
}

/** Where to cut `text` so at most `room` characters stay: a late newline, then a late space, then anywhere. */
function cutPoint(text: string, room: number): number {
  const head = text.slice(0, room);
  const newline = head.lastIndexOf('\n');
  if (newline >= room / 2) return newline + 1;
  const space = head.lastIndexOf(' ');
  if (space >= room / 2) return space + 1;
  // Never split a surrogate pair (an emoji is two UTF-16 units).
  const code = text.charCodeAt(room - 1);
  return code >= 0xd800 && code <= 0xdbff ? room - 1 : room;
}

export function splitTelegramHtml(html: string, limit: number): string[] {
  const parts: string[] = [];
  const open: Token[] = [];
  let current = '';
  let length = 0;
  const flush = () => {
    const closing = [...open].reverse().map((t) => `</${t.name}>`).join('');
    if (length > 0) parts.push(current + closing);
    current = open.map((t) => t.raw).join('');
    length = 0;
  };
  for (const token of tokenise(html)) {
    if (token.kind === 'open') open.push(token);
    if (token.kind === 'close') {
      const index = open.map((t) => t.name).lastIndexOf(token.name);
      if (index >= 0) open.splice(index, 1);
    }
    if (token.kind !== 'text' && token.kind !== 'entity') {
      current += token.raw;
      continue;
    }
    if (token.kind === 'entity') {
      if (length + 1 > limit) flush();
      current += token.raw;
      length += 1;
      continue;
    }
    let text = token.raw;
    while (length + text.length > limit) {
      const cut = cutPoint(text, limit - length);
      if (cut <= 0) {
        flush();
        continue;
      }
      current += text.slice(0, cut);
      length += cut;
      text = text.slice(cut);
      flush();
    }
    current += text;
    length += text.length;
  }
  if (length > 0) parts.push(current);
  return parts.map((p) => p.replace(/^\s+|\s+$/g, '')).filter((p) => visibleLength(p) > 0);
}
