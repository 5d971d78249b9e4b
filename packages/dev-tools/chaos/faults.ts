import { shuffledCopies } from '../../sandbox/src/webhook-replay.js';
import type { ProviderKind } from '../../bridge/src/domain/ids.js';
import type { World } from './world.js';

async function call(method: string, url: string, body?: unknown): Promise<unknown> {
  const res = await fetch(url, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${url} answered ${res.status}: ${await res.text()}`);
  return res.status === 204 ? undefined : res.json();
}

/**
 * HubSpot sandbox faults (docs/SANDBOX.md, "Inject faults"): `{kind, status?, latencyMs?, pathContains?, method?,
 * count?, share?}`.
 */
export async function hubspotFault(world: World, fault: Record<string, unknown>): Promise<string> {
  return ((await call('POST', `${world.system.urls.hubspot}/_sandbox/faults`, fault)) as { id: string }).id;
}

/** Waits (at most 2 minutes) until a counted HubSpot fault has hit all its calls and is gone. */
export async function untilUsedUp(world: World, id: string): Promise<void> {
  for (const deadline = Date.now() + 120_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) {
    const { faults } = (await call('GET', `${world.system.urls.hubspot}/_sandbox/faults`)) as {
      faults: { id: string }[];
    };
    if (!faults.some((f) => f.id === id)) return;
  }
}

export const removeHubSpotFault = (world: World, id: string) =>
  call('DELETE', `${world.system.urls.hubspot}/_sandbox/faults/${id}`);

/** A provider emulator's send faults, in that emulator's own words (docs/PROVIDERS.md, docs/GENERIC_PROVIDER.md). */
export async function providerFault(
  world: World,
  provider: ProviderKind,
  fault: Record<string, unknown>,
): Promise<void> {
  const { urls } = world.system;
  const url =
    provider === 'telegram'
      ? `${urls.telegram}/_sandbox/telegram/faults`
      : provider === 'whatsapp'
        ? `${urls.whatsapp}/_sandbox/whatsapp/faults`
        : `${urls.generic}/_sandbox/generic/faults`;
  await call('POST', url, fault);
}

/** Clears every fault in every sandbox, so a scenario's settle runs on a healthy system. */
export async function clearAllFaults(world: World): Promise<void> {
  const { urls } = world.system;
  await Promise.all([
    call('DELETE', `${urls.hubspot}/_sandbox/faults`),
    call('DELETE', `${urls.telegram}/_sandbox/telegram/faults`),
    call('DELETE', `${urls.whatsapp}/_sandbox/whatsapp/faults`),
    call('DELETE', `${urls.generic}/_sandbox/generic/faults`),
  ]);
}

export interface StormSummary {
  readonly replayed: number;
  readonly answers: Record<string, number>;
}

/** A provider emulator replays its `recent` last delivered webhooks `times` times each, shuffled and concurrent. */
export async function providerStorm(
  world: World,
  provider: ProviderKind,
  recent: number,
  times: number,
): Promise<StormSummary> {
  const { urls } = world.system;
  const url =
    provider === 'telegram'
      ? `${urls.telegram}/_sandbox/telegram/bots/${world.telegramBotId}/replay`
      : provider === 'whatsapp'
        ? `${urls.whatsapp}/_sandbox/whatsapp/webhooks/replay`
        : `${urls.generic}/_sandbox/generic/replay`;
  return (await call('POST', url, { recent, times, concurrency: 8 })) as StormSummary;
}

/**
 * HubSpot redelivers its `recent` last rep-reply webhooks `times` times each, shuffled (each newly signed, as HubSpot's
 * retries are).
 */
export async function hubspotStorm(world: World, recent: number, times: number): Promise<StormSummary> {
  const { urls } = world.system;
  const { deliveries } = (await call(
    'GET',
    `${urls.hubspot}/_sandbox/webhooks?type=OUTGOING_CHANNEL_MESSAGE_CREATED`,
  )) as { deliveries: { eventId: string; status?: number }[] };
  const delivered = [
    ...new Set(deliveries.filter((d) => d.status !== undefined && d.status < 300).map((d) => d.eventId)),
  ].slice(-recent);
  const copies = shuffledCopies(delivered, times);
  const answers: Record<string, number> = {};
  for (const eventId of copies) {
    const res = await fetch(`${urls.hubspot}/_sandbox/webhooks/${eventId}/redeliver`, { method: 'POST' });
    answers[String(res.status)] = (answers[String(res.status)] ?? 0) + 1;
  }
  return { replayed: copies.length, answers };
}
