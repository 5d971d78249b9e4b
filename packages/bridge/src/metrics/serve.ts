import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/**
 * The worker's /metrics on loopback: its own registry, then the Temporal SDK's Prometheus text fetched
 * from the SDK's loopback endpoint (when configured), so one scrape gets both.
 */
export async function serveMetrics(options: {
  registry: Registry;
  host: string;
  port: number;
  sdkMetricsUrl?: string;
}): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('only GET /metrics here\n');
      return;
    }
    void (async () => {
      const own = await options.registry.metrics();
      const sdk = options.sdkMetricsUrl ? await fetchText(options.sdkMetricsUrl) : '';
      res.writeHead(200, { 'content-type': options.registry.contentType }).end(`${own}\n${sdk}`);
    })().catch((error: unknown) => res.writeHead(500).end(String(error)));
  });
  await new Promise<void>((resolve) => server.listen(options.port, options.host, resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://${options.host}:${port}/metrics`, close: () => new Promise((r) => server.close(() => r())) };
}

// The SDK's endpoint may not be up yet (it starts with the first worker): a scrape then just lacks it.
async function fetchText(url: string): Promise<string> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return res.ok ? await res.text() : '';
  } catch {
    return '';
  }
}
