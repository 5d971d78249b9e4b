import type { Request, Response, Router } from 'express';
import { businessCustomerSends, connectBusiness, deleteBusinessMessages, editMessage } from './business.js';
import type { CustomerMessageInput } from './customer.js';
import { createGroup, createTopic, memberSends } from './groups.js';
import { MAX_UPLOAD_BYTES, readParams, type Params, type UploadedFile } from './params.js';
import type { SandboxBot, TelegramSandboxState } from './state.js';
import { badRequest } from './wire.js';

/**
 * Control routes for groups, forum topics and Business chats, beside the private-chat ones in control.ts:
 *
 * - `POST /bots/:botId/groups` `{title, type?, is_forum?, member_ids}` → `{chat, update}` (the bot's my_chat_member)
 * - `POST /bots/:botId/groups/:chatId/topics` `{name, user_id?}` → `{message_thread_id, update}`
 * - `POST /bots/:botId/groups/:chatId/messages` `{from: {id}, text, file?, message_thread_id?, reply_to_message_id?}` →
 *   `{update}`
 * - `POST /bots/:botId/business-connections` `{from: owner, is_enabled?, connection_id?}` → `{connection, update}`
 * - `POST /bots/:botId/business-connections/:id/messages` `{from: customer, text, file?…}` → `{update}`
 * - `POST /bots/:botId/business-connections/:id/delete` `{chat_id, message_ids}` → `{update}`
 * - `POST /bots/:botId/edits` `{chat_id, message_id, text, business_connection_id?}` → `{update}`
 */

type Handler = (req: Request, res: Response) => unknown;
interface Deps {
  readonly route: (handler: Handler) => Handler;
  readonly botOf: (state: TelegramSandboxState, req: Request) => SandboxBot;
  readonly customerInput: (params: Params, upload?: UploadedFile) => CustomerMessageInput;
}

const integer = (value: unknown, name: string): number => {
  const n = typeof value === 'number' ? value : Number(value);
  if (value === undefined || value === '' || !Number.isInteger(n)) throw badRequest(`"${name}" must be an integer`);
  return n;
};
const optionalInteger = (value: unknown, name: string) =>
  value === undefined || value === '' ? undefined : integer(value, name);

export function chatControlRoutes(
  router: Router,
  state: TelegramSandboxState,
  { route, botOf, customerInput }: Deps,
): void {
  const base = '/_sandbox/telegram/bots/:botId';
  router.post(
    `${base}/groups`,
    route(async (req, res) => {
      const { params } = await readParams(req);
      const memberIds = Array.isArray(params.member_ids)
        ? params.member_ids.map((id) => integer(id, 'member_ids'))
        : [];
      const title = typeof params.title === 'string' && params.title ? params.title : 'Sandbox group';
      const type = params.type === 'group' ? 'group' : 'supergroup';
      const { group, update } = createGroup(state, botOf(state, req), {
        title,
        type,
        isForum: params.is_forum === true,
        memberIds,
      });
      res.status(201).json({ chat: group.chat, update });
    }),
  );
  router.post(
    `${base}/groups/:chatId/topics`,
    route(async (req, res) => {
      const { params } = await readParams(req);
      const name = typeof params.name === 'string' && params.name ? params.name : 'Topic';
      const { messageThreadId, update } = createTopic(
        state,
        botOf(state, req),
        integer(req.params.chatId, 'chatId'),
        name,
        optionalInteger(params.user_id, 'user_id'),
      );
      res.status(201).json({ message_thread_id: messageThreadId, update });
    }),
  );
  router.post(
    `${base}/groups/:chatId/messages`,
    route(async (req, res) => {
      const { params, files } = await readParams(req, Math.ceil(MAX_UPLOAD_BYTES * 1.4));
      const input = {
        ...customerInput(params, files.file),
        messageThreadId: optionalInteger(params.message_thread_id, 'message_thread_id'),
      };
      res
        .status(201)
        .json({ update: memberSends(state, botOf(state, req), integer(req.params.chatId, 'chatId'), input) });
    }),
  );
  router.post(
    `${base}/business-connections`,
    route(async (req, res) => {
      const { params } = await readParams(req);
      const owner = customerInput(params).from ?? {};
      const existing = typeof params.connection_id === 'string' ? params.connection_id : undefined;
      const { connection, update } = connectBusiness(
        state,
        botOf(state, req),
        owner,
        params.is_enabled !== false,
        existing,
      );
      res.status(201).json({ connection, update });
    }),
  );
  router.post(
    `${base}/business-connections/:connectionId/messages`,
    route(async (req, res) => {
      const { params, files } = await readParams(req, Math.ceil(MAX_UPLOAD_BYTES * 1.4));
      res.status(201).json({
        update: businessCustomerSends(
          state,
          botOf(state, req),
          String(req.params.connectionId),
          customerInput(params, files.file),
        ),
      });
    }),
  );
  router.post(
    `${base}/business-connections/:connectionId/delete`,
    route(async (req, res) => {
      const { params } = await readParams(req);
      const ids = Array.isArray(params.message_ids) ? params.message_ids.map((id) => integer(id, 'message_ids')) : [];
      res.json({
        update: deleteBusinessMessages(
          state,
          botOf(state, req),
          String(req.params.connectionId),
          integer(params.chat_id, 'chat_id'),
          ids,
        ),
      });
    }),
  );
  router.post(
    `${base}/edits`,
    route(async (req, res) => {
      const { params } = await readParams(req);
      if (typeof params.text !== 'string' || params.text.trim() === '') throw badRequest('message text is empty');
      const target = {
        chatId: integer(params.chat_id, 'chat_id'),
        messageId: integer(params.message_id, 'message_id'),
        text: params.text,
        ...(typeof params.business_connection_id === 'string'
          ? { businessConnectionId: params.business_connection_id }
          : {}),
      };
      res.json({ update: editMessage(state, botOf(state, req), target) });
    }),
  );
}
