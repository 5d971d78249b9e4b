// What the reply editor sends: `richText` (a small allow-listed HTML) and `text` (the same words as plain text).

const KEEP = new Set(['B', 'STRONG', 'I', 'EM', 'U', 'A', 'UL', 'OL', 'LI', 'P', 'DIV', 'BR']);
const BLOCK = new Set(['P', 'DIV', 'UL', 'OL', 'LI']);

/** A clean copy of the editor's HTML: formatting tags only, no attributes but a link's http(s)/mailto href. */
export function toRichText(root) {
  const clean = (node) => {
    if (node.nodeType === Node.TEXT_NODE) return document.createTextNode(node.data);
    if (node.nodeType !== Node.ELEMENT_NODE) return document.createDocumentFragment();
    const children = [...node.childNodes].map(clean);
    if (!KEEP.has(node.tagName)) {
      const fragment = document.createDocumentFragment();
      fragment.append(...children);
      return fragment;
    }
    const el = document.createElement(node.tagName.toLowerCase());
    const href = node.tagName === 'A' ? (node.getAttribute('href') ?? '') : '';
    if (/^(https?:|mailto:)/i.test(href)) el.setAttribute('href', href);
    el.append(...children);
    return el;
  };
  const out = document.createElement('div');
  out.append(...[...root.childNodes].map(clean));
  return out.innerHTML;
}

/** Plain text for channels without formatting: list items get "- " or "1. ", a link keeps its address. */
export function toPlainText(root) {
  let out = '';
  const newline = () => {
    if (out !== '' && !out.endsWith('\n')) out += '\n';
  };
  const walk = (node, list) => {
    if (node.nodeType === Node.TEXT_NODE) {
      out += node.data.replace(/\u00a0/g, ' ');
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    const tag = node.tagName;
    if (tag === 'BR') {
      out += '\n';
      return;
    }
    if (BLOCK.has(tag)) newline();
    if (tag === 'LI' && list) out += list.ordered ? `${++list.index}. ` : '- ';
    const inner = tag === 'UL' || tag === 'OL' ? { ordered: tag === 'OL', index: 0 } : list;
    for (const child of node.childNodes) walk(child, inner);
    if (tag === 'A') {
      const href = node.getAttribute('href') ?? '';
      if (href && href !== node.textContent && href !== `mailto:${node.textContent}`) out += ` (${href})`;
    }
    if (BLOCK.has(tag)) newline();
  };
  for (const child of root.childNodes) walk(child, undefined);
  return out.replace(/\n{3,}/g, '\n\n').trim();
}
