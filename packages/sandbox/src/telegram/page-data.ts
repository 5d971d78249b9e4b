import { Router, type Request, type Response } from 'express';
import { deliveryMarks } from './delivery-marks.js';
import { chatKey, type SandboxBot, type TelegramSandboxState } from './state.js';
import type { TgUser } from './wire.js';

/**
 * What the customer page reads besides a private chat, beside the control API's POSTs (control-chats.ts):
 *
 * - `GET /customers` → `{customers: [user]}`: everyone who wrote, was added to a group or owns a Business account
 * - `GET /bots/:botId/groups` → `{groups: [{chat, members: [user], topics: [{message_thread_id, name}]}]}`
 * - `GET /bots/:botId/business-connections` → `{connections: [{id, user, is_enabled, …}]}`
 * - `GET /bots/:botId/business-connections/:id/chats/:chatId` → `{messages, deliveries}`: one customer's chat with the
 *   account, and how far each message got towards the bot (delivery-marks.ts)
 *
 * Reads only: a GET never creates a chat, since a chat's existence decides whether the bot may send to it.
 */
export function pageDataRoutes(state: TelegramSandboxState): Router {
  const router = Router();
  const base = '/_sandbox/telegram/bots/:botId';
  const withBot = (handler: (bot: SandboxBot, req: Request, res: Response) => void) =>
    function pageData(req: Request, res: Response) {
      const bot = state.bots.get(Number(req.params.botId));
      if (!bot) return void res.status(404).json({ error: `no sandbox bot ${String(req.params.botId)}` });
      handler(bot, req, res);
    };
  const user = (id: number): TgUser =>
    state.customers.get(id)?.user ?? { id, is_bot: false, first_name: `Customer ${id}` };

  router.get('/_sandbox/telegram/customers', function customers(_req, res) {
    res.json({ customers: [...state.customers.values()].map((c) => c.user) });
  });
  router.get(
    `${base}/groups`,
    withBot((bot, _req, res) => {
      const groups = [...state.groups.values()].filter((g) => g.botId === bot.id);
      res.json({
        groups: groups.map((g) => ({
          chat: g.chat,
          members: [...g.members].map(user),
          topics: [...g.topics].map(([id, name]) => ({ message_thread_id: id, name })),
        })),
      });
    }),
  );
  router.get(
    `${base}/business-connections`,
    withBot((bot, _req, res) => {
      const connections = [...state.businessConnections.values()].filter((c) => c.botId === bot.id);
      res.json({ connections: connections.map(({ botId: _botId, ...connection }) => connection) });
    }),
  );
  router.get(
    `${base}/business-connections/:connectionId/chats/:chatId`,
    withBot((bot, req, res) => {
      const connection = state.businessConnections.get(String(req.params.connectionId));
      if (!connection || connection.botId !== bot.id)
        return void res.status(404).json({ error: 'business connection not found' });
      const messages = state.chats.get(chatKey(bot.id, Number(req.params.chatId), connection.id)) ?? [];
      res.json({ messages, deliveries: deliveryMarks(state, bot, messages) });
    }),
  );
  return router;
}
