/**
 * Splitting a long reply into messages a provider accepts, without ever cutting a character apart.
 *
 * Lengths are counted in UTF-16 code units (`string.length`): Telegram counts entity offsets and
 * lengths in UTF-16 code units (https://core.telegram.org/bots/api#messageentity), and counting the
 * same way for its 4096 limit can only be stricter than counting code points. For WhatsApp's 4096
 * characters the unit is not documented; code units are never fewer than characters. [INFERRED]
 *
 * Cuts fall between grapheme clusters (Intl.Segmenter), so an emoji, a ZWJ family, a flag or a letter
 * with its combining accent always arrives whole, preferring a paragraph break, then a line break,
 * then a space, then any grapheme boundary.
 */

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The offsets (in code units) where a cut keeps every grapheme whole, ascending, 0 and length excluded. */
export function graphemeBoundaries(text: string): number[] {
  const cuts: number[] = [];
  for (const { index } of graphemes.segment(text)) if (index > 0) cuts.push(index);
  return cuts;
}

/** The last grapheme boundary at or before `limit` (code units); 0 when the first grapheme is already longer. */
export function lastBoundaryWithin(text: string, limit: number): number {
  if (text.length <= limit) return text.length;
  let best = 0;
  for (const { index } of graphemes.segment(text)) {
    if (index > limit) break;
    best = index;
  }
  return best;
}

/**
 * The first grapheme of `text`, for the rare grapheme longer than a whole message (it then goes alone, cut at code
 * points).
 */
function firstCodePoints(text: string, limit: number): number {
  let at = 0;
  for (const char of text) {
    if (at + char.length > limit) break;
    at += char.length;
  }
  return Math.max(at, Math.min(text.length, 1));
}

/**
 * Where to end a part of at most `limit` code units: the best natural break in its second half, else the last whole
 * grapheme.
 */
function cutPoint(text: string, limit: number): number {
  const hard = lastBoundaryWithin(text, limit);
  if (hard === 0) return firstCodePoints(text, limit);
  const window = text.slice(0, hard);
  for (const separator of ['\n\n', '\n', ' ']) {
    const at = window.lastIndexOf(separator);
    if (at > limit / 2) return at;
  }
  return hard;
}

/**
 * Splits plain text into parts of at most `limit` UTF-16 code units, on whole graphemes, preferring
 * paragraph, line and word breaks; the whitespace at a cut is dropped, never carried into a part.
 */
export function splitPlainText(text: string, limit: number): string[] {
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > limit) {
    const at = cutPoint(rest, limit);
    const part = rest.slice(0, at).trimEnd();
    if (part !== '') parts.push(part);
    rest = rest.slice(at).trimStart();
  }
  if (rest !== '') parts.push(rest);
  return parts;
}
