/**
 * Reading HubSpot custom-channel webhook events in every form seen in public material. HubSpot documents the event
 * types (https://developers.hubspot.com/changelog/custom-channels-api-is-now-live: CHANNEL_ACCOUNT_CREATED's "payload
 * is the same as for the channel account updated event"), not a field-by-field payload, so every alternative below is
 * [INFERRED] from public code and HubSpot's other webhooks:
 * - `type` (the Custom Channels guide, and integrations that switch on `payload.type`) or `eventType` (integrations
 *   that switch on `req.body.eventType`), or `subscriptionType` (HubSpot's Webhooks API);
 * - `portalId` at the top, or nested under `channelAccount` / `account`;
 * - the account as `channelAccountId`, `objectId` (the Webhooks API's name for the subject), or nested
 *   (`channelAccount.id`, `account.id`, `message.channelAccountId`);
 * - every id as a number or as a string of digits.
 */

type Fields = Readonly<Record<string, unknown>>;

/** HubSpot ids are 64-bit numbers: at most 20 digits (a longer one would make a workflow id Temporal refuses). */
const HUBSPOT_ID = /^\d{1,20}$/;

const asObject = (value: unknown): Fields | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Fields) : undefined;

/**
 * A string or a number of digits as a string; anything else (objects, floats, negatives) is no id. String() of an
 * object may throw.
 */
export function hubSpotId(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? String(value) : undefined;
  if (typeof value === 'string') return HUBSPOT_ID.test(value.trim()) ? value.trim() : undefined;
  return undefined;
}

/** The first usable id among `paths` (each a list of keys into nested objects). */
function firstId(event: Fields, paths: readonly (readonly string[])[]): string | undefined {
  for (const path of paths) {
    let value: unknown = event;
    for (const key of path) value = asObject(value)?.[key];
    const id = hubSpotId(value);
    if (id) return id;
  }
  return undefined;
}

/** The event's type, whichever field carries it. */
export function eventTypeOf(event: unknown): string | undefined {
  const fields = asObject(event);
  const type = fields?.type ?? fields?.eventType ?? fields?.subscriptionType;
  return typeof type === 'string' ? type : undefined;
}

/** For the log line: the event's own id, when it has one. */
export function eventIdOf(event: unknown): string | undefined {
  const id = asObject(event)?.eventId;
  return typeof id === 'string' || typeof id === 'number' ? String(id).slice(0, 100) : undefined;
}

const PORTAL_PATHS = [
  ['portalId'],
  ['channelAccount', 'portalId'],
  ['account', 'portalId'],
  ['message', 'portalId'],
] as const;
const ACCOUNT_PATHS = [
  ['channelAccountId'],
  ['objectId'],
  ['channelAccount', 'id'],
  ['channelAccount', 'channelAccountId'],
  ['account', 'id'],
  ['message', 'channelAccountId'],
] as const;

/** The portal and channel account an event is about, or undefined when either is missing or not an id. */
export function accountIdsOf(event: unknown): { readonly portalId: string; readonly accountId: string } | undefined {
  const fields = asObject(event);
  if (!fields) return undefined;
  const portalId = firstId(fields, PORTAL_PATHS);
  const accountId = firstId(fields, ACCOUNT_PATHS);
  return portalId && accountId ? { portalId, accountId } : undefined;
}
