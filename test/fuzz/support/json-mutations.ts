import fc from 'fast-check';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * JSON text spliced into a body as is: what JSON.stringify cannot build (30 000 levels of nesting, `__proto__` keys,
 * 400-digit numbers).
 */
export class RawJson {
  constructor(readonly text: string) {}
}

/** A payload under mutation: real JSON with raw pieces in it. */
export type Shape = Json | RawJson | Shape[] | { [key: string]: Shape };

const RAW_MARK = '\u0000raw:';

/** The body's bytes-to-be: JSON.stringify, with every RawJson spliced in. */
export function serialise(value: Shape): string {
  const raws: string[] = [];
  const text =
    JSON.stringify(value, (_key, v: unknown) => (v instanceof RawJson ? `${RAW_MARK}${raws.push(v.text) - 1}` : v)) ??
    'null';
  return raws.length === 0 ? text : text.replace(/"\\u0000raw:(\d+)"/g, (_m, i: string) => raws[Number(i)]!);
}

const nested = (depth: number, open: string, leaf: string, close: string) =>
  new RawJson(open.repeat(depth) + leaf + close.repeat(depth));

/** Values a careless or hostile sender puts where another type belongs. */
export const wrongValue: fc.Arbitrary<Shape> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom<Shape>(
      null,
      true,
      false,
      0,
      -1,
      1.5,
      -0,
      1e308,
      -1e308,
      2 ** 53 + 1,
      1e21,
      4e15,
      '',
      ' ',
      '0',
      '-1',
      'null',
      'true',
      '[]',
      '{}',
      '\ud800',
      '\udfff',
      '\u0000',
      '\u202e',
      '💥💥',
      'a\r\nb',
      '2026-01-01T00:00:00+99:99',
      '2026-13-45T25:61:61Z',
      '9999-12-31T23:59:59Z',
      '1e999',
      'NaN',
      '../../etc/passwd',
      '<script>x</script>',
      {},
      [],
      [null],
      { '': null },
      [[]],
      [{}],
    ),
  },
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Shape> },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.integer() },
  { weight: 2, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  // Huge strings: up to just under the fuzz apps' 64 KiB body limit, and sometimes over it.
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }), fc.integer({ min: 300, max: 70_000 }))
      .map(([s, n]) => s.repeat(Math.ceil(n / s.length))),
  },
  // Deep nesting: arrays two bytes a level, objects six.
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 30_000 }).map((d) => nested(d, '[', '', ']')) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 9_000 }).map((d) => nested(d, '{"a":', '1', '}')) },
  // Long arrays of one wrong thing.
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 10, max: 8_000 }), fc.constantFrom<Json>(1, 'a', null, {}, []))
      .map(([n, v]) => Array<Shape>(n).fill(v)),
  },
  // Numbers JSON.parse turns into Infinity or 0, and keys that are prototype names.
  { weight: 1, arbitrary: fc.integer({ min: 20, max: 400 }).map((n) => new RawJson('9'.repeat(n))) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      new RawJson('1e400'),
      new RawJson('-1e400'),
      new RawJson('1e-400'),
      new RawJson('-0.0'),
      new RawJson(
        '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"toString":1,"valueOf":1}',
      ),
      new RawJson('{"toString":1}'),
      new RawJson('{"toString":{},"valueOf":{}}'),
      new RawJson('{"a":1,"a":"dup"}'),
    ),
  },
);

type Path = readonly (string | number)[];

function pathsOf(value: Shape, at: Path = []): Path[] {
  if (value instanceof RawJson || value === null || typeof value !== 'object') return [at];
  const children = Array.isArray(value)
    ? value.map((v, i) => pathsOf(v, [...at, i]))
    : Object.entries(value).map(([k, v]) => pathsOf(v, [...at, k]));
  return [at, ...children.flat()];
}

function updateAt(value: Shape, path: Path, change: (parent: Shape, key: string | number | undefined) => Shape): Shape {
  if (path.length === 0) return change(value, undefined);
  if (value instanceof RawJson || value === null || typeof value !== 'object') return value;
  const [key, ...rest] = path as [string | number, ...(string | number)[]];
  if (rest.length === 0) return change(value, key);
  if (Array.isArray(value)) return value.map((v, i) => (i === key ? updateAt(v, rest, change) : v));
  return { ...value, [key]: updateAt((value as Record<string, Shape>)[key]!, rest, change) };
}

export type MutationKind = 'replace' | 'tweak' | 'delete' | 'insert' | 'wrap';
export interface Mutation {
  readonly kind: MutationKind;
  /** Which node of the payload, modulo their count. */
  readonly pick: number;
  readonly value: Shape;
  readonly key: string;
  /** For `tweak`: which change, the digits to put in, how many times to repeat. */
  readonly variant: number;
  readonly digits: string;
  readonly times: number;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom<MutationKind>(
    'replace',
    'replace',
    'replace',
    'tweak',
    'tweak',
    'tweak',
    'delete',
    'insert',
    'wrap',
  ),
  pick: fc.nat(),
  value: wrongValue,
  key: fc.oneof(
    fc.constantFrom('__proto__', 'constructor', 'toString', 'type', 'id', 'message', ''),
    fc.string({ maxLength: 12 }),
  ),
  variant: fc.nat(),
  digits: fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 16 }),
  times: fc.integer({ min: 2, max: 3000 }),
});

/**
 * A wrong value that still looks like the real one: one run of digits changed (a month of 13, an offset of +99:99),
 * the string repeated thousands of times, a lone surrogate appended, a number scaled past any sensible range, or
 * the same value as another type.
 */
function tweak(value: Shape, m: Mutation): Shape {
  if (typeof value === 'string') {
    const groups = [...value.matchAll(/\d+/g)];
    switch (m.variant % 6) {
      case 0: {
        const group = groups[m.variant % Math.max(1, groups.length)];
        if (!group) return value + m.digits;
        const digits = m.digits.padEnd(group[0].length, m.digits).slice(0, group[0].length);
        return value.slice(0, group.index) + digits + value.slice(group.index! + group[0].length);
      }
      case 1:
        return (value || 'x').repeat(Math.min(m.times, Math.ceil(60_000 / Math.max(1, value.length))));
      case 2:
        return `${value}\ud800`;
      case 3:
        return value.slice(0, m.variant % Math.max(1, value.length));
      case 4:
        return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : ` ${value.toUpperCase()} `;
      default:
        return value === '' ? ' ' : '';
    }
  }
  if (typeof value === 'number') {
    const choices: Shape[] = [
      value * 10 ** (m.times % 24),
      -value - 1,
      value + 0.5,
      String(value),
      value * 1000,
      2 ** 53 + 1,
      8.64e12 + 1,
      8.64e15 + 1,
    ];
    return choices[m.variant % choices.length]!;
  }
  if (typeof value === 'boolean') return [String(value), value ? 1 : 0, !value][m.variant % 3]!;
  if (Array.isArray(value)) return Object.fromEntries(value.map((v, i) => [String(i), v]));
  if (value !== null && !(value instanceof RawJson)) return Object.values(value);
  return m.value;
}

/** Applies one mutation to a copy of `root`. */
export function mutate(root: Shape, m: Mutation): Shape {
  const paths = pathsOf(root);
  const path = paths[m.pick % paths.length]!;
  return updateAt(root, path, (parent, key) => {
    if (key === undefined)
      return m.kind === 'wrap'
        ? [parent]
        : m.kind === 'replace'
          ? m.value
          : m.kind === 'tweak'
            ? tweak(parent, m)
            : parent;
    const holder = parent as Shape[] | Record<string, Shape>;
    const current = (holder as Record<string | number, Shape>)[key]!;
    const replacement = m.kind === 'wrap' ? [current] : m.kind === 'tweak' ? tweak(current, m) : m.value;
    if (Array.isArray(holder)) {
      const copy = [...holder];
      if (m.kind === 'delete') copy.splice(key as number, 1);
      else if (m.kind === 'insert') copy.splice(key as number, 0, m.value);
      else copy[key as number] = replacement;
      return copy;
    }
    const copy: Record<string, Shape> = { ...holder };
    if (m.kind === 'delete') delete copy[key];
    // defineProperty, so "__proto__" becomes an own key as JSON.parse would make it.
    else if (m.kind === 'insert')
      Object.defineProperty(copy, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
    else copy[key] = replacement;
    return copy;
  });
}

/**
 * A real payload (one of `seeds`, recorded from the provider or its documentation) with one to three fields
 * replaced by a wrong type, null, a huge string or deep nesting, deleted, wrapped in an array, or joined by an
 * unexpected key. One case in eight is sent unmutated, so the accepting path runs too.
 */
export function mutatedPayload(
  seeds: readonly Shape[],
): fc.Arbitrary<{ text: string; mutations: readonly Mutation[] }> {
  return fc
    .tuple(
      fc.constantFrom(...seeds),
      fc.oneof(
        { weight: 1, arbitrary: fc.constant([]) },
        { weight: 7, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 3 }) },
      ),
    )
    .map(([seed, mutations]) => ({ text: serialise(mutations.reduce(mutate, seed)), mutations }));
}
