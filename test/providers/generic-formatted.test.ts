import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formattedHtml,
  MAX_FORMATTED_TAGS,
  sanitiseFormattedHtml,
} from '../../packages/bridge/src/providers/generic/formatted.js';
import { MAX_FORMATTED_BODY_CHARS } from '../../packages/bridge/src/providers/generic/wire-types.js';

// The subset docs/GENERIC_PROVIDER.md § 4.3 promises connectors, from what HubSpot's editor and connectors may send.
describe('generic formatted body: the HTML subset', () => {
  it('keeps every element of the subset as it is', () => {
    const body =
      '<p><b>b</b> <strong>strong</strong> <i>i</i> <em>em</em> <u>u</u> <s>s</s> <code>code</code><br>' +
      '<a href="https://example.com/t?a=1&amp;b=2">link</a> <a href="mailto:help@example.com">mail</a></p>' +
      '<ul><li>one<ol><li>nested</li></ol></li></ul><pre>  two  spaces\n  kept</pre><blockquote>quoted <b>bold</b></blockquote>';
    assert.equal(sanitiseFormattedHtml(body), body);
  });

  it("spells the editor's other tags as the subset does: ins → u, strike/del → s, headings → bold paragraphs, divs → paragraphs", () => {
    assert.equal(sanitiseFormattedHtml('<ins>a</ins><strike>b</strike><del>c</del>'), '<u>a</u><s>b</s><s>c</s>');
    assert.equal(
      sanitiseFormattedHtml('<h2>Title</h2><div>one</div><div><p>two</p></div>'),
      '<p><b>Title</b></p><p>one</p><p>two</p>',
    );
    assert.equal(sanitiseFormattedHtml('<span style="color:red">red</span> <font face="x">font</font>'), 'red font');
    assert.equal(sanitiseFormattedHtml('<table><tr><td>a</td><td>b</td></tr></table>'), '<p>a b</p>');
    assert.equal(sanitiseFormattedHtml('<p>a <img src="https://x/y.png" alt="chart"> b</p>'), '<p>a [chart] b</p>');
  });

  it('removes scripts, styles and frames with what is inside them', () => {
    assert.equal(
      sanitiseFormattedHtml(
        '<p>hi<script>alert(1)</script></p><style>p{}</style><iframe src="https://evil"></iframe><svg><a href="https://x">x</a></svg>',
      ),
      '<p>hi</p>',
    );
    assert.equal(sanitiseFormattedHtml('<!-- a comment --><b>x</b><![CDATA[y]]>'), '<b>x</b>');
  });

  it('removes every attribute but a safe href: event handlers, styles, ids, targets', () => {
    assert.equal(
      sanitiseFormattedHtml(
        '<p onclick="steal()" style="x" id="i"><b onmouseover="x()">b</b> <a href="https://example.com" target="_blank" onclick="x()" rel="x">l</a></p>',
      ),
      '<p><b>b</b> <a href="https://example.com">l</a></p>',
    );
    assert.equal(sanitiseFormattedHtml('<img src=x onerror="alert(1)">'), '[image]');
  });

  it('keeps the words of a link whose href is not http(s) or mailto, and drops the link', () => {
    for (const href of [
      'javascript:alert(1)',
      ' JaVaScRiPt:alert(1)',
      'java&#x09;script:alert(1)',
      '&#106;avascript:alert(1)',
      'data:text/html,<script>x</script>',
      'vbscript:x',
      '//evil.example',
      '#top',
      'ftp://files',
    ]) {
      assert.equal(sanitiseFormattedHtml(`<a href="${href}">click</a>`), 'click', href);
    }
    assert.equal(sanitiseFormattedHtml('<a>no href</a>'), 'no href');
  });

  it('escapes text and quotes in hrefs, so nothing in the text becomes markup', () => {
    assert.equal(
      sanitiseFormattedHtml('&lt;script&gt;x&lt;/script&gt; &amp; 5 > 3'),
      '&lt;script&gt;x&lt;/script&gt; &amp; 5 &gt; 3',
    );
    assert.equal(
      sanitiseFormattedHtml('<a href=\'https://x.example/"onmouseover="y\'>q</a>'),
      '<a href="https://x.example/&quot;onmouseover=&quot;y">q</a>',
    );
  });

  it('closes what was left open, gives an empty link its address as words, and never nests a block in a phrase', () => {
    assert.equal(sanitiseFormattedHtml('<p><b>open <i>both'), '<p><b>open <i>both</i></b></p>');
    assert.equal(
      sanitiseFormattedHtml('<a href="mailto:help@example.com"></a>'),
      '<a href="mailto:help@example.com">help@example.com</a>',
    );
    assert.equal(sanitiseFormattedHtml('<b><div>x</div>y</b>'), '<b>x<br>y</b>');
  });

  it('is empty when nothing visible is left', () => {
    for (const html of ['', '   ', '<p></p>', '<p><br></p>', '<script>x</script>', '<b> </b>'])
      assert.equal(sanitiseFormattedHtml(html), '', html);
    assert.equal(formattedHtml('<p> </p>'), undefined);
    assert.equal(formattedHtml(undefined), undefined);
  });

  it('changes nothing in its own output', () => {
    const inputs = [
      'a <span> b</span>  &amp; &nbsp;c<br>d',
      '<pre>\n\n  lead</pre>',
      '<ul> <li> a </li> text <ul><li>b</li></ul></ul>',
      '<p>x <b><p>y</p></b></p><blockquote><div>q</div></blockquote>',
      '<li>stray</li><h1><a href="https://a">A</a></h1>',
    ];
    for (const html of inputs) {
      const once = sanitiseFormattedHtml(html);
      assert.equal(sanitiseFormattedHtml(once), once, html);
    }
  });

  it('stays fast and within the stack for hostile nesting, and leaves a body of too many tags unformatted', () => {
    const started = Date.now();
    const deep = sanitiseFormattedHtml('<b>'.repeat(5_000) + 'deep' + '<div>'.repeat(4_000) + 'er');
    assert.match(deep, /^(<b>)+deep/);
    assert.equal(sanitiseFormattedHtml(deep), deep);
    assert.equal(sanitiseFormattedHtml('<b>'.repeat(MAX_FORMATTED_TAGS + 1) + 'x'), '');
    assert.ok(Date.now() - started < 2_000, `took ${Date.now() - started} ms`);
  });

  it("gives no formatted body when the sanitised markup is over the contract's limit", () => {
    assert.deepEqual(formattedHtml('<b>bold</b>'), { format: 'html', body: '<b>bold</b>' });
    assert.equal(formattedHtml(`<b>${'x'.repeat(MAX_FORMATTED_BODY_CHARS)}</b>`), undefined);
  });
});
