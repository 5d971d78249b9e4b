import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitTelegramHtml, visibleLength } from '../../packages/bridge/src/providers/telegram/html-split.js';
import { parseTelegramHtml } from '../../packages/sandbox/src/telegram/html-entities.js';

describe('splitting Telegram HTML at the 4096-character limit', () => {
  it('counts characters as Telegram does: no tags, one per entity', () => {
    assert.equal(visibleLength('<b>a &amp; b</b> <a href="https://x.example/?q=1&amp;r=2">link</a>'), 10);
  });

  it('leaves text within the limit whole', () => {
    assert.deepEqual(splitTelegramHtml('<b>short</b> reply', 4096), ['<b>short</b> reply']);
  });

  it('cuts between words, and inside a word only when it alone is over the limit', () => {
    assert.deepEqual(splitTelegramHtml('first line\nsecond line', 15), ['first line', 'second line']);
    assert.deepEqual(splitTelegramHtml('alpha beta gamma', 12), ['alpha beta', 'gamma']);
    assert.deepEqual(splitTelegramHtml('abcdefghij', 4), ['abcd', 'efgh', 'ij']);
  });

  it('closes tags open at a cut and reopens them in the next part', () => {
    const parts = splitTelegramHtml('<b>one two <i>three four</i> five</b>', 10);
    assert.deepEqual(parts, ['<b>one two</b>', '<b><i>three four</i></b>', '<b>five</b>']);
    // Every part is HTML Telegram parses, and the visible text survives the split.
    assert.equal(
      parts
        .map((p) => parseTelegramHtml(p).text)
        .join(' ')
        .replace(/\s+/g, ' '),
      'one two three four five',
    );
  });

  it('keeps an entity and an emoji whole', () => {
    assert.deepEqual(splitTelegramHtml('abc&amp;def', 3), ['abc', '&amp;', 'def']);
    const parts = splitTelegramHtml('ab😀cd', 3);
    assert.deepEqual(parts, ['ab', '😀c', 'd']);
  });

  it('keeps every part of a long reply within the limit', () => {
    const html = `<b>${'lorem ipsum dolor '.repeat(700)}</b>`;
    const parts = splitTelegramHtml(html, 4096);
    assert.equal(parts.length, 4);
    assert.ok(parts.every((p) => visibleLength(p) <= 4096 && parseTelegramHtml(p).entities[0]?.type === 'bold'));
  });
});

describe("the emulator's HTML parse mode", () => {
  it('turns tags into entities, with pre languages, spoilers and expandable quotes', () => {
    const { text, entities } = parseTelegramHtml(
      '<pre><code class="language-ts">let x</code></pre> <span class="tg-spoiler">hid</span> <blockquote expandable>q</blockquote> <u>u</u>&lt;&#33;',
    );
    assert.equal(text, 'let x hid q u<!');
    assert.deepEqual(entities, [
      { type: 'pre', offset: 0, length: 5, language: 'ts' },
      { type: 'spoiler', offset: 6, length: 3 },
      { type: 'expandable_blockquote', offset: 10, length: 1 },
      { type: 'underline', offset: 12, length: 1 },
    ]);
  });

  const refused: [string, RegExp][] = [
    ['<b>x</i>', /Unmatched end tag at byte offset 4, expected "<\/b>", found "<\/i>"/],
    ['a < b', /Unexpected "<" at byte offset 2/],
    ['&nbsp;', /Unsupported entity "&nbsp;"/],
    ['<span>x</span>', /Tag "span" must have class "tg-spoiler"/],
    ['<a>x</a>', /Can't find end of a URL/],
  ];
  for (const [html, reason] of refused) {
    it(`refuses ${html} as Telegram does`, () => {
      assert.throws(
        () => parseTelegramHtml(html),
        (e: Error) => /^Bad Request: can't parse entities: /.test(e.message) && reason.test(e.message),
      );
    });
  }
});
