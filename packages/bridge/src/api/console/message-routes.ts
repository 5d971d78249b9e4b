import type { Router } from 'express';
import { messageStatusOf } from '../../domain/message-visibility.js';
import { StatusKey } from '../../domain/search-attributes.js';
import { InspectError, listMessages, retryMessage, showMessage, type ListFilter } from '../../inspect/index.js';
import { resolveMessage } from '../../inspect/resolve.js';
import { html } from '../connect/html.js';
import { HttpError } from '../http-error.js';
import { messageBody, messageListBody, retryWatchScript } from './messages-page.js';
import type { ConsoleToolkit } from './toolkit.js';

/** A page waits this long for Temporal; then it says Temporal is unreachable rather than hang on the SDK's retries. */
const TEMPORAL_WAIT_MS = 8_000;

const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** Search and filters, one message, its state for the live Retry, and Retry itself (src/inspect/). */
export function messageRoutes(router: Router, kit: ConsoleToolkit): void {
  const ctx = kit.ctx;
  const store = kit.deps.store;
  const bounded = <T>(fn: () => Promise<T>) => ctx.client.withDeadline(Date.now() + TEMPORAL_WAIT_MS, fn);
  router.get('/console/messages', kit.session, async function messages(req, res) {
    const q = req.query;
    const filter: ListFilter & { q?: string } = {
      q: str(q.q),
      account: str(q.account),
      direction: str(q.direction),
      status: str(q.status),
      since: str(q.since),
      until: str(q.until),
      limit: 100,
    };
    const accounts = await store.listAccounts();
    try {
      if (filter.q)
        return res.redirect(
          303,
          `/console/messages/${encodeURIComponent((await bounded(() => resolveMessage(ctx, filter.q!))).workflowId)}`,
        );
      return await kit.render(
        res,
        200,
        'Messages',
        'messages',
        messageListBody(filter, accounts, await bounded(() => listMessages(ctx, filter))),
      );
    } catch (error) {
      if (!(error instanceof InspectError)) throw error;
      return kit.render(
        res,
        error.status,
        'Messages',
        'messages',
        messageListBody(filter, accounts, undefined, error.message),
      );
    }
  });

  router.get('/console/messages/:id/state', kit.session, async function messageState(req, res) {
    const d = await bounded(() => resolveMessage(ctx, String(req.params.id))).catch((error: unknown) => {
      throw error instanceof InspectError ? new HttpError(error.status, error.message, { cause: error }) : error;
    });
    res.json({
      workflowId: d.workflowId,
      runId: d.runId,
      executionStatus: d.status.name,
      status: messageStatusOf({
        workflowType: d.type,
        executionStatus: d.status.name,
        status: d.typedSearchAttributes.get(StatusKey),
      }),
    });
  });

  router.get('/console/messages/:id', kit.session, async function message(req, res) {
    const id = String(req.params.id);
    try {
      const report = await bounded(() => showMessage(ctx, id));
      const retried = str(req.query.retried);
      const notice = retried ? `Retry started (new run ${retried}): following it…` : undefined;
      return await kit.render(
        res,
        200,
        report.workflowId,
        'messages',
        messageBody(report, kit.csrf, notice),
        retried ? retryWatchScript(report.workflowId, res.locals.nonce as string) : undefined,
      );
    } catch (error) {
      if (!(error instanceof InspectError)) throw error;
      return kit.render(
        res,
        error.status,
        'Messages',
        'messages',
        messageListBody({ q: id }, await store.listAccounts(), undefined, error.message),
      );
    }
  });

  // What `messages retry` does; the page it leads to follows the new run until it settles.
  router.post('/console/messages/:id/retry', kit.session, kit.form, kit.sameOrigin, async function retry(req, res) {
    const id = String(req.params.id);
    try {
      const result = await retryMessage(ctx, id, 'retried from the console');
      return res.redirect(
        303,
        `/console/messages/${encodeURIComponent(result.workflowId)}?retried=${encodeURIComponent(result.runId)}`,
      );
    } catch (error) {
      if (!(error instanceof InspectError)) throw error;
      const report = await showMessage(ctx, id).catch(() => undefined);
      return kit.render(
        res,
        error.status,
        'Retry refused',
        'messages',
        html`<p class="error" role="alert">Retry refused: ${error.message}</p>${report ? messageBody(report, kit.csrf) : ''}`,
      );
    }
  });
}
