/** HTML that has been escaped (or built only from escaped parts). */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const escapeText = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === undefined || value === null || value === false) return '';
  return escapeText(String(value));
}

/** Tagged template: every interpolated value is escaped unless it is already SafeHtml. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  return new SafeHtml(strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]) : ''), ''));
}

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:38rem;padding:0 1rem;color:#213343}
fieldset{border:1px solid #cbd6e2;border-radius:8px;margin:1rem 0;padding:1rem}label{display:block;margin:.5rem 0}
input[type=text],input[type=password],input[type=url]{width:100%;padding:.4rem;box-sizing:border-box;font:inherit}
button,.button{font:inherit;padding:.5rem 1rem;background:#ff7a59;color:#fff;border:0;border-radius:4px;text-decoration:none;display:inline-block}
.error{background:#fde8e8;border-left:4px solid #d94c53;padding:.5rem 1rem}.ok{background:#e5f8f6;border-left:4px solid #00bda5;padding:.5rem 1rem}
code{background:#f5f8fa;padding:.1rem .3rem;word-break:break-all}.muted{color:#516f90}`;

/** The page shell; `Cache-Control: no-store` is set by the routes since pages may show a generated secret. */
export function page(title: string, body: SafeHtml): string {
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<meta name="referrer" content="no-referrer"><title>${title} · channel-bridge</title><style>${new SafeHtml(STYLE)}</style></head>
<body><main>${body}</main></body></html>`.value;
}
