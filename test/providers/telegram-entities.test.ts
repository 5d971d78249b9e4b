import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderEntities } from '../../packages/bridge/src/providers/telegram/entities.js';

describe('Telegram entities as readable text', () => {
  it('leaves text without meaningful entities as it is', () => {
    assert.equal(renderEntities('plain *text*', undefined), 'plain *text*');
    assert.equal(
      renderEntities('bold #tag', [
        { type: 'bold', offset: 0, length: 4 },
        { type: 'hashtag', offset: 5, length: 4 },
      ]),
      'bold #tag',
    );
  });

  it('counts offsets in UTF-16 code units, as Telegram does: an emoji before a link takes two', () => {
    const text = '📦 see here';
    assert.equal(
      renderEntities(text, [{ type: 'text_link', offset: 7, length: 4, url: 'https://x.example/1' }]),
      '📦 see here (https://x.example/1)',
    );
  });

  it('does not repeat a URL the link text already shows', () => {
    const text = 'https://x.example/1';
    assert.equal(renderEntities(text, [{ type: 'text_link', offset: 0, length: text.length, url: text }]), text);
  });

  it('closes inner entities before outer ones', () => {
    const text = 'secret link';
    const rendered = renderEntities(text, [
      { type: 'spoiler', offset: 0, length: 11 },
      { type: 'text_link', offset: 7, length: 4, url: 'https://x.example' },
    ]);
    assert.equal(rendered, '[spoiler: secret link (https://x.example)]');
  });

  it('prefixes every line of a quote', () => {
    assert.equal(renderEntities('a\nb\nc', [{ type: 'blockquote', offset: 2, length: 3 }]), 'a\n> b\n> c');
  });

  it('ignores an entity that reaches past the text instead of failing', () => {
    assert.equal(renderEntities('abc', [{ type: 'code', offset: 1, length: 50 }]), 'a`bc`');
    assert.equal(renderEntities('abc', [{ type: 'code', offset: 9, length: 2 }]), 'abc');
  });
});
