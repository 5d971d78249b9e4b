import { Router, type Request, type Response } from 'express';
import { replayRequestOf, replayStorm } from '../webhook-replay.js';
import { botSummary, createBot, fromLoopback } from './bots.js';
import { chatControlRoutes } from './control-chats.js';
import { customerSends, setBlocked, type CustomerMessageInput } from './customer.js';
import { deliveryMarks } from './delivery-marks.js';
import { addFault, type FaultInput } from './faults.js';
import { MAX_UPLOAD_BYTES, readParams, type Params } from './params.js';
import { addBot, FILE_KINDS, type FileKind, type SandboxBot, type TelegramSandboxState } from './state.js';
import { deliveredUpdates, post } from './webhook-delivery.js';
import { TelegramApiError } from './wire.js';

/**
 * `/_sandbox/telegram/*`: act as the customer, block the bot, inject faults and read what the bot
 * sent. Not part of the Bot API; nothing in the bridge calls it.
 */

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function botOf(state: TelegramSandboxState, req: Request): SandboxBot {
  const bot = state.bots.get(Number(req.params.botId));
  if (!bot) throw new ControlError(404, `no sandbox bot ${String(req.params.botId)}`);
  return bot;
}

const num = (value: unknown) => (value === undefined || value === '' ? undefined : Number(value));
const str = (value: unknown) => (value === undefined || value === '' ? undefined : String(value));

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function checkedLocation(value: unknown): CustomerMessageInput['location'] {
  if (value === undefined) return undefined;
  const l = value as Record<string, unknown>;
  if (!isNumber(l.latitude) || !isNumber(l.longitude) || Math.abs(l.latitude) > 90 || Math.abs(l.longitude) > 180) {
    throw new ControlError(400, 'a location needs numeric latitude (-90..90) and longitude (-180..180)');
  }
  return {
    latitude: l.latitude,
    longitude: l.longitude,
    ...(isNumber(l.horizontal_accuracy) ? { horizontal_accuracy: l.horizontal_accuracy } : {}),
  };
}

function checkedVenue(value: unknown): CustomerMessageInput['venue'] {
  if (value === undefined) return undefined;
  const v = value as Record<string, unknown>;
  const { latitude, longitude } = checkedLocation(v)!;
  if (typeof v.title !== 'string' || typeof v.address !== 'string' || !v.title.trim() || !v.address.trim()) {
    throw new ControlError(400, 'a venue needs a title and an address besides its latitude and longitude');
  }
  return { latitude, longitude, title: v.title, address: v.address };
}

function checkedContact(value: unknown): CustomerMessageInput['contact'] {
  if (value === undefined) return undefined;
  const c = value as Record<string, unknown>;
  if (typeof c.phone_number !== 'string' || typeof c.first_name !== 'string' || !c.phone_number || !c.first_name) {
    throw new ControlError(400, 'a contact needs phone_number and first_name');
  }
  return {
    phone_number: c.phone_number,
    first_name: c.first_name,
    ...(typeof c.last_name === 'string' ? { last_name: c.last_name } : {}),
    ...(Number.isInteger(c.user_id) ? { user_id: c.user_id as number } : {}),
    ...(typeof c.vcard === 'string' ? { vcard: c.vcard } : {}),
  };
}

/** JSON (`file.data_base64`) or multipart (a `file` part) into what the customer does. */
export function customerInput(
  params: Params,
  upload?: { fileName: string; mimeType: string; data: Buffer },
): CustomerMessageInput {
  const file = (params.file ?? {}) as Record<string, unknown>;
  const as = str(params.as ?? file.as) as FileKind | undefined;
  if (as !== undefined && !FILE_KINDS.includes(as))
    throw new ControlError(400, `"as" must be one of ${FILE_KINDS.join(', ')}`);
  const data =
    upload?.data ?? (typeof file.data_base64 === 'string' ? Buffer.from(file.data_base64, 'base64') : undefined);
  if ((as === undefined) !== (data === undefined))
    throw new ControlError(
      400,
      'a file needs both its bytes and "as" (photo, voice, audio, video, video_note, sticker or document)',
    );
  const from = (params.from ?? {}) as Record<string, unknown>;
  return {
    from: {
      id: num(from.id ?? params.user_id),
      first_name: str(from.first_name ?? params.first_name),
      last_name: str(from.last_name ?? params.last_name),
      username: str(from.username ?? params.username),
    },
    text: str(params.text ?? params.caption),
    replyToMessageId: num(params.reply_to_message_id),
    file:
      as && data
        ? {
            as,
            data,
            fileName: upload?.fileName ?? str(file.file_name),
            mimeType: upload?.mimeType ?? str(file.mime_type),
            duration: num(params.duration ?? file.duration),
            emoji: str(params.emoji ?? file.emoji),
          }
        : undefined,
    location: checkedLocation(params.location),
    contact: checkedContact(params.contact),
    venue: checkedVenue(params.venue),
  };
}

export function controlRoutes(state: TelegramSandboxState): Router {
  const router = Router();
  const route = (handler: (req: Request, res: Response) => unknown) => async (req: Request, res: Response) => {
    try {
      await handler(req, res);
    } catch (error) {
      if (error instanceof ControlError) return void res.status(error.status).json({ error: error.message });
      if (error instanceof TelegramApiError) return void res.status(error.errorCode).json({ error: error.description });
      throw error;
    }
  };

  router.get(
    '/_sandbox/telegram/bots',
    route((req, res) => {
      res.json([...state.bots.values()].map((b) => botSummary(b, fromLoopback(req))));
    }),
  );
  // With a token: that bot (tests, the local runner). Without: a new bot and token, as @BotFather's /newbot makes them.
  router.post(
    '/_sandbox/telegram/bots',
    route(async (req, res) => {
      const { params } = await readParams(req);
      const token = str(params.token);
      try {
        const bot = token
          ? addBot(state, token, str(params.username), str(params.first_name))
          : createBot(state, { firstName: str(params.first_name), username: str(params.username) });
        res.status(201).json(token ? { id: bot.id, username: bot.user.username } : botSummary(bot, fromLoopback(req)));
      } catch (error) {
        throw new ControlError(400, (error as Error).message);
      }
    }),
  );
  router.post(
    '/_sandbox/telegram/bots/:botId/messages',
    route(async (req, res) => {
      const bot = botOf(state, req);
      const { params, files } = await readParams(req, Math.ceil(MAX_UPLOAD_BYTES * 1.4));
      res.status(201).json({ update: customerSends(state, bot, customerInput(params, files.file)) });
    }),
  );
  for (const action of ['block', 'unblock'] as const) {
    router.post(
      `/_sandbox/telegram/bots/:botId/${action}`,
      route(async (req, res) => {
        const { params } = await readParams(req);
        const update = setBlocked(state, botOf(state, req), num(params.user_id), action === 'block');
        res.json({ update: update ?? null });
      }),
    );
  }
  router.get(
    '/_sandbox/telegram/bots/:botId/sent',
    route((req, res) => {
      const bot = botOf(state, req);
      const chatId = num(req.query.chat_id);
      res.json(state.sent.filter((s) => s.botId === bot.id && (chatId === undefined || s.chatId === chatId)));
    }),
  );
  router.get(
    '/_sandbox/telegram/bots/:botId/updates',
    route((req, res) => {
      const bot = botOf(state, req);
      res.json(state.updates.filter((u) => u.botId === bot.id));
    }),
  );
  router.get(
    '/_sandbox/telegram/bots/:botId/chats/:chatId',
    route((req, res) => {
      const bot = botOf(state, req);
      const messages = state.chats.get(`${bot.id}:${Number(req.params.chatId)}`) ?? [];
      res.json({ messages, deliveries: deliveryMarks(state, bot, messages) });
    }),
  );
  router.get(
    '/_sandbox/telegram/files/:fileId',
    route((req, res) => {
      const file = state.files.get(String(req.params.fileId));
      if (!file) throw new ControlError(404, 'no such file');
      res.type(file.mimeType).end(file.data);
    }),
  );
  router.get(
    '/_sandbox/telegram/calls',
    route((req, res) => {
      const method = str(req.query.method)?.toLowerCase();
      res.json(state.calls.filter((c) => method === undefined || c.method.toLowerCase() === method));
    }),
  );
  router.post(
    '/_sandbox/telegram/faults',
    route(async (req, res) => {
      const { params } = await readParams(req);
      const type = str(params.type) as FaultInput['type'] | undefined;
      if (!type || !['rate_limit', 'blocked', 'server_error', 'latency'].includes(type)) {
        throw new ControlError(400, '"type" must be rate_limit, blocked, server_error or latency');
      }
      const share = num(params.share);
      if (share !== undefined && !(share > 0 && share <= 1)) throw new ControlError(400, '"share" must be in (0, 1]');
      const fault = addFault(state, {
        type,
        botId: num(params.bot_id),
        method: str(params.method),
        retryAfter: num(params.retry_after),
        status: num(params.status),
        latencyMs: num(params.latency_ms),
        times: num(params.times),
        share,
      });
      res.status(201).json(fault);
    }),
  );
  router.post(
    '/_sandbox/telegram/bots/:botId/replay',
    route(async (req, res) => {
      const bot = botOf(state, req);
      const { params } = await readParams(req);
      if (!bot.webhook) throw new ControlError(409, 'the bot has no webhook to replay to');
      let request;
      try {
        request = replayRequestOf(params);
      } catch (error) {
        throw new ControlError(400, (error as Error).message);
      }
      res.json(
        await replayStorm(
          deliveredUpdates(state, bot),
          request,
          async (update) => (await post(state, bot, update)) ?? 'ok',
        ),
      );
    }),
  );
  chatControlRoutes(router, state, { route, botOf, customerInput });
  router.get(
    '/_sandbox/telegram/faults',
    route((_req, res) => void res.json(state.faults)),
  );
  router.delete(
    '/_sandbox/telegram/faults',
    route((_req, res) => {
      state.faults.splice(0);
      res.status(204).end();
    }),
  );
  return router;
}
