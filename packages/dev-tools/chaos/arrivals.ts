import { parseMarker, type World } from './world.js';

/** When a sender first tried to deliver a message to the bridge, and when the bridge first acknowledged it (2xx). */
export interface SenderTimes {
  readonly first: number;
  readonly ack: number;
}

/**
 * Each message's delivery times from the senders' own ledgers, `c003:in:5` → times in ms or, for Telegram, which pushes
 * one update at a time in order, its position. With them an out-of-order message can be told apart: the sender
 * reordered it (the message that overtook it was already on its way before it was acknowledged) or the bridge did.
 */
export async function senderAcks(world: World): Promise<Map<string, SenderTimes>> {
  const { urls } = world.system;
  const get = async <T>(url: string) => (await fetch(url)).json() as Promise<T>;
  type Attempt = { at: string; answeredAt?: string; status?: number };
  type WaValue = { messages?: { text?: { body?: string }; image?: { caption?: string } }[] };
  const [telegram, whatsapp, generic, hubspot] = await Promise.all([
    get<{ update: { message?: { text?: string; caption?: string } }; state: string }[]>(
      `${urls.telegram}/_sandbox/telegram/bots/${world.telegramBotId}/updates`,
    ),
    get<{ deliveries: { kind: string; body: { entry: { changes: { value: WaValue }[] }[] }; attempts: Attempt[] }[] }>(
      `${urls.whatsapp}/_sandbox/whatsapp/webhooks`,
    ),
    get<{ deliveries: { type: string; body: { data: { text?: string } }; attempts: Attempt[] }[] }>(
      `${urls.generic}/_sandbox/generic/outgoing`,
    ),
    get<{ deliveries: { at: string; status?: number; body: { message?: { text?: string } } }[] }>(
      `${urls.hubspot}/_sandbox/webhooks?type=OUTGOING_CHANNEL_MESSAGE_CREATED`,
    ),
  ]);
  const acks = new Map<string, SenderTimes>();
  const note = (text: string | undefined, times: SenderTimes | undefined) => {
    const found = parseMarker(text);
    const key = found && `${found.conversation}:${found.direction}:${found.seq}`;
    if (key && times && !acks.has(key)) acks.set(key, times);
  };
  const timesOf = (attempts: Attempt[]): SenderTimes | undefined => {
    const ok = attempts.find((a) => a.status !== undefined && a.status < 300);
    return ok && attempts[0]
      ? { first: Date.parse(attempts[0].at), ack: Date.parse(ok.answeredAt ?? ok.at) }
      : undefined;
  };
  telegram.forEach(
    (u, position) =>
      u.state === 'delivered' &&
      note(u.update.message?.text ?? u.update.message?.caption, { first: position, ack: position }),
  );
  for (const d of whatsapp.deliveries.filter((d) => d.kind === 'message')) {
    const m = d.body.entry[0]?.changes[0]?.value.messages?.[0];
    note(m?.text?.body ?? m?.image?.caption, timesOf(d.attempts));
  }
  for (const d of generic.deliveries.filter((d) => d.type === 'message.created'))
    note(d.body.data.text, timesOf(d.attempts));
  // HubSpot's ledger has one row per attempt, written when it ended; replays of a storm come after the first 2xx.
  const byReply = new Map<string, { at: string; status?: number }[]>();
  for (const d of hubspot.deliveries)
    byReply.set(d.body.message?.text ?? '', [...(byReply.get(d.body.message?.text ?? '') ?? []), d]);
  for (const [text, attempts] of byReply) note(text, timesOf(attempts.map((a) => ({ at: a.at, status: a.status }))));
  return acks;
}
