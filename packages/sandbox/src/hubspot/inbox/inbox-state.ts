import type { HubSpotSandboxState } from '../state.js';

/** One rep of the portal, as an actor id (`A-{userId}`) the Conversations API accepts for `assignedTo`. */
export interface SandboxUser {
  readonly actorId: string;
  readonly name: string;
}

export interface SandboxTeam {
  readonly id: string;
  readonly name: string;
  readonly members: readonly string[];
}

/** Conversation properties an account's new threads start with. */
export interface ConversationProperties {
  priority?: 'LOW' | 'MEDIUM' | 'HIGH';
  category?: string;
}

/**
 * An account's routing, as in HubSpot's channel settings: leave new conversations unassigned, or assign them
 * to specific users and teams (round robin), or to the contact's owner; and set conversation properties.
 */
export interface RoutingRule {
  autoAssign: boolean;
  assignTo: 'USERS_AND_TEAMS' | 'CONTACT_OWNER';
  userIds: string[];
  teamIds: string[];
  properties: ConversationProperties;
}

export const DEFAULT_ROUTING: RoutingRule = {
  autoAssign: false,
  assignTo: 'USERS_AND_TEAMS',
  userIds: [],
  teamIds: [],
  properties: {},
};

/** What only the inbox page keeps, beside the sandbox's own state. */
export interface InboxPageState {
  /** thread id → ids of the messages the rep has had on screen. */
  readonly seen: Map<string, Set<string>>;
  /** channel account id → routing. */
  readonly routing: Map<string, RoutingRule>;
  /** contact id → owner actor id. */
  readonly contactOwners: Map<string, string>;
  /** thread id → properties set by routing. */
  readonly threadProperties: Map<string, ConversationProperties>;
  /** Threads routing has already handled, so a thread is routed once, when it is created. */
  readonly routed: Set<string>;
  turn: number;
}

const byState = new WeakMap<HubSpotSandboxState, InboxPageState>();

/** The page's own state lives beside the sandbox's, one per sandbox, without widening its type. */
export function inboxStateOf(state: HubSpotSandboxState): InboxPageState {
  let page = byState.get(state);
  if (!page) {
    page = {
      seen: new Map(),
      routing: new Map(),
      contactOwners: new Map(),
      threadProperties: new Map(),
      routed: new Set(state.threads.keys()),
      turn: 0,
    };
    byState.set(state, page);
  }
  return page;
}

/** The portal's reps: the user who installed the app (who replies as "Sandbox Rep") and two colleagues. */
export function usersOf(state: HubSpotSandboxState): SandboxUser[] {
  const portal = [...state.portals.values()][0];
  const base = portal?.userId ?? 1;
  return [
    { actorId: `A-${base}`, name: 'Sandbox Rep' },
    { actorId: `A-${base + 1}`, name: 'Maya Patel' },
    { actorId: `A-${base + 2}`, name: 'Sam Lee' },
  ];
}

export function teamsOf(state: HubSpotSandboxState): SandboxTeam[] {
  const [me, maya, sam] = usersOf(state).map((u) => u.actorId);
  return [
    { id: 'support', name: 'Support team', members: [me!, maya!] },
    { id: 'billing', name: 'Billing team', members: [sam!] },
  ];
}

export const userName = (state: HubSpotSandboxState, actorId: string | undefined) =>
  actorId ? (usersOf(state).find((u) => u.actorId === actorId)?.name ?? actorId) : undefined;
