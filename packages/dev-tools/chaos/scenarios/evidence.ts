import type { World } from '../world.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * HubSpot calls the killed process had in flight, by kind: slowed calls written to the sandbox's ledger in the 2.5 s
 * after the kill, before anything was started again (the ledger writes a call when its answer is sent or its
 * connection dies, and nobody else calls HubSpot meanwhile).
 */
export async function cutOffCalls(world: World, killedAt: number): Promise<string> {
  await sleep(2_500);
  const res = await fetch(`${world.system.urls.hubspot}/_sandbox/ledger`);
  const { entries } = (await res.json()) as { entries: { at: string; method: string; path: string; fault?: string }[] };
  const cut = entries.filter(
    (e) => e.fault === 'latency' && Date.parse(e.at) >= killedAt && Date.parse(e.at) < killedAt + 2_500,
  );
  const uploads = cut.filter((e) => e.path.includes('/files/')).length;
  const publishes = cut.filter((e) => e.method === 'POST' && e.path.endsWith('/messages')).length;
  return `${uploads} uploads, ${publishes} publishes`;
}

type Attempt = { status?: number; error?: string };

/** Failed attempts by answer (`503`, `no connection`), e.g. `503 ×4, no connection ×9`. */
function histogram(attempts: readonly Attempt[]): string {
  const counts = new Map<string, number>();
  for (const a of attempts)
    if (a.status === undefined || a.status >= 300)
      counts.set(
        a.status ? String(a.status) : 'no connection',
        (counts.get(a.status ? String(a.status) : 'no connection') ?? 0) + 1,
      );
  return counts.size === 0 ? 'none' : [...counts].map(([k, n]) => `${k} ×${n}`).join(', ');
}

/** Webhook attempts each sender saw fail (refused connections, 5xx) and retried, with what they got. */
export async function refusedWebhooks(world: World): Promise<string> {
  const { urls } = world.system;
  const get = async <T>(url: string) => (await fetch(url)).json() as Promise<T>;
  const [whatsapp, generic, hubspot, telegram] = await Promise.all([
    get<{ deliveries: { attempts: Attempt[] }[] }>(`${urls.whatsapp}/_sandbox/whatsapp/webhooks`),
    get<{ deliveries: { attempts: Attempt[] }[] }>(`${urls.generic}/_sandbox/generic/outgoing`),
    get<{ deliveries: Attempt[] }>(`${urls.hubspot}/_sandbox/webhooks`),
    get<{ attempts: number; state: string }[]>(
      `${urls.telegram}/_sandbox/telegram/bots/${world.telegramBotId}/updates`,
    ),
  ]);
  const telegramRetries = telegram.reduce(
    (sum, u) => sum + Math.max(0, u.attempts - (u.state === 'delivered' ? 1 : 0)),
    0,
  );
  return [
    `Telegram ${telegramRetries} retries`,
    `WhatsApp ${histogram(whatsapp.deliveries.flatMap((d) => d.attempts))}`,
    `generic ${histogram(generic.deliveries.flatMap((d) => d.attempts))}`,
    `HubSpot ${histogram(hubspot.deliveries)}`,
  ].join('; ');
}
