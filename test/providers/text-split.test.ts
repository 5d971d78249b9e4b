import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitTelegramHtml } from '../../packages/bridge/src/providers/telegram/html-split.js';
import { splitPlainText } from '../../packages/bridge/src/providers/text-split.js';
import { splitText as splitWhatsAppText } from '../../packages/bridge/src/providers/whatsapp/send.js';
import { parseTelegramHtml } from '../../packages/sandbox/src/telegram/html-entities.js';

const FAMILY = '👨‍👩‍👧‍👦'; // four people joined by zero-width joiners: 11 UTF-16 code units, one grapheme
const FLAG = '🇺🇦'; // two regional indicators: 4 code units, one grapheme
const THUMB = '👍🏽'; // emoji + skin tone modifier: 4 code units, one grapheme

const graphemes = (s: string) =>
  [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(s)].map((g) => g.segment);
/** No lone surrogate anywhere: what Meta and Telegram would receive as two broken characters. */
const wellFormed = (s: string) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

describe('splitting long text on whole characters', () => {
  it('never cuts an emoji in two at the WhatsApp limit (the old cut sent two lone surrogates)', () => {
    const text = `${'a'.repeat(4095)}😀${'b'.repeat(10)}`;
    const parts = splitWhatsAppText(text);
    assert.ok(parts.every(wellFormed));
    assert.ok(parts.every((p) => p.length <= 4096));
    assert.equal(parts.join(''), text);
    assert.deepEqual(
      parts.map((p) => p.length),
      [4095, 12],
    );
  });

  it('keeps ZWJ sequences, flags and skin tones whole when one straddles the limit', () => {
    for (const emoji of [FAMILY, FLAG, THUMB]) {
      const text = `${'x'.repeat(4094)}${emoji}${'y'.repeat(5)}`;
      const parts = splitWhatsAppText(text);
      assert.equal(parts.join(''), text, emoji);
      assert.ok(
        parts.every((p) => p.length <= 4096),
        emoji,
      );
      assert.ok(
        parts.some((p) => graphemes(p).includes(emoji)),
        `${emoji} arrives whole`,
      );
    }
  });

  it('prefers a paragraph break, then a line break, then a space, to a hard cut', () => {
    const para = `${'a'.repeat(60)} ${'b'.repeat(10)}\n${'c'.repeat(10)}\n\n${'d'.repeat(10)} ${'e'.repeat(5)}`;
    assert.deepEqual(splitPlainText(para, 95), [
      `${'a'.repeat(60)} ${'b'.repeat(10)}\n${'c'.repeat(10)}`,
      `${'d'.repeat(10)} ${'e'.repeat(5)}`,
    ]);
    // A line break beats a later space.
    assert.deepEqual(splitPlainText(`${'a'.repeat(60)}\n${'b'.repeat(20)} ${'c'.repeat(20)}`, 90), [
      'a'.repeat(60),
      `${'b'.repeat(20)} ${'c'.repeat(20)}`,
    ]);
    assert.deepEqual(splitPlainText(`${'a'.repeat(30)} ${'b'.repeat(30)}`, 40), ['a'.repeat(30), 'b'.repeat(30)]);
  });

  it('cuts a run of emoji with no spaces between graphemes', () => {
    const text = FAMILY.repeat(10);
    const parts = splitPlainText(text, 30);
    assert.ok(parts.every((p) => p.length <= 30 && graphemes(p).every((g) => g === FAMILY)));
    assert.equal(parts.join(''), text);
  });
});

describe('splitting Telegram HTML on whole characters, never inside a tag or an entity', () => {
  it('keeps an emoji sequence whole when a long word is cut at the limit', () => {
    const html = `<b>${'z'.repeat(4094)}${FAMILY}${FLAG}</b>`;
    const parts = splitTelegramHtml(html, 4096);
    const texts = parts.map((p) => parseTelegramHtml(p).text);
    assert.ok(texts.every((t) => t.length <= 4096 && wellFormed(t)));
    assert.equal(texts.join(''), `${'z'.repeat(4094)}${FAMILY}${FLAG}`);
    assert.ok(
      parts.every((p) => p.startsWith('<b>') && p.endsWith('</b>')),
      'each part stays bold, its tags whole',
    );
    assert.ok(texts.some((t) => graphemes(t).includes(FAMILY)));
  });

  it('ends a part at a paragraph break, then a line break, rather than after the last word that fits', () => {
    const html = `<b>Your order 1042</b> has shipped today.\n\nTracking: <a href="https://t.example/1">here</a> and more words follow`;
    assert.deepEqual(splitTelegramHtml(html, 60), [
      '<b>Your order 1042</b> has shipped today.',
      'Tracking: <a href="https://t.example/1">here</a> and more words follow',
    ]);
    const bold = splitTelegramHtml(`<b>line one is here\nline two goes on and on</b>`, 30);
    assert.deepEqual(bold, ['<b>line one is here</b>', '<b>line two goes on and on</b>']);
  });

  it('does not split an entity or a tag at the limit', () => {
    const parts = splitTelegramHtml(`${'a'.repeat(9)}&amp;<a href="https://example.com/${'q'.repeat(50)}">go</a>`, 10);
    assert.ok(parts.every((p) => parseTelegramHtml(p).text.length <= 10));
    assert.ok(parts.some((p) => p.includes('&amp;')));
    assert.ok(parts.some((p) => p.includes(`<a href="https://example.com/${'q'.repeat(50)}">`)));
  });
});
