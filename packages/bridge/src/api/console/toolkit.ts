import type { Client } from '@temporalio/client';
import type { RequestHandler, Response } from 'express';
import { formBody } from '../middleware/raw-body.js';
import type { InspectContext } from '../../inspect/index.js';
import type { ProviderSettingsByKind } from '../../providers/registry.js';
import type { Store } from '../../store/types.js';
import type { SafeHtml } from '../connect/html.js';
import { storedSecrets } from './accounts-data.js';
import { consolePage, type ConsoleSection } from './layout.js';
import { redactSecrets } from './redact.js';
import { consoleSecrets, requireSameOrigin, requireSession } from './session.js';

/** What the console reads; `createApp`'s deps have all of it. */
export interface ConsoleDeps {
  readonly store: Store;
  readonly temporal: Client;
  readonly taskQueue: string;
  readonly checkTemporal: () => Promise<unknown>;
  /** BRIDGE_ADMIN_TOKEN: the console's password; unset means the console is off (503). */
  readonly adminToken?: string;
  readonly inspect?: { readonly namespace: string; readonly uiUrl: string };
  /** Each provider's settings by kind (its API base URL), for the webhook health (the real APIs when absent). */
  readonly connect?: { readonly providers: Partial<ProviderSettingsByKind> };
}

/** What every group of console routes uses: the guards, the form parser, and the way pages are sent. */
export interface ConsoleToolkit {
  readonly deps: ConsoleDeps;
  readonly ctx: InspectContext;
  readonly csrf: string;
  readonly form: RequestHandler;
  readonly session: RequestHandler;
  readonly sameOrigin: RequestHandler;
  /** Sends a whole page after the secrets check (src/api/console/redact.ts). */
  send(res: Response, status: number, page: string): Promise<void>;
  /** A signed-in page: the shell with its section, then `send`. */
  render(
    res: Response,
    status: number,
    title: string,
    section: ConsoleSection,
    body: SafeHtml,
    script?: SafeHtml,
  ): Promise<void>;
}

export function consoleToolkit(deps: ConsoleDeps): ConsoleToolkit {
  const csrf = deps.adminToken ? consoleSecrets(deps.adminToken).csrf : '';
  async function send(res: Response, status: number, page: string): Promise<void> {
    const secrets = [
      ...(await storedSecrets(deps.store).catch(() => [])),
      ...(deps.adminToken ? [deps.adminToken] : []),
    ];
    res.status(status).type('html').send(redactSecrets(page, secrets));
  }
  return {
    deps,
    ctx: {
      client: deps.temporal,
      namespace: deps.inspect?.namespace ?? 'default',
      uiUrl: deps.inspect?.uiUrl ?? 'http://localhost:8233',
      mappings: deps.store,
    },
    csrf,
    // The api's own form reader (as POST /connect): it stops an oversized or chunked body at the limit with 413.
    form: formBody(4 * 1024),
    session: requireSession(deps.adminToken),
    sameOrigin: requireSameOrigin(deps.adminToken),
    send,
    render: (res, status, title, section, body, script) =>
      send(res, status, consolePage(title, section, csrf, body, script)),
  };
}
