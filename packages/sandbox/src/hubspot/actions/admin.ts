import { conflict, notFound, validationError } from '../errors.js';
import {
  randomToken,
  SandboxEvent,
  type HubSpotSandboxState,
  type SandboxChannelAccount,
  type SandboxInbox,
  type SandboxPortal,
  type SandboxStagingToken,
} from '../state.js';
import { channelAccountEvent, sendWebhook, type ChannelAccountEventType } from '../webhooks.js';

export function getPortal(state: HubSpotSandboxState, portalId?: string): SandboxPortal {
  const portal = portalId ? state.portals.get(portalId) : [...state.portals.values()][0];
  if (!portal) throw notFound(`Portal ${portalId}`);
  return portal;
}

function getInbox(state: HubSpotSandboxState, portalId: string, inboxId: string): SandboxInbox {
  const inbox = state.inboxes.get(inboxId);
  if (!inbox || inbox.portalId !== portalId || inbox.archived) throw notFound(`Inbox ${inboxId}`);
  return inbox;
}

/** A live (not archived) channel account. */
export function getAccount(state: HubSpotSandboxState, accountId: string): SandboxChannelAccount {
  const account = state.channelAccounts.get(accountId);
  if (!account || account.archived) throw notFound(`Channel account ${accountId}`);
  return account;
}

function notify(state: HubSpotSandboxState, type: ChannelAccountEventType, account: SandboxChannelAccount): void {
  state.events.emit(SandboxEvent.accountUpdated, { id: account.id });
  const channel = state.channels.get(account.channelId);
  if (channel && !channel.archived) sendWebhook(state, channel, channelAccountEvent(type, account));
}

export interface ConnectStart {
  readonly stagingToken: SandboxStagingToken;
  /** Where HubSpot sends the admin: the channel's connection page with the account token and ids. */
  readonly url: string;
}

/**
 * An admin picks the channel under Inbox settings → "Connect a channel": HubSpot creates a staging token and opens
 * `channelAccountConnectionRedirectUrl?accountToken=…&portalId=…&channelId=…&inboxId=…&redirectUrl=…`.
 * `redirectUrl` (sandbox: `/_sandbox/connect/{token}/complete`) finishes the connection when the page sends the admin
 * back.
 */
export function startConnect(
  state: HubSpotSandboxState,
  input: { channelId: string; portalId?: string; inboxId?: string },
): ConnectStart {
  const portal = getPortal(state, input.portalId);
  const channel = state.channels.get(input.channelId);
  if (!channel || channel.archived) throw notFound(`Channel ${input.channelId}`);
  if (!channel.channelAccountConnectionRedirectUrl) {
    throw validationError(
      `Channel ${channel.id} has no channelAccountConnectionRedirectUrl, so it cannot be connected from HubSpot`,
    );
  }
  const inbox = getInbox(state, portal.portalId, input.inboxId ?? portal.inboxId);
  const stagingToken: SandboxStagingToken = {
    accountToken: randomToken('stg').replace(/-/g, ''),
    portalId: portal.portalId,
    channelId: channel.id,
    inboxId: inbox.id,
    userId: portal.userId,
    createdAt: new Date().toISOString(),
  };
  state.stagingTokens.set(stagingToken.accountToken, stagingToken);
  const url = new URL(channel.channelAccountConnectionRedirectUrl);
  url.searchParams.set('accountToken', stagingToken.accountToken);
  url.searchParams.set('portalId', portal.portalId);
  url.searchParams.set('channelId', channel.id);
  url.searchParams.set('inboxId', inbox.id);
  url.searchParams.set('redirectUrl', `${state.origin}/_sandbox/connect/${stagingToken.accountToken}/complete`);
  return { stagingToken, url: url.toString() };
}

/**
 * The admin finishes in HubSpot: the account is created from the staging token (name and delivery identifier the
 * integration wrote with PATCH …/channel-account-staging-tokens/{token}) and CHANNEL_ACCOUNT_CREATED is sent.
 * 404 for an unknown token, 409 when it was already used, 400 when the integration never filled it in.
 */
export function finishConnect(state: HubSpotSandboxState, accountToken: string): SandboxChannelAccount {
  const token = state.stagingTokens.get(accountToken);
  if (!token) throw notFound(`Staging token ${accountToken}`);
  if (token.channelAccountId)
    throw conflict(`Staging token ${accountToken} was already used`, 'CustomChannelsError.STAGING_TOKEN_ALREADY_USED');
  if (!token.accountName)
    throw validationError('The integration has not set the account name on this staging token yet');
  const account: SandboxChannelAccount = {
    id: state.nextId(),
    channelId: token.channelId,
    portalId: token.portalId,
    inboxId: token.inboxId,
    name: token.accountName,
    authorized: true,
    active: true,
    archived: false,
    createdAt: new Date().toISOString(),
    ...(token.deliveryIdentifier ? { deliveryIdentifier: token.deliveryIdentifier } : {}),
  };
  state.channelAccounts.set(account.id, account);
  token.channelAccountId = account.id;
  notify(state, 'CHANNEL_ACCOUNT_CREATED', account);
  return account;
}

/** What an admin can change in the channel's settings. */
export interface AccountEdit {
  /** Rename. */
  readonly name?: string;
  /** Move to another inbox or to the help desk (an inbox of type HELP_DESK) of the same portal. */
  readonly inboxId?: string;
  /** Turn off (false) or on (true). */
  readonly authorized?: boolean;
  /**
   * HubSpot's own "turned on" flag (`active`), which the API cannot set: lets tests play an account HubSpot
   * deactivated.
   */
  readonly active?: boolean;
}

/** Edits the account and sends one CHANNEL_ACCOUNT_UPDATED when something changed. */
export function editAccount(state: HubSpotSandboxState, accountId: string, edit: AccountEdit): SandboxChannelAccount {
  const account = getAccount(state, accountId);
  if (edit.name !== undefined && !edit.name.trim()) throw validationError('name must not be empty');
  if (edit.inboxId !== undefined) getInbox(state, account.portalId, edit.inboxId);
  const before = JSON.stringify(account);
  if (edit.name !== undefined) account.name = edit.name;
  if (edit.inboxId !== undefined) account.inboxId = edit.inboxId;
  if (edit.authorized !== undefined) account.authorized = edit.authorized;
  if (edit.active !== undefined) account.active = edit.active;
  if (JSON.stringify(account) !== before) notify(state, 'CHANNEL_ACCOUNT_UPDATED', account);
  return account;
}

/** Removes the connection: the account is archived (kept for `?archived=true`) and CHANNEL_ACCOUNT_PURGED is sent. */
export function removeAccount(state: HubSpotSandboxState, accountId: string): SandboxChannelAccount {
  const account = getAccount(state, accountId);
  account.archived = true;
  account.active = false;
  account.archivedAt = new Date().toISOString();
  notify(state, 'CHANNEL_ACCOUNT_PURGED', account);
  return account;
}

/** Adds an inbox or help desk to a portal, e.g. to move an account there. */
export function createInbox(
  state: HubSpotSandboxState,
  input: { portalId?: string; name: string; type?: SandboxInbox['type'] },
): SandboxInbox {
  const portal = getPortal(state, input.portalId);
  if (!input.name.trim()) throw validationError('name must not be empty');
  const now = new Date().toISOString();
  const inbox: SandboxInbox = {
    id: state.nextId(),
    portalId: portal.portalId,
    name: input.name,
    type: input.type ?? 'INBOX',
    createdAt: now,
    updatedAt: now,
    archived: false,
  };
  state.inboxes.set(inbox.id, inbox);
  return inbox;
}
