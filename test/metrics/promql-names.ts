/**
 * The metric names a PromQL expression reads, for exactly the expressions deploy/ uses: selectors, aggregations with
 * `by (…)`, functions, arithmetic and comparisons. Label matchers, range and subquery brackets, strings, Grafana
 * variables and label lists are dropped; what is left that is not a keyword or a function call is a metric name.
 */
const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'and',
  'or',
  'unless',
  'offset',
  'inf',
  'nan',
]);
const LABEL_LISTS = /\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g;

export function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\$\{?\w+\}?/g, ' ')
    .replace(LABEL_LISTS, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/(?<![\w.])([a-zA-Z_:][\w:]*)(\s*\()?/g)) {
    const [, name, call] = match;
    if (call || KEYWORDS.has(name!.toLowerCase())) continue;
    names.add(name!);
  }
  return [...names];
}

/** Every series a Prometheus text scrape holds: its name and label names. */
export function scrapedSeries(text: string): { name: string; labels: Set<string> }[] {
  return text
    .split('\n')
    .filter((line) => /^[a-zA-Z_:]/.test(line))
    .map((line) => {
      const name = /^[a-zA-Z_:][\w:]*/.exec(line)![0];
      const labels = new Set([...line.slice(name.length).matchAll(/([a-zA-Z_]\w*)="/g)].map((m) => m[1]!));
      return { name, labels };
    });
}
