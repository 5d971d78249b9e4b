import { Client, Connection } from '@temporalio/client';
import { directionClause, type MessageDirection } from '../../bridge/src/domain/message-visibility.js';
import { hubspotMessages } from './sandbox-ledgers.js';
import { parseMarker, type World } from './world.js';

/**
 * HubSpot turns a channel account off or on (`active`). The sandbox sends CHANNEL_ACCOUNT_UPDATED and the account's
 * lifecycle workflow records it; held messages resume when it is on again. `active`, not the admin's `authorized`
 * switch: with that one off the rep's editor takes no reply at all, so no reply could be held (the traffic's replies
 * would fail instead).
 */
export async function setAccountActive(world: World, accountId: string, active: boolean): Promise<void> {
  const res = await fetch(`${world.system.urls.hubspot}/_sandbox/channel-accounts/${accountId}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ active }),
  });
  if (!res.ok)
    throw new Error(
      `the sandbox refused to set active ${active} on account ${accountId}: ${res.status} ${await res.text()}`,
    );
}

export interface HeldCount {
  readonly inbound: number;
  readonly outbound: number;
}

/**
 * The account's messages whose workflows show HELD now, by direction (Temporal's visibility, as the lifecycle workflow
 * finds them).
 */
export async function heldCount(world: World, accountId: string): Promise<HeldCount> {
  const connection = await Connection.connect({ address: world.system.temporalAddress });
  try {
    const client = new Client({ connection });
    const count = async (direction: MessageDirection) =>
      (
        await client.workflow.count(
          `BridgeAccountId = "${accountId}" AND ${directionClause(direction)} AND BridgeStatus = "HELD" AND ExecutionStatus = "Running"`,
        )
      ).count;
    return { inbound: await count('inbound'), outbound: await count('outbound') };
  } finally {
    await connection.close();
  }
}

/** Polls until at least one message of the account is HELD (at most `timeoutMs`); returns the last count. */
export async function untilHeld(world: World, accountId: string, timeoutMs = 60_000): Promise<HeldCount> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const held = await heldCount(world, accountId);
    if (held.inbound + held.outbound > 0 || Date.now() > deadline) return held;
    await new Promise((r) => setTimeout(r, 500));
  }
}

export const describeHeld = (held: HeldCount) =>
  `${held.inbound + held.outbound} messages HELD (${held.inbound} customer messages, ${held.outbound} replies)`;

/**
 * Waits (at most `timeoutMs`) until every conversation of the account has its HubSpot thread. A rep can answer only in
 * a thread, and the traffic has each person wait for their previous message: a conversation still without a thread
 * when its account goes off would stall on its first reply until the account came back.
 */
export async function untilThreads(world: World, accountId: string, timeoutMs = 60_000): Promise<void> {
  const wanted = new Set(world.conversations.filter((c) => c.accountId === accountId).map((c) => c.id));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const m of await hubspotMessages(world)) {
      const found = m.direction === 'INCOMING' ? parseMarker(m.text) : undefined;
      if (found) wanted.delete(found.conversation);
    }
    if (wanted.size === 0) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}
