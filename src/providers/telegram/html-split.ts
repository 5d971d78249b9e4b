/**
 * Telegram counts a message's length after parsing its HTML (tags are free, `&amp;` is one
 * character), so long replies are split on that count, between words. Each part stays valid HTML:
 * tags still open at a cut are closed and reopened in the next part.
 */

const TOKEN = /<\/?[a-zA-Z][^>]*>|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);|\s+|[^<&\s]+|[<&]/g;

interface Piece {
  readonly kind: 'open' | 'close' | 'space' | 'word';
  readonly raw: string;
  /** Characters Telegram counts. */
  readonly size: number;
  readonly name?: string;
}

function tagName(raw: string): string {
  return raw.match(/^<\/?([a-zA-Z][a-zA-Z0-9-]*)/)?.[1]?.toLowerCase() ?? '';
}

function tokenise(html: string): Piece[] {
  return [...html.matchAll(TOKEN)].map(([raw]): Piece => {
    if (/^<\//.test(raw)) return { kind: 'close', raw, size: 0, name: tagName(raw) };
    if (/^<[a-zA-Z]/.test(raw)) return { kind: 'open', raw, size: 0, name: tagName(raw) };
    if (raw.length > 1 && raw.startsWith('&')) return { kind: 'word', raw, size: 1 };
    return { kind: /^\s/.test(raw) ? 'space' : 'word', raw, size: raw.length };
  });
}

/** Length as Telegram counts it: tags removed, each entity one character. */
export function visibleLength(html: string): number {
  return tokenise(html).reduce((n, p) => n + p.size, 0);
}

/** A word longer than a whole message is cut hard, never inside a surrogate pair (an emoji). */
function hardCut(word: Piece, limit: number): Piece[] {
  if (word.size <= limit || word.raw.startsWith('&')) return [word];
  const pieces: Piece[] = [];
  let rest = word.raw;
  while (rest.length > limit) {
    const code = rest.charCodeAt(limit - 1);
    const cut = code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit;
    pieces.push({ kind: 'word', raw: rest.slice(0, cut), size: cut });
    rest = rest.slice(cut);
  }
  return [...pieces, { kind: 'word', raw: rest, size: rest.length }];
}

/** Tags opened in `pieces` and not closed there, innermost last. */
function unclosed(pieces: readonly Piece[]): Piece[] {
  const stack: Piece[] = [];
  for (const p of pieces) {
    if (p.kind === 'open') stack.push(p);
    if (p.kind === 'close') {
      const index = stack.map((t) => t.name).lastIndexOf(p.name);
      if (index >= 0) stack.splice(index, 1);
    }
  }
  return stack;
}

export function splitTelegramHtml(html: string, limit: number): string[] {
  const parts: string[] = [];
  let current: Piece[] = [];
  let length = 0;
  const flush = () => {
    // Trailing spaces and tags opened with nothing inside them yet move to the next part.
    while (current.length > 0 && ['space', 'open'].includes(current.at(-1)!.kind)) current.pop();
    const open = unclosed(current);
    if (length > 0) parts.push(current.map((p) => p.raw).join('') + [...open].reverse().map((t) => `</${t.name}>`).join(''));
    current = [];
    length = 0;
  };
  const stack: Piece[] = [];
  for (const token of tokenise(html)) {
    if (token.kind === 'open' || token.kind === 'close') {
      const index = stack.map((t) => t.name).lastIndexOf(token.name);
      if (token.kind === 'open') stack.push(token);
      else if (index >= 0) stack.splice(index, 1);
      current.push(token);
      continue;
    }
    for (const piece of hardCut(token, limit)) {
      if (length + piece.size > limit) {
        flush();
        current = [...stack];
      }
      if (piece.kind === 'space' && length === 0) continue;
      current.push(piece);
      length += piece.size;
    }
  }
  flush();
  return parts;
}
