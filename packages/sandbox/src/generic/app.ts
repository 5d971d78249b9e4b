import express, { type ErrorRequestHandler, type Express } from 'express';
import { controlRoutes } from './control.js';
import { SandboxInputError } from './customer.js';
import { customerPage } from './page.js';
import { DEFAULT_RETRY, type RetryPolicy } from './deliver.js';
import { receiverRoutes } from './receiver.js';
import { createGenericSandboxState, type GenericSandboxState } from './state.js';

export interface GenericSandboxOptions {
  /** The bridge's inbound endpoint for this connector: `{bridge}/webhooks/generic/{accountId}`. */
  readonly bridgeUrl: string;
  /** The `whsec_…` secret shared with the bridge; signs and verifies both directions. */
  readonly signingSecret: string;
  /** Base URL media links point at; by default the host the control request came to. */
  readonly publicUrl?: string;
  readonly retry?: Partial<RetryPolicy>;
  /** Receipts sent back automatically for each reply the receiver accepts. */
  readonly autoReceipts?: readonly ('delivered' | 'read')[];
  readonly fetch?: typeof fetch;
}

export type GenericSandbox = Express & { readonly sandbox: GenericSandboxState };

const errors: ErrorRequestHandler = (error, _req, res, _next) => {
  const status = error instanceof SandboxInputError ? 400 : typeof error?.status === 'number' ? error.status : 500;
  res.status(status).json({ error: error instanceof Error ? error.message : String(error) });
};

/**
 * A reference connector for docs/GENERIC_PROVIDER.md: it sends as the customer's service would
 * (signed, retried, stopped by 410), receives the bridge's replies at `/connector/callback`,
 * serves its own media, and injects faults. `app.sandbox` is its state, for tests.
 */
export function createGenericSandbox(options: GenericSandboxOptions): GenericSandbox {
  const state = createGenericSandboxState({ bridgeUrl: options.bridgeUrl, signingSecret: options.signingSecret });
  const deps = {
    fetch: options.fetch ?? globalThis.fetch,
    retry: { ...DEFAULT_RETRY, ...options.retry },
    publicUrl: options.publicUrl,
    autoReceipts: options.autoReceipts ?? [],
  };
  const app = express();
  app.disable('x-powered-by');
  app.use(receiverRoutes(state, deps));
  app.use(controlRoutes(state, deps));
  app.use(customerPage(state));
  app.use(function unknownPath(req, res) {
    res.status(404).json({ error: `no route ${req.method} ${req.path}` });
  });
  app.use(errors);
  return Object.assign(app, { sandbox: state });
}
