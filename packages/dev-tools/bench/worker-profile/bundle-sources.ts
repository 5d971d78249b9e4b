import fs from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';

const INLINE_MAP = /\/\/# sourceMappingURL=data:application\/json;(?:charset=[^;]+;)?base64,([A-Za-z0-9+/=]+)\s*$/;

/**
 * Where a position in the workflow bundle came from, read from the inline source map the SDK's bundler writes
 * (webpack's `inline-source-map`, absolute source paths). Undefined when the bundle has no map.
 */
export function bundleSources(
  bundleFile: string,
): ((line: number, column: number) => { source: string; line: number } | undefined) | undefined {
  const code = fs.readFileSync(bundleFile, 'utf8');
  const encoded = INLINE_MAP.exec(code.slice(-Math.min(code.length, 20_000_000)))?.[1];
  if (!encoded) return undefined;
  const map = new SourceMap(JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as SourceMapPayload);
  return (line, column) => {
    const entry = map.findEntry(line, column) as { originalSource?: string; originalLine?: number };
    return entry.originalSource
      ? { source: entry.originalSource.replace(/^webpack:\/\/[^/]*/, ''), line: entry.originalLine ?? 0 }
      : undefined;
  };
}
