/**
 * Telegram counts a message's length after parsing its HTML (tags are free, `&amp;` is one
 * character), so long replies are split on that count, between words. Each part stays valid HTML:
 * tags still open at a cut are closed and reopened in the next part. A cut never falls inside a tag,
 * an entity (`&amp;`) or a grapheme (src/providers/text-split.ts).
 */
import { splitPlainText } from '../text-split.js';

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

/**
 * A word longer than a whole message is cut hard, between graphemes: never inside an emoji, a ZWJ sequence or a flag.
 */
function hardCut(word: Piece, limit: number): Piece[] {
  if (word.size <= limit || word.raw.startsWith('&')) return [word];
  return splitPlainText(word.raw, limit).map((raw) => ({ kind: 'word', raw, size: raw.length }));
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

const visible = (pieces: readonly Piece[]) => pieces.reduce((n, p) => n + p.size, 0);

/**
 * The last paragraph break (else line break) in the second half of a full part: a better place to end it than the last
 * word.
 */
function naturalBreak(pieces: readonly Piece[], limit: number): number | undefined {
  for (const separator of ['\n\n', '\n']) {
    for (let j = pieces.length - 1; j > 0; j--) {
      const piece = pieces[j]!;
      if (piece.kind === 'space' && piece.raw.includes(separator) && visible(pieces.slice(0, j)) > limit / 2) return j;
    }
  }
  return undefined;
}

/**
 * Splits on Telegram's count, preferring a paragraph break, then a line break, then a space; see the file's comment.
 */
export function splitTelegramHtml(html: string, limit: number): string[] {
  const parts: string[] = [];
  let current: Piece[] = [];
  let length = 0;
  const flush = () => {
    // Trailing spaces and tags opened with nothing inside them yet move to the next part.
    while (current.length > 0 && ['space', 'open'].includes(current.at(-1)!.kind)) current.pop();
    const open = unclosed(current);
    if (length > 0)
      parts.push(
        current.map((p) => p.raw).join('') +
          [...open]
            .reverse()
            .map((t) => `</${t.name}>`)
            .join(''),
      );
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
        const cut = naturalBreak(current, limit);
        if (cut !== undefined) {
          // End the part at the break; what followed it opens the next part, inside the tags open at the break.
          const tail = current.slice(cut + 1);
          const reopened = unclosed(current.slice(0, cut));
          current = current.slice(0, cut);
          flush();
          current = [...reopened, ...tail];
          length = visible(tail);
        }
        if (cut === undefined || length + piece.size > limit) {
          flush();
          current = [...stack];
        }
      }
      if (piece.kind === 'space' && length === 0) continue;
      current.push(piece);
      length += piece.size;
    }
  }
  flush();
  return parts;
}
