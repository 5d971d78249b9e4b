import { randomBytes, randomInt } from 'node:crypto';
import express, { Router, type Request, type RequestHandler } from 'express';
import { graphErrorHandler, GraphError } from './graph-errors.js';
import { fromLoopback } from './loopback.js';
import { mediaRoutes } from './media-routes.js';
import { messagesRoute } from './messages-route.js';
import { API_SETUP_PATH, apiSetupPage } from './page-numbers.js';
import { createNumberState, newGraphId, type NumberIdentity, type WhatsAppSandboxState } from './state.js';

/**
 * More business numbers in one emulator, made on the API setup page (page-numbers.ts) or with
 * `POST /_sandbox/whatsapp/numbers`. Each is a world of its own, as a number in another Meta app is: its own access
 * token, app secret, webhook, customers and ledger. They share the emulator's address, as all numbers share
 * graph.facebook.com: a Graph request carrying a number's access token is that number's, and its page and control API
 * live under `/_sandbox/whatsapp/numbers/:phoneNumberId/`.
 */

/** Thrown when a new number's name or phone number is not one the emulator can give out. */
export class NumberRequestError extends Error {}

const BASE = '/_sandbox/whatsapp';

/** Where a number's own page and control API are: the sandbox's first number keeps the original paths. */
export const controlBaseOf = (primary: WhatsAppSandboxState, number: WhatsAppSandboxState) =>
  number === primary ? BASE : `${BASE}/numbers/${number.options.phoneNumberId}`;

const all = (primary: WhatsAppSandboxState) => [primary, ...primary.numbers.values()];

/** A US test number, 1 555 and seven digits, as Meta hands out for trying the API; free in this emulator. */
function freeDisplayNumber(primary: WhatsAppSandboxState): string {
  for (;;) {
    const candidate = `1555${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;
    if (!all(primary).some((n) => n.options.displayPhoneNumber === candidate)) return candidate;
  }
}

/** Adds a number with new credentials, as adding a phone number to a new app in Meta's dashboard does. */
export function createNumber(
  primary: WhatsAppSandboxState,
  input: { verifiedName?: string; displayPhoneNumber?: string },
): WhatsAppSandboxState {
  const verifiedName = input.verifiedName?.trim() || `Sandbox Business ${primary.numbers.size + 2}`;
  if (verifiedName.length > 100) throw new NumberRequestError('a business name is at most 100 characters');
  const wanted = input.displayPhoneNumber?.replace(/[\s()+-]/g, '');
  if (wanted !== undefined && wanted !== '' && !/^\d{8,15}$/.test(wanted))
    throw new NumberRequestError(
      `"${input.displayPhoneNumber}" is not a phone number: 8 to 15 digits with the country code`,
    );
  if (wanted && all(primary).some((n) => n.options.displayPhoneNumber === wanted))
    throw new NumberRequestError(`+${wanted} is already a number of this sandbox`);
  let phoneNumberId = newGraphId();
  while (all(primary).some((n) => n.options.phoneNumberId === phoneNumberId)) phoneNumberId = newGraphId();
  const identity: NumberIdentity = {
    phoneNumberId,
    displayPhoneNumber: wanted || freeDisplayNumber(primary),
    verifiedName,
    wabaId: newGraphId(),
    // Meta's tokens start EAA; app secrets are 32 hex digits. The verify token is the admin's choice, set with the
    // webhook.
    accessToken: `EAAG${randomBytes(48).toString('base64url')}`,
    appSecret: randomBytes(16).toString('hex'),
    verifyToken: randomBytes(12).toString('base64url'),
  };
  const number = createNumberState(primary, identity);
  primary.numbers.set(phoneNumberId, number);
  return number;
}

/** A number as the API setup page lists it; credentials only for a caller on this machine. */
export function numberSummary(primary: WhatsAppSandboxState, number: WhatsAppSandboxState, withCredentials: boolean) {
  const { phoneNumberId, displayPhoneNumber, verifiedName, accessToken, appSecret } = number.options;
  const controlBase = controlBaseOf(primary, number);
  return {
    phoneNumberId,
    displayPhoneNumber,
    verifiedName,
    first: number === primary,
    controlBase,
    customerPage: `${controlBase}/`,
    webhook: {
      url: number.webhook.url ?? null,
      verified: number.webhook.verified,
      lastHandshake: number.webhook.lastHandshake ?? null,
    },
    ...(withCredentials ? { credentials: { accessToken, appSecret, verifyToken: number.webhook.verifyToken } } : {}),
  };
}

/** A number's Graph endpoints, as the emulator's app serves its first number's (app.ts). */
function graphRouter(number: WhatsAppSandboxState): Router {
  const router = Router();
  router.use(function recordRequest(req, res, next) {
    res.on('finish', () => {
      number.requests.push({
        seq: number.requests.length + 1,
        at: new Date().toISOString(),
        method: req.method,
        path: req.path,
        status: res.statusCode,
      });
    });
    next();
  });
  router.use(messagesRoute(number), mediaRoutes(number));
  router.use(function unknownPath(req, _res, next) {
    next(new GraphError(400, 2500, `Unknown path components: ${req.method} ${req.path}`));
  });
  router.use(graphErrorHandler());
  return router;
}

const bearerOf = (req: Request) => /^Bearer (.+)$/i.exec(req.get('authorization') ?? '')?.[1]?.trim();

export interface NumberSiteRoutes {
  /** A number's customer page, its data routes under `root`. */
  readonly page: (number: WhatsAppSandboxState, root: string) => Router;
  /** A number's control API at `/_sandbox/whatsapp/…`. */
  readonly control: (number: WhatsAppSandboxState) => Router;
}

/**
 * Routes the other numbers' requests to them (before the first number's own routes see them), the API setup page
 * (`GET /_sandbox/whatsapp/api-setup`), and the numbers list:
 * - `GET /_sandbox/whatsapp/numbers` → `{numbers: [summary]}`, the first number first
 * - `POST /_sandbox/whatsapp/numbers {verifiedName?, displayPhoneNumber?}` → 201 with the new number's summary
 * - `/_sandbox/whatsapp/numbers/:phoneNumberId/…` → that number's page and control API (`/`, `/conversation/:waId`,
 *   `/customer/messages`, `/webhook`, `/ledger`…)
 * - any Graph request whose Bearer token is another number's → that number's Graph endpoints
 */
export function numberRoutes(primary: WhatsAppSandboxState, site: NumberSiteRoutes): Router {
  const router = Router();
  const sites = new WeakMap<WhatsAppSandboxState, Router>();
  const graphs = new WeakMap<WhatsAppSandboxState, Router>();
  const siteOf = (number: WhatsAppSandboxState) => {
    let routes = sites.get(number);
    if (!routes)
      sites.set(
        number,
        (routes = Router().use(site.page(number, controlBaseOf(primary, number)), site.control(number))),
      );
    return routes;
  };

  router.get(API_SETUP_PATH, apiSetupPage());
  router.get(`${BASE}/numbers`, function listNumbers(req, res) {
    res.json({
      numbers: [primary, ...primary.numbers.values()].map((n) => numberSummary(primary, n, fromLoopback(req))),
    });
  });
  router.post(`${BASE}/numbers`, express.json(), function addNumber(req, res) {
    const body = (req.body ?? {}) as { verifiedName?: unknown; displayPhoneNumber?: unknown };
    const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
    try {
      const number = createNumber(primary, {
        verifiedName: text(body.verifiedName),
        displayPhoneNumber: text(body.displayPhoneNumber),
      });
      res.status(201).json(numberSummary(primary, number, fromLoopback(req)));
    } catch (error) {
      if (!(error instanceof NumberRequestError)) throw error;
      res.status(400).json({ error: error.message });
    }
  });
  router.use(`${BASE}/numbers/:phoneNumberId`, function otherNumberSite(req, res, next) {
    const number = primary.numbers.get(String(req.params.phoneNumberId));
    if (!number) return void res.status(404).json({ error: `no sandbox number ${String(req.params.phoneNumberId)}` });
    // Its routes are written for the first number's paths: hand them the path below the number's prefix.
    const stripped = req.url;
    req.url = `${BASE}${stripped === '/' ? '/' : stripped}`;
    siteOf(number)(req, res, (error?: unknown) => {
      req.url = stripped;
      next(error);
    });
  });
  const otherNumberGraph: RequestHandler = function otherNumberGraph(req, res, next) {
    const token = req.path.startsWith('/_sandbox') ? undefined : bearerOf(req);
    const number = token ? [...primary.numbers.values()].find((n) => n.options.accessToken === token) : undefined;
    if (!number) return next();
    let routes = graphs.get(number);
    if (!routes) graphs.set(number, (routes = graphRouter(number)));
    routes(req, res, next);
  };
  router.use(otherNumberGraph);
  return router;
}
