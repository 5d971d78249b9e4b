import fc from 'fast-check';
import type { HeaderLine } from './http.js';

/** Characters Node lets a client put in a header value: tab, printable ASCII and Latin-1. */
const headerChar = fc
  .oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0xa0, max: 0xff }), fc.constant(0x09))
  .map((c) => String.fromCharCode(c));
export const headerValue = fc.string({ unit: headerChar, maxLength: 200 });

export const WRONG_CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/jsonx',
  'application/json5',
  'application/vnd.api+json',
  'application/*',
  '*/*',
  '',
  ';',
  'application',
  'APPLICATION/JSON',
  'application/json, text/plain',
  'application/json; charset=utf-16',
  'application/json; charset=ebcdic',
  'application/json; charset="\u00ff"',
  'application/json;;;',
  'text/json',
] as const;

export type HeaderChange =
  | { readonly kind: 'drop'; readonly pick: number }
  | { readonly kind: 'duplicate'; readonly pick: number; readonly value?: string }
  | { readonly kind: 'recase'; readonly pick: number; readonly mask: number }
  | { readonly kind: 'garble'; readonly pick: number; readonly value: string }
  | { readonly kind: 'content-type'; readonly value: string }
  | { readonly kind: 'huge'; readonly size: number }
  | { readonly kind: 'many'; readonly count: number };

const change: fc.Arbitrary<HeaderChange> = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant('duplicate' as const),
    pick: fc.nat(),
    value: fc.option(headerValue, { nil: undefined }),
  }),
  fc.record({ kind: fc.constant('recase' as const), pick: fc.nat(), mask: fc.nat() }),
  fc.record({
    kind: fc.constant('garble' as const),
    pick: fc.nat(),
    value: fc.oneof(
      headerValue,
      fc.constantFrom(
        '',
        ' ',
        'sha256=',
        'v1,',
        'v1,=',
        'v2,abc',
        '0',
        '-1',
        '99999999999999999999',
        'sha256=' + 'g'.repeat(64),
      ),
    ),
  }),
  fc.record({ kind: fc.constant('content-type' as const), value: fc.constantFrom<string>(...WRONG_CONTENT_TYPES) }),
  // Over Node's 16 KiB header limit (answered 431 by the HTTP parser), or just under it.
  fc.record({ kind: fc.constant('huge' as const), size: fc.integer({ min: 8_000, max: 40_000 }) }),
  fc.record({ kind: fc.constant('many' as const), count: fc.integer({ min: 50, max: 400 }) }),
);

function recase(name: string, mask: number): string {
  return [...name].map((c, i) => ((mask >> (i % 30)) & 1 ? c.toUpperCase() : c.toLowerCase())).join('');
}

export function applyHeaderChange(headers: readonly HeaderLine[], c: HeaderChange): HeaderLine[] {
  const list = [...headers];
  const at = 'pick' in c && list.length > 0 ? c.pick % list.length : -1;
  switch (c.kind) {
    case 'drop':
      if (at >= 0) list.splice(at, 1);
      return list;
    case 'duplicate':
      if (at >= 0) list.splice(at + 1, 0, [list[at]![0], c.value ?? list[at]![1]]);
      return list;
    case 'recase':
      if (at >= 0) list[at] = [recase(list[at]![0], c.mask), list[at]![1]];
      return list;
    case 'garble':
      if (at >= 0) list[at] = [list[at]![0], c.value];
      return list;
    case 'content-type':
      return [
        ...list.filter(([name]) => name.toLowerCase() !== 'content-type'),
        ...(c.value === '' ? [] : [['Content-Type', c.value] as const]),
      ];
    case 'huge':
      return [...list, ['X-Fuzz-Padding', 'p'.repeat(c.size)]];
    case 'many':
      return [...list, ...Array.from({ length: c.count }, (_, i) => [`X-Fuzz-${i}`, String(i)] as const)];
  }
}

/**
 * One to four changes to a request's headers: dropped, duplicated, re-cased or garbled lines, another content type,
 * huge or many headers.
 */
export const headerChanges = fc.array(change, { minLength: 1, maxLength: 4 });
