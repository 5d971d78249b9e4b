import type { TelegramSandboxState } from '../state.js';
import { dropPending, startDelivery } from '../webhook-delivery.js';
import { TelegramApiError, badRequest } from '../wire.js';
import { integerParam, stringParam, type MethodContext, type MethodHandler, type MethodResult } from './context.js';

/** setWebhook's secret_token: 1-256 characters of A-Z, a-z, 0-9, `_` and `-`. */
const SECRET_TOKEN_PATTERN = /^[A-Za-z0-9_-]{1,256}$/;

const getMe: MethodHandler = ({ bot }) => ({
  result: {
    ...bot.user,
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
  },
});

function allowedUpdates(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
    throw badRequest("can't parse allowed updates JSON object");
  return value;
}

const setWebhook: MethodHandler = ({ state, bot, params }): MethodResult => {
  const url = stringParam(params, 'url');
  if (url === undefined) throw badRequest('parameter "url" is required');
  if (url === '') return deleteWebhook({ state, bot, params, files: {} }) as MethodResult;
  // The sandbox allows plain http on any port, so the bridge can run without TLS locally.
  if (!/^https?:\/\/[^\s/]+/.test(url)) throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
  const secretToken = stringParam(params, 'secret_token');
  if (secretToken !== undefined && !SECRET_TOKEN_PATTERN.test(secretToken))
    throw badRequest('secret token contains unallowed characters');
  const maxConnections = integerParam(params, 'max_connections') ?? 40;
  if (maxConnections < 1 || maxConnections > 100)
    throw badRequest('bad webhook: max_connections must be between 1 and 100');
  if (params.drop_pending_updates === true) dropPending(state, bot);
  bot.webhook = { url, secretToken, maxConnections, allowedUpdates: allowedUpdates(params.allowed_updates) };
  bot.lastErrorDate = undefined;
  bot.lastErrorMessage = undefined;
  void startDelivery(state, bot);
  return { result: true, description: 'Webhook was set' };
};

const deleteWebhook: MethodHandler = ({ state, bot, params }) => {
  const wasSet = bot.webhook !== undefined;
  bot.webhook = undefined;
  if (params.drop_pending_updates === true) dropPending(state, bot);
  return { result: true, description: wasSet ? 'Webhook was deleted' : 'Webhook is already deleted' };
};

const getWebhookInfo: MethodHandler = ({ bot }) => {
  const w = bot.webhook;
  return {
    result: {
      url: w?.url ?? '',
      has_custom_certificate: false,
      pending_update_count: bot.pending.length,
      ...(bot.lastErrorDate !== undefined
        ? { last_error_date: bot.lastErrorDate, last_error_message: bot.lastErrorMessage }
        : {}),
      ...(w ? { max_connections: w.maxConnections } : {}),
      ...(w?.allowedUpdates ? { allowed_updates: w.allowedUpdates } : {}),
    },
  };
};

function waitForUpdate(state: TelegramSandboxState, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      state.listeners.delete(done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    state.listeners.add(done);
  });
}

/** Long polling: unavailable while a webhook is set, exactly as Telegram answers (409). */
const getUpdates: MethodHandler = async ({ state, bot, params }: MethodContext) => {
  if (bot.webhook)
    throw new TelegramApiError(
      409,
      "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
    );
  const offset = integerParam(params, 'offset');
  // An offset confirms every update before it.
  while (offset !== undefined && bot.pending.length > 0 && bot.pending[0]!.update_id < offset) {
    const confirmed = bot.pending.shift()!;
    const record = state.updates.find((r) => r.update.update_id === confirmed.update_id);
    if (record) record.state = 'delivered';
  }
  const timeout = Math.min(integerParam(params, 'timeout') ?? 0, 50);
  if (bot.pending.length === 0 && timeout > 0 && !state.disposed) await waitForUpdate(state, timeout * 1000);
  const limit = Math.min(Math.max(integerParam(params, 'limit') ?? 100, 1), 100);
  return { result: bot.pending.slice(0, limit) };
};

export const setupMethods: Record<string, MethodHandler> = {
  getMe,
  setWebhook,
  deleteWebhook,
  getWebhookInfo,
  getUpdates,
};
