import { describeLatency, inboundLatencies, summarise } from '../latency.js';
import { hubspotMessages } from '../sandbox-ledgers.js';
import type { ChaosContext, Scenario } from '../scenario.js';
import type { World } from '../world.js';

/** What a wrongly opened catch-up hold would add to every other message: the test's bound. */
export const CATCH_UP_SECONDS = 60;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function post<T>(url: string, body: unknown, form = false): Promise<{ status: number; body: T }> {
  const res = await fetch(url, {
    method: 'POST',
    ...(form
      ? { body: new URLSearchParams(body as Record<string, string>) }
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: (res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T,
  };
}

/**
 * `[late-bot 3]`: the new bot's customer messages, apart from the traffic's markers so its counts stay the demo
 * accounts'.
 */
const LATE = /\[late-bot (\d+)\]/;

/**
 * An admin connects a new Telegram bot through the connection page (HubSpot's "Connect a channel"); HubSpot has not
 * created the account yet.
 */
async function connectNewBot(world: World) {
  const { urls } = world.system;
  const bot = await post<{ id: number; token: string }>(`${urls.telegram}/_sandbox/telegram/bots`, {
    first_name: 'Chaos late',
    username: `chaos_late_${Date.now()}_bot`,
  });
  if (bot.status !== 201)
    throw new Error(`the Telegram emulator made no bot: ${bot.status} ${JSON.stringify(bot.body)}`);
  const started = await post<{ accountToken: string; url: string }>(`${urls.hubspot}/_sandbox/connect`, {
    channelId: world.system.channelId,
  });
  const query = new URL(started.body.url).searchParams;
  const form = {
    accountToken: query.get('accountToken') ?? '',
    portalId: query.get('portalId') ?? '',
    redirectUrl: query.get('redirectUrl') ?? '',
    provider: 'telegram',
    botToken: bot.body.token,
  };
  const page = await post<string>(`${urls.api}/connect`, form, true);
  if (page.status !== 200)
    throw new Error(`the connection page refused the bot: ${page.status} ${String(page.body).slice(0, 300)}`);
  return { botId: bot.body.id, accountToken: started.body.accountToken };
}

/** The new bot's update deliveries: how many attempts the api answered (the deliberate 503) before it took each. */
async function refusedAttempts(world: World, botId: number): Promise<number> {
  const updates = (await (
    await fetch(`${world.system.urls.telegram}/_sandbox/telegram/bots/${botId}/updates`)
  ).json()) as { attempts: number; state: string }[];
  return updates.reduce((sum, u) => sum + Math.max(0, u.attempts - (u.state === 'delivered' ? 1 : 0)), 0);
}

/** The new bot's messages in HubSpot, in thread order: their numbers. */
async function lateMessages(world: World): Promise<number[]> {
  return (await hubspotMessages(world)).flatMap((m) => {
    const found = m.direction === 'INCOMING' ? LATE.exec(m.text) : null;
    return found ? [Number(found[1])] : [];
  });
}

/**
 * A new account connects mid-run: the admin enters a new bot in the connection page, the bridge points the bot's
 * webhook at its connection URL, and HubSpot takes its time to create the channel account. The bot's customers write
 * meanwhile; each update gets the deliberate 503 (connection pending) and Telegram retries it. That refusal must
 * delay nobody else: the others' customer → HubSpot latency is measured inside the pending stretch and outside it.
 * Once HubSpot creates the account, the new bot's messages arrive once each, in order.
 */
export const connectionPending: Scenario = {
  name: 'connection-pending',
  title: "A new account's webhooks refused 503 (connection pending) during traffic",
  // A catch-up hold opened by the refusal would hold the messages accepted meanwhile this long after the last refusal:
  // twice the default, so such a hold stands apart from the latency a loaded machine adds (test/chaos/8-…).
  bridgeEnv: { BRIDGE_CATCH_UP_SECONDS: String(CATCH_UP_SECONDS) },
  async inject({ world, traffic, size, note, measure }: ChaosContext) {
    const pendingMs = size.conversations >= 30 ? 30_000 : 12_000;
    const lateCount = 5;
    await traffic.reached(0.2);
    const { botId, accountToken } = await connectNewBot(world);
    const pendingFrom = Date.now();
    note(
      `a new Telegram bot connected through the connection page; HubSpot has not created its account (pending ${pendingMs / 1000} s)`,
    );
    for (let n = 1; n <= lateCount; n++) {
      const res = await post(`${world.system.urls.telegram}/_sandbox/telegram/bots/${botId}/messages`, {
        text: `[late-bot ${n}] written while the connection was pending`,
        from: { id: 991_000_001, first_name: 'Late customer' },
      });
      if (res.status !== 201)
        throw new Error(`the Telegram emulator refused the late customer's message: ${res.status}`);
      await sleep(1_100);
    }
    await sleep(pendingFrom + pendingMs - Date.now());
    const refused = await refusedAttempts(world, botId);
    const finished = await post<{ id: string }>(
      `${world.system.urls.hubspot}/_sandbox/connect/${accountToken}/finish`,
      {},
    );
    if (finished.status !== 201)
      throw new Error(`the sandbox did not create the account: ${finished.status} ${JSON.stringify(finished.body)}`);
    const pendingTo = Date.now();
    note(
      `HubSpot created the account (${finished.body.id}); the new bot's updates had been refused ${refused} times meanwhile`,
    );
    measure('pendingRefusals', refused);

    const deadline = Date.now() + 90_000;
    let late = await lateMessages(world);
    for (; late.length < lateCount && Date.now() < deadline; late = await lateMessages(world)) await sleep(1_000);
    const inOrder = late.every((n, i) => i === 0 || n > late[i - 1]!);
    note(
      `the new bot's ${lateCount} messages in HubSpot: ${late.join(' ') || 'none'} (${new Set(late).size} distinct, ${inOrder ? 'in order' : 'OUT OF ORDER'})`,
    );
    measure('lateSent', lateCount);
    measure('latePublished', new Set(late).size);
    measure('lateDuplicated', late.length - new Set(late).size);
    measure('lateOutOfOrder', inOrder ? 0 : 1);

    // The others: every message their senders first sent while the connection was pending, against the rest.
    await traffic.done;
    await sleep(5_000);
    const latencies = await inboundLatencies(world);
    const during = summarise(latencies.filter((l) => l.sentAt >= pendingFrom && l.sentAt <= pendingTo));
    const outside = summarise(latencies.filter((l) => l.sentAt < pendingFrom || l.sentAt > pendingTo));
    note(
      `the other accounts' customer → HubSpot latency while it was pending: ${describeLatency(during)}; the rest of the run: ${describeLatency(outside)}`,
    );
    for (const [name, s] of [
      ['during', during],
      ['outside', outside],
    ] as const) {
      measure(`${name}Count`, s.count);
      measure(`${name}P50Ms`, s.p50Ms);
      measure(`${name}P95Ms`, s.p95Ms);
      measure(`${name}MaxMs`, s.maxMs);
    }
  },
};
