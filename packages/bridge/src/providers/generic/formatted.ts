import { parseDocument } from 'htmlparser2';
import { MAX_FORMATTED_BODY_CHARS, type GenericFormatted } from './wire-types.js';

/**
 * The generic contract's formatted body (docs/GENERIC_PROVIDER.md § 4.3): any HTML in, the documented subset out.
 * Parsed with htmlparser2 (tolerant of editor HTML, decodes entities), never with regexes; the output is rebuilt from
 * the tree, so nothing the allow-list does not name can survive: no attribute but a checked `href`, no comment, no
 * script. Used both ways: on a rep's HubSpot rich text before it goes to a connector, and on a connector's body
 * before it is published to HubSpot. Applying it to its own output changes nothing.
 */

type Node = ReturnType<typeof parseDocument>['children'][number];
type Element = Extract<Node, { attribs: Record<string, string> }>;
const isElement = (node: Node): node is Element => 'attribs' in node && 'name' in node;
const isText = (node: Node): node is Extract<Node, { data: string }> => node.type === 'text';

/** Phrasing tags of the subset, and the spellings mapped onto them. */
const INLINE: Readonly<Record<string, string>> = {
  b: 'b',
  strong: 'strong',
  i: 'i',
  em: 'em',
  u: 'u',
  ins: 'u',
  s: 's',
  strike: 's',
  del: 's',
  code: 'code',
};
/** Block containers outside the subset: a `p` when they hold only phrasing, unwrapped when they hold blocks. */
const CONTAINERS = new Set([
  'div',
  'section',
  'article',
  'header',
  'footer',
  'main',
  'aside',
  'nav',
  'figure',
  'figcaption',
  'address',
  'center',
  'table',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'caption',
  'dl',
  'dt',
  'dd',
  'details',
  'summary',
  'form',
  'fieldset',
  'li',
]);
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const BLOCKS = new Set(['p', 'ul', 'ol', 'pre', 'blockquote', ...CONTAINERS, ...HEADINGS]);
/** Removed with everything inside them. */
const DROP = new Set([
  'script',
  'style',
  'head',
  'title',
  'template',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'noscript',
  'svg',
  'math',
  'canvas',
  'audio',
  'video',
  'select',
  'textarea',
]);
const SAFE_HREF = /^(https?:|mailto:)/i;
/** Deeper than this, elements keep only their text: a hostile body cannot exhaust the stack. */
const MAX_DEPTH = 64;
/**
 * More tags than this and the body is not parsed at all (the message keeps its plain `text`): htmlparser2 keeps open
 * tags with `Array.unshift`, so parsing time grows with the square of the nesting depth.
 */
export const MAX_FORMATTED_TAGS = 10_000;

const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (text: string) => escapeText(text).replace(/"/g, '&quot;');

interface Context {
  /** Inside `p` or a phrasing tag, where a block would be invalid: blocks there become their content and a `<br>`. */
  readonly phrasing: boolean;
  /** Inside an `a`: a nested link keeps only its content. */
  readonly inLink: boolean;
  readonly depth: number;
}

/** Text of a subtree without recursion (a hostile body may nest thousands deep). */
function textOf(node: Node): string {
  const parts: string[] = [];
  const stack: Node[] = [node];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (isText(next)) parts.push(next.data);
    else if (isElement(next) && !DROP.has(next.name.toLowerCase()))
      for (let i = next.children.length - 1; i >= 0; i--) stack.push(next.children[i]!);
  }
  return parts.join('');
}

const hasBlockChild = (node: Element) => node.children.some((c) => isElement(c) && BLOCKS.has(c.name.toLowerCase()));
const visible = (markup: string) => markup.replace(/<[^>]*>/g, '').trim() !== '' || markup.includes('<br>');

function list(node: Element, tag: string, ctx: Context): string {
  const inner = { phrasing: false, inLink: ctx.inLink, depth: ctx.depth + 1 };
  const items = node.children
    .filter((c) => !(isText(c) && c.data.trim() === ''))
    .map((c) => (isElement(c) && c.name.toLowerCase() === 'li' ? render(c.children, inner) : render([c], inner)))
    .filter(visible);
  return items.length > 0 ? `<${tag}>${items.map((item) => `<li>${item}</li>`).join('')}</${tag}>` : '';
}

function link(node: Element, ctx: Context): string {
  const href = node.attribs.href?.trim() ?? '';
  const inner = render(node.children, { ...ctx, phrasing: true, inLink: true, depth: ctx.depth + 1 });
  if (ctx.inLink || !SAFE_HREF.test(href)) return inner;
  return `<a href="${escapeAttr(href)}">${visible(inner) ? inner : escapeText(href.replace(/^mailto:/i, ''))}</a>`;
}

/** A block in phrasing context (`<b><p>x</p></b>`): its content and a line break. */
function block(tag: string, node: Element, ctx: Context): string {
  const inner = render(node.children, { ...ctx, phrasing: true, depth: ctx.depth + 1 });
  if (ctx.phrasing) return visible(inner) ? `${inner}<br>` : '';
  return `<${tag}>${inner}</${tag}>`;
}

/** A heading is a bold paragraph: the subset has no heading levels. */
function heading(node: Element, ctx: Context): string {
  const inner = render(node.children, { ...ctx, phrasing: true, depth: ctx.depth + 1 });
  if (!visible(inner)) return '';
  return ctx.phrasing ? `<b>${inner}</b><br>` : `<p><b>${inner}</b></p>`;
}

/**
 * Text only, as written. An HTML parser drops one newline right after `<pre>`, so a body that starts with one gets
 * another in front: read back, it is the same text.
 */
function preformatted(node: Element, ctx: Context): string {
  const raw = textOf(node);
  const code = raw.startsWith('\n') ? raw.slice(1) : raw;
  if (ctx.phrasing) return `<code>${escapeText(code)}</code>`;
  return `<pre>${code.startsWith('\n') ? '\n' : ''}${escapeText(code)}</pre>`;
}

function element(node: Element, ctx: Context): string {
  const name = node.name.toLowerCase();
  if (DROP.has(name)) return '';
  if (ctx.depth > MAX_DEPTH) return escapeText(textOf(node).replace(/[ \t\n\r\f]+/g, ' '));
  if (name === 'br' || name === 'hr') return '<br>';
  if (name === 'img') return escapeText(node.attribs.alt ? `[${node.attribs.alt}]` : '[image]');
  if (name === 'a') return link(node, ctx);
  const tag = INLINE[name];
  if (tag) {
    const inner = render(node.children, { ...ctx, phrasing: true, depth: ctx.depth + 1 });
    return visible(inner) ? `<${tag}>${inner}</${tag}>` : inner;
  }
  if (name === 'pre') return preformatted(node, ctx);
  if (name === 'p') return block('p', node, ctx);
  if (HEADINGS.has(name)) return heading(node, ctx);
  if (name === 'td' || name === 'th') return `${render(node.children, { ...ctx, depth: ctx.depth + 1 })} `;
  if (name === 'ul' || name === 'ol') return ctx.phrasing ? block('p', node, ctx) : list(node, name, ctx);
  if (name === 'blockquote' && !ctx.phrasing)
    return `<blockquote>${render(node.children, { ...ctx, depth: ctx.depth + 1 })}</blockquote>`;
  if (CONTAINERS.has(name) || name === 'blockquote') {
    if (!ctx.phrasing && hasBlockChild(node)) return render(node.children, { ...ctx, depth: ctx.depth + 1 });
    const inner = block('p', node, ctx);
    return visible(inner) ? inner : '';
  }
  // Anything else (span, font, label, button, custom tags): its content only.
  return render(node.children, { ...ctx, depth: ctx.depth + 1 });
}

function render(nodes: readonly Node[], ctx: Context): string {
  return nodes
    .map((node) => {
      // HTML collapses ASCII whitespace only; a no-break space is content.
      if (isText(node)) return escapeText(node.data.replace(/[ \t\n\r\f]+/g, ' '));
      return isElement(node) ? element(node, ctx) : '';
    })
    .join('');
}

/**
 * Any HTML → the contract's subset: `b strong i em u s code pre a[href] br p ul ol li blockquote`, well-formed,
 * every text escaped, `href` only `http:`, `https:` or `mailto:`. Empty when nothing visible is left, or when the
 * input has more than MAX_FORMATTED_TAGS tags.
 */
export function sanitiseFormattedHtml(html: string): string {
  if (tagCount(html) > MAX_FORMATTED_TAGS) return '';
  const out = tidy(
    render(parseDocument(html, { decodeEntities: true }).children, { phrasing: false, inLink: false, depth: 0 }),
  );
  return out.replace(/<[^>]*>/g, '').trim() === '' ? '' : out;
}

/**
 * HTML from either side → the contract's `formatted`, or undefined when no formatting is left or the sanitised body is
 * over the contract's limit: the message then goes with its plain `text` alone.
 */
export function formattedHtml(html: string | undefined): GenericFormatted | undefined {
  const body = html ? sanitiseFormattedHtml(html) : '';
  return body && body.length <= MAX_FORMATTED_BODY_CHARS ? { format: 'html', body } : undefined;
}

/** An upper bound on the tags in `html`: every tag starts with `<`. */
function tagCount(html: string): number {
  let count = 0;
  for (let at = html.indexOf('<'); at !== -1; at = html.indexOf('<', at + 1)) count++;
  return count;
}

/**
 * Spaces a browser would not show: runs of them (left where unwrapped tags met), and those beside block tags. Dropping
 * them makes the output a fixed point. It runs on this module's own output, where every `<` starts a tag it wrote and
 * `pre`, whose spaces are content, holds no tags.
 */
function tidy(markup: string): string {
  return markup
    .split(/(<pre>[\s\S]*?<\/pre>)/)
    .map((part, i) =>
      i % 2 === 1 ? part : part.replace(/ {2,}/g, ' ').replace(/ *(<\/?(?:p|ul|ol|li|blockquote)>) */g, '$1'),
    )
    .join('')
    .replace(/^ +| +$/g, '');
}
