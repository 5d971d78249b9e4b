import type { z } from 'zod';
import { trusting, type AddressPolicy } from '../../net/address-policy.js';
import { ProviderError, type HttpFetch } from '../types.js';
import { graphError } from './errors.js';
import { graphErrorBodySchema } from './wire-types.js';

/** Where and as whom the adapter calls Graph. The token never leaves this object. */
export interface GraphContext {
  readonly baseUrl: string;
  readonly version: string;
  readonly accessToken: string;
  readonly fetch: HttpFetch;
  /** Longest wait for the headers of a Graph answer; a media body may stream for longer. */
  readonly timeoutMs: number;
  /** Where media URLs handed out by Graph may point: public addresses, and the Graph origin itself. */
  readonly mediaPolicy: AddressPolicy;
}

/** The credentials and endpoint a Graph call needs; defaults apply once, in graphContext. */
export interface GraphSettings {
  readonly accessToken: string;
  /** @default 'https://graph.facebook.com' */
  readonly graphBaseUrl?: string;
  /** @default 'v23.0' */
  readonly graphVersion?: string;
  /** Longest wait for one Graph API call, uploads included. @default 120000 */
  readonly requestTimeoutMs?: number;
}

export const DEFAULT_GRAPH_BASE_URL = 'https://graph.facebook.com';
export const DEFAULT_GRAPH_VERSION = 'v23.0';
export const DEFAULT_REQUEST_TIMEOUT_MS = 120_000;

export function graphContext(settings: GraphSettings, fetch: HttpFetch, mediaPolicy: AddressPolicy = {}): GraphContext {
  const baseUrl = settings.graphBaseUrl ?? DEFAULT_GRAPH_BASE_URL;
  return {
    baseUrl,
    mediaPolicy: trusting(mediaPolicy, baseUrl),
    version: settings.graphVersion ?? DEFAULT_GRAPH_VERSION,
    accessToken: settings.accessToken,
    fetch,
    timeoutMs: settings.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
  };
}

export const graphUrl = (ctx: GraphContext, path: string) =>
  `${ctx.baseUrl.replace(/\/+$/, '')}/${ctx.version}/${path.replace(/^\/+/, '')}`;

/**
 * One authenticated request. The timeout runs until the response headers arrive (uploads included),
 * so a long media body can still stream afterwards. Network failures and timeouts are retryable; a
 * timed-out send may still have been delivered, and WhatsApp has no idempotency key, so the retry
 * risks a duplicate (no idempotency field in
 * https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages). Everything else goes to graphError.
 */
export async function graphFetch(ctx: GraphContext, url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${ctx.accessToken}`);
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException('no answer in time', 'TimeoutError')),
    ctx.timeoutMs,
  );
  try {
    return await ctx.fetch(url, { ...init, headers, signal: controller.signal });
  } catch (cause) {
    const timedOut = controller.signal.aborted;
    const reason = timedOut
      ? `WhatsApp did not answer within ${+(ctx.timeoutMs / 1000).toFixed(1)} s`
      : `could not reach WhatsApp: ${(cause as Error).message}`;
    throw new ProviderError(reason, {
      retryable: true,
      retryAfterSeconds: 5,
      code: timedOut ? 'timeout' : 'network',
      cause,
    });
  } finally {
    clearTimeout(timer);
  }
}

export async function throwForResponse(res: Response): Promise<never> {
  const text = await res.text().catch(() => '');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const parsed = graphErrorBodySchema.safeParse(body);
  throw graphError(res.status, parsed.success ? parsed.data : undefined, res.headers.get('retry-after'));
}

/** A Graph call whose 2xx body must match `schema`; a body that does not is a provider fault, retryable. */
export async function graphJson<T extends z.ZodTypeAny>(
  ctx: GraphContext,
  url: string,
  schema: T,
  init?: RequestInit,
): Promise<z.infer<T>> {
  const res = await graphFetch(ctx, url, init);
  if (!res.ok) await throwForResponse(res);
  const body: unknown = await res.json().catch(() => undefined);
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new ProviderError(`WhatsApp answered ${url.split('?')[0]} with an unexpected body`, {
      retryable: true,
      cause: parsed.error,
    });
  }
  return parsed.data;
}
