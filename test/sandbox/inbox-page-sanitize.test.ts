import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { html } from '../../packages/sandbox/src/hubspot/inbox/html.js';
import { sanitizeRichText } from '../../packages/sandbox/src/hubspot/inbox/sanitize.js';

/** Rich text from the API is untrusted; this is what reaches the rep's page. */
describe('inbox page: rich text sanitising', () => {
  it('keeps the formatting a channel can carry', () => {
    const input =
      '<p>Your order <b>ships</b> <strong>today</strong>. <i>Sorry</i> <em>again</em></p><ul><li>one</li></ul><ol><li>two</li></ol><blockquote>q</blockquote>a<br>b';
    assert.equal(sanitizeRichText(input), input);
  });

  it('drops every attribute but a checked href, and opens links in a new tab', () => {
    assert.equal(sanitizeRichText('<p class="x" onclick="alert(1)">hi</p>'), '<p>hi</p>');
    assert.equal(
      sanitizeRichText('<a href="https://example.com/?a=1&amp;b=2" onmouseover="x()">go</a>'),
      '<a href="https://example.com/?a=1&#38;b=2" target="_blank" rel="noopener noreferrer">go</a>',
    );
    assert.equal(
      sanitizeRichText('<a href="mailto:help@example.com">mail</a>'),
      '<a href="mailto:help@example.com" target="_blank" rel="noopener noreferrer">mail</a>',
    );
    assert.equal(sanitizeRichText('<a href=" JavaScript:alert(1)">x</a>'), '<a>x</a>');
    assert.equal(sanitizeRichText("<a href='data:text/html,<script>'>x</a>"), '<a>x</a>');
  });

  it('removes other tags and shows their text as text', () => {
    assert.equal(
      sanitizeRichText('<script>alert(1)</script><img src=x onerror=alert(2)><iframe src="//x"></iframe>ok'),
      'alert(1)ok',
    );
    assert.equal(sanitizeRichText('<svg><g onload="x()">t</g></svg>'), 't');
  });

  it('escapes stray markup and keeps character references', () => {
    assert.equal(
      sanitizeRichText('1 < 2 & 3 > 2 &amp; &#39;q&#39; "x"'),
      '1 &#60; 2 &#38; 3 &#62; 2 &amp; &#39;q&#39; &#34;x&#34;',
    );
    assert.equal(sanitizeRichText('<!-- <b>hidden</b> -->'), '&#60;!-- <b>hidden</b> --&#62;');
    assert.equal(
      sanitizeRichText('<a href="https://x.test/">">'),
      '<a href="https://x.test/" target="_blank" rel="noopener noreferrer">&#34;&#62;</a>',
    );
  });

  it('closes what was left open and ignores closings that were never opened', () => {
    assert.equal(sanitizeRichText('<b><i>both'), '<b><i>both</i></b>');
    assert.equal(sanitizeRichText('</b>text</ul>'), 'text');
    assert.equal(sanitizeRichText('<b><i>x</b>y'), '<b><i>x</i></b>y');
  });
});

describe('inbox page: html templates', () => {
  it('escapes what is interpolated and keeps nested templates', () => {
    const name = '<img src=x onerror=alert(1)>';
    assert.equal(
      String(html`<b title="${name}">${name}</b>${html`<i>${'&'}</i>`}`),
      '<b title="&#60;img src=x onerror=alert(1)&#62;">&#60;img src=x onerror=alert(1)&#62;</b><i>&#38;</i>',
    );
    assert.equal(
      String(html`${[html`<li>${'a'}</li>`, html`<li>${1}</li>`]}${undefined}${false}`),
      '<li>a</li><li>1</li>',
    );
  });
});
