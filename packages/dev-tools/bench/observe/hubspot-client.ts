import { Client } from '@hubspot/api-client';
import { round } from '../stats.js';

export interface CallCost {
  /** Wall time per call, ms (one at a time). */
  readonly wallMs: number;
  /** CPU of the calling process per call, ms. */
  readonly cpuMs: number;
}

async function cost(n: number, call: () => Promise<unknown>): Promise<CallCost> {
  await call(); // warm up: module loading and the first connection are not what repeats
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < n; i++) await call();
  const used = process.cpuUsage(cpu);
  return { wallMs: round((performance.now() - started) / n, 2), cpuMs: round((used.user + used.system) / 1000 / n, 3) };
}

/**
 * What one HubSpot call costs the caller, three ways, against the sandbox: as src/hubspot/client.ts makes it (a new
 * `@hubspot/api-client` Client per call, then `apiRequest`), with one Client kept per portal, and with plain fetch.
 */
export async function hubspotCallCost(
  baseUrl: string,
  accessToken: string,
  n: number,
): Promise<Record<'freshSdkClient' | 'keptSdkClient' | 'fetch', CallCost>> {
  const path = '/conversations/v3/conversations/inboxes';
  const check = async (res: { ok: boolean; status: number; text(): Promise<string> }) => {
    await res.text();
    if (!res.ok) throw new Error(`GET ${path} answered ${res.status}`);
  };
  const kept = new Client({ accessToken, basePath: baseUrl });
  return {
    freshSdkClient: await cost(n, async () =>
      check(await new Client({ accessToken, basePath: baseUrl }).apiRequest({ method: 'GET', path })),
    ),
    keptSdkClient: await cost(n, async () => check(await kept.apiRequest({ method: 'GET', path }))),
    fetch: await cost(n, async () =>
      check(await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${accessToken}` } })),
    ),
  };
}
