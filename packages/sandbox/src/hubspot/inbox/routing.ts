import { Router } from 'express';
import { z } from 'zod';
import { assignThread, getAccount } from '../actions.js';
import { notFound } from '../errors.js';
import { SandboxEvent, type HubSpotSandboxState } from '../state.js';
import { parseOrThrow } from '../validate.js';
import { connectRoutes } from './connect-routes.js';
import { DEFAULT_ROUTING, inboxStateOf, teamsOf, usersOf, type RoutingRule } from './inbox-state.js';

export const routingOf = (state: HubSpotSandboxState, accountId: string): RoutingRule =>
  inboxStateOf(state).routing.get(accountId) ?? DEFAULT_ROUTING;

/** Who a new thread goes to under its account's rule, or undefined to leave it for triage. */
function pickOwner(state: HubSpotSandboxState, rule: RoutingRule, contactId: string | undefined): string | undefined {
  const page = inboxStateOf(state);
  if (!rule.autoAssign) return undefined;
  if (rule.assignTo === 'CONTACT_OWNER') return contactId ? page.contactOwners.get(contactId) : undefined;
  const teams = teamsOf(state).filter((t) => rule.teamIds.includes(t.id));
  const pool = [...new Set([...rule.userIds, ...teams.flatMap((t) => t.members)])];
  if (pool.length === 0) return undefined;
  return pool[page.turn++ % pool.length];
}

/** Applies the account's routing to each thread once, when HubSpot creates it. */
export function startRouting(state: HubSpotSandboxState): void {
  const page = inboxStateOf(state);
  state.events.on(SandboxEvent.threadUpdated, ({ id }: { id: string }) => {
    const thread = state.threads.get(id);
    if (!thread || page.routed.has(id)) return;
    page.routed.add(id);
    const rule = routingOf(state, thread.channelAccountId);
    if (Object.keys(rule.properties).length) page.threadProperties.set(id, { ...rule.properties });
    const owner = thread.assignedTo ? undefined : pickOwner(state, rule, thread.associatedContactId);
    // Listeners run inside HubSpot's publish request: a routing failure must not fail the publish, but must be seen.
    try {
      if (owner) assignThread(state, id, owner);
    } catch (error) {
      process.emitWarning(`inbox routing could not assign thread ${id} to ${owner}: ${(error as Error).message}`);
    }
  });
}

const actorIds = (state: HubSpotSandboxState) => usersOf(state).map((u) => u.actorId) as [string, ...string[]];

/**
 * Sandbox-only routes for what HubSpot keeps in its settings UI and has no public API for: routing rules, contact
 * owners, and the connect flow's progress (connect-routes.ts, mounted here so the page's router needs no change).
 */
export function routingRoutes(state: HubSpotSandboxState): Router {
  const router = Router();
  router.use(connectRoutes(state));
  const ruleSchema = () =>
    z.object({
      autoAssign: z.boolean(),
      assignTo: z.enum(['USERS_AND_TEAMS', 'CONTACT_OWNER']),
      userIds: z.array(z.enum(actorIds(state))).default([]),
      teamIds: z.array(z.enum(teamsOf(state).map((t) => t.id) as [string, ...string[]])).default([]),
      properties: z
        .object({
          priority: z.enum(['LOW', 'MEDIUM', 'HIGH']).optional(),
          category: z.string().trim().max(60).optional(),
        })
        .default({}),
    });
  router.get('/_sandbox/inbox/routing/:accountId', function getRouting(req, res) {
    getAccount(state, req.params.accountId);
    res.json(routingOf(state, req.params.accountId));
  });
  router.put('/_sandbox/inbox/routing/:accountId', function putRouting(req, res) {
    getAccount(state, req.params.accountId);
    const rule = parseOrThrow(ruleSchema(), req.body);
    if (!rule.properties.category) delete rule.properties.category;
    inboxStateOf(state).routing.set(req.params.accountId, rule);
    state.events.emit(SandboxEvent.accountUpdated, { id: req.params.accountId });
    res.json(rule);
  });
  router.put('/_sandbox/inbox/contacts/:contactId/owner', function putContactOwner(req, res) {
    if (![...state.contacts.values()].includes(req.params.contactId)) throw notFound(`Contact ${req.params.contactId}`);
    const { ownerId } = parseOrThrow(z.object({ ownerId: z.enum(actorIds(state)).nullable() }), req.body);
    const owners = inboxStateOf(state).contactOwners;
    if (ownerId) owners.set(req.params.contactId, ownerId);
    else owners.delete(req.params.contactId);
    res.json({ contactId: req.params.contactId, ownerId });
  });
  return router;
}
