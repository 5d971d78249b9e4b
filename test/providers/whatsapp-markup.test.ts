import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { htmlToWhatsApp } from '../../packages/bridge/src/providers/whatsapp/markup.js';

describe('HubSpot rich text to WhatsApp markup', () => {
  it('turns bold, italic, strike and code into WhatsApp markers', () => {
    assert.equal(
      htmlToWhatsApp('<p>Hello <b>Jane</b>, <em>your</em> <s>old</s> order <code>A-1042</code></p>'),
      'Hello *Jane*, _your_ ~old~ order `A-1042`',
    );
    assert.equal(htmlToWhatsApp('<strong>a</strong><i>b</i><del>c</del><strike>d</strike>'), '*a*_b_~c~~d~');
  });

  it('keeps markers against the words, moving spaces outside them', () => {
    assert.equal(htmlToWhatsApp('<p>really<b> important </b>note</p>'), 'really *important* note');
    assert.equal(htmlToWhatsApp('<p>empty<b> </b>bold</p>'), 'empty bold');
  });

  it('writes links as "text (url)", and a bare link once', () => {
    assert.equal(
      htmlToWhatsApp('<p>See <a href="https://example.com/o/1">your order</a></p>'),
      'See your order (https://example.com/o/1)',
    );
    assert.equal(htmlToWhatsApp('<a href="https://example.com">https://example.com</a>'), 'https://example.com');
    assert.equal(htmlToWhatsApp('<a href="mailto:help@example.com">help@example.com</a>'), 'help@example.com');
    assert.equal(htmlToWhatsApp('<a href="javascript:alert(1)">click</a>'), 'click');
  });

  it('writes lists as one line per item, numbered for ordered lists, indented when nested', () => {
    assert.equal(
      htmlToWhatsApp('<p>Steps:</p><ol><li>Open</li><li>Click <b>Pay</b></li></ol>'),
      'Steps:\n\n1. Open\n2. Click *Pay*',
    );
    assert.equal(htmlToWhatsApp('<ul><li>one<ul><li>inner</li></ul></li><li>two</li></ul>'), '- one\n  - inner\n- two');
  });

  it('keeps paragraphs and line breaks, and preformatted text as a monospace block', () => {
    assert.equal(htmlToWhatsApp('<p>Thanks,<br>Bob</p><p>Support</p>'), 'Thanks,\nBob\n\nSupport');
    assert.equal(htmlToWhatsApp('<pre>x = 1\ny = 2</pre>'), '```x = 1\ny = 2```');
  });

  it('decodes entities, collapses HTML whitespace and drops scripts and styles', () => {
    assert.equal(
      htmlToWhatsApp('<p>Tom &amp; Jerry&nbsp;&lt;3   \n  friends</p><script>alert(1)</script><style>p{}</style>'),
      'Tom & Jerry\u00a0<3 friends',
    );
  });

  it('tolerates broken HTML and plain text', () => {
    assert.equal(htmlToWhatsApp('<p>unclosed <b>bold'), 'unclosed *bold*');
    assert.equal(htmlToWhatsApp('just text'), 'just text');
    assert.equal(htmlToWhatsApp(''), '');
  });

  it('renders headings in bold and quotes with >', () => {
    assert.equal(
      htmlToWhatsApp('<h2>Update</h2><blockquote>you wrote this</blockquote>'),
      '*Update*\n\n> you wrote this',
    );
  });
});
