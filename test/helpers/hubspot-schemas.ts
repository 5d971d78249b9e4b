import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

/**
 * The project's own JSON schemas for HubSpot (schemas/hubspot/*.schema.json, written from HubSpot's public docs, see
 * schemas/hubspot/README.md),
 * and which schema a HubSpot path's request and response must match.
 */

const SCHEMA_DIR = path.resolve(import.meta.dirname, '../../schemas/hubspot');
const BASE = 'https://channel-bridge.dev/schemas/hubspot/';

// ajv-formats is CommonJS; under ESM its function sits on `default`.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv2020,
) => Ajv2020;

let ajv: Ajv2020 | undefined;
function schemas(): Ajv2020 {
  if (!ajv) {
    ajv = new Ajv2020({ strict: true, strictRequired: false, allowUnionTypes: true, allErrors: true });
    addFormats(ajv);
    for (const file of fs.readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.schema.json'))) {
      ajv.addSchema(JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, file), 'utf8')) as object);
    }
  }
  return ajv;
}

/** Thrown when a body does not match its schema; the message lists every problem. */
export class SchemaMismatch extends Error {
  constructor(
    readonly schemaRef: string,
    readonly problems: string[],
    readonly data: unknown,
  ) {
    super(`does not match ${schemaRef}:\n  ${problems.join('\n  ')}\n  data: ${JSON.stringify(data).slice(0, 600)}`);
    this.name = 'SchemaMismatch';
  }
}

/** Validates `data` against `file#Def`, e.g. `custom-channels#Message`. Throws SchemaMismatch. */
export function assertMatches(ref: string, data: unknown): void {
  const [file, def] = ref.split('#');
  const validate = schemas().getSchema(`${BASE}${file}.schema.json#/$defs/${def}`);
  if (!validate) throw new Error(`no schema ${ref}`);
  if (!validate(data)) {
    throw new SchemaMismatch(
      ref,
      (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`),
      data,
    );
  }
}

interface Route {
  readonly method: string;
  readonly path: RegExp;
  readonly request?: string;
  readonly response?: string;
  readonly oauth?: boolean;
}

const CC = '/conversations/(?:v3/custom-channels|custom-channels/2026-03)';
const r = (method: string, pattern: string, request?: string, response?: string, oauth = false): Route => ({
  method,
  path: new RegExp(`^${pattern}$`),
  request,
  response,
  oauth,
});

const ROUTES: Route[] = [
  r('POST', `(?:${CC}|/conversations/custom-channels/v3)`, 'custom-channels#ChannelCreate', 'custom-channels#Channel'),
  r('GET', `(?:${CC}|/conversations/custom-channels/v3)`, undefined, 'custom-channels#ChannelCollection'),
  r('GET', `${CC}/\\d+`, undefined, 'custom-channels#Channel'),
  r('PATCH', `${CC}/\\d+`, 'custom-channels#ChannelPatch', 'custom-channels#Channel'),
  r('DELETE', `${CC}/\\d+`),
  r('POST', `${CC}/\\d+/channel-accounts`, 'custom-channels#ChannelAccountEgg', 'custom-channels#ChannelAccount'),
  r('GET', `${CC}/\\d+/channel-accounts`, undefined, 'custom-channels#ChannelAccountCollection'),
  r('GET', `${CC}/\\d+/channel-accounts/\\d+`, undefined, 'custom-channels#ChannelAccount'),
  r(
    'PATCH',
    `${CC}/\\d+/channel-accounts/\\d+`,
    'custom-channels#ChannelAccountUpdate',
    'custom-channels#ChannelAccount',
  ),
  r(
    'PATCH',
    `${CC}/\\d+/channel-account-staging-tokens/[^/]+`,
    'custom-channels#StagingTokenUpdate',
    'custom-channels#StagingToken',
  ),
  r('POST', `${CC}/\\d+/messages`, 'custom-channels#MessageEgg', 'custom-channels#Message'),
  r('GET', `${CC}/\\d+/messages/[^/]+`, undefined, 'custom-channels#Message'),
  r('PATCH', `${CC}/\\d+/messages/[^/]+`, 'custom-channels#MessageStatusUpdate', 'custom-channels#Message'),
  r('POST', '/files/v3/files', 'files#UploadForm', 'files#File'),
  r('GET', '/files/v3/files/\\d+', undefined, 'files#File'),
  r('GET', '/files/v3/files/\\d+/signed-url', undefined, 'files#SignedUrl'),
  r('GET', '/conversations/v3/conversations/inboxes', undefined, 'conversations#InboxCollection'),
  r('GET', '/conversations/v3/conversations/inboxes/\\d+', undefined, 'conversations#Inbox'),
  r('GET', '/conversations/v3/conversations/threads', undefined, 'conversations#ThreadCollection'),
  r('GET', '/conversations/v3/conversations/threads/\\d+', undefined, 'conversations#Thread'),
  r('PATCH', '/conversations/v3/conversations/threads/\\d+', 'conversations#ThreadUpdate', 'conversations#Thread'),
  r('GET', '/conversations/v3/conversations/threads/\\d+/messages', undefined, 'conversations#ThreadMessages'),
  r('POST', '/oauth/(?:v1|v3|2026-03)/token', 'oauth#TokenRequest', 'oauth#TokenResponse', true),
];

const routeFor = (method: string, pathname: string) =>
  ROUTES.find((route) => route.method === method && route.path.test(pathname));

/** True when the sandbox serves this HubSpot path (so its request and response have schemas). */
export const isHubSpotApiPath = (method: string, pathname: string) => routeFor(method, pathname) !== undefined;

/** Validates an answer of the HubSpot API: the route's schema for 2xx, HubSpot's error bodies otherwise. */
export function assertResponseMatches(method: string, pathname: string, status: number, body: unknown): void {
  const route = routeFor(method, pathname);
  if (status >= 400) {
    if (route?.oauth) return assertMatches('oauth#OAuthError', body);
    const rateLimited = status === 429 && typeof body === 'object' && body !== null && 'policyName' in body;
    return assertMatches(rateLimited ? 'common#RateLimitError' : 'common#Error', body);
  }
  if (!route) throw new Error(`no schema for ${method} ${pathname}`);
  if (route.response) assertMatches(route.response, body);
  else if (body !== undefined && body !== '')
    throw new Error(`${method} ${pathname} answered a body where none is expected`);
}

/** Validates a request body sent to the HubSpot API. Calls without a body must send none. */
export function assertRequestMatches(method: string, pathname: string, body: unknown): void {
  const route = routeFor(method, pathname);
  if (!route) throw new Error(`no schema for ${method} ${pathname}`);
  if (route.request) {
    assertMatches(route.request, body);
    if (route.request === 'files#UploadForm')
      assertMatches('files#UploadOptions', JSON.parse((body as { options: string }).options));
  } else if (body !== undefined && !(typeof body === 'object' && body !== null && Object.keys(body).length === 0)) {
    throw new Error(`${method} ${pathname} must not carry a body`);
  }
}
