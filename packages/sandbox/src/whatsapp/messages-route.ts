import express, { Router } from 'express';
import { bearerAuth } from './auth.js';
import { injectFaults } from './faults.js';
import { GraphError, invalidParameter, mediaUploadError } from './graph-errors.js';
import { fits, isAnimatedWebp, isVoice, MAX_STATIC_STICKER_BYTES, type MediaType } from './media-rules.js';
import { describeErrors, sendMessageValidator } from './send-schema.js';
import { scheduleStatuses } from './statuses.js';
import { newWamid, now, type SentMessage, type WhatsAppSandboxState } from './state.js';
import { phoneNumberGuard } from './phone-guard.js';

const WINDOW_MS = 24 * 60 * 60 * 1000;
const MEDIA_TYPES = new Set<string>(['image', 'audio', 'video', 'sticker', 'document']);
const CAPTIONED = new Set<string>(['image', 'video', 'document']);

type Body = Record<string, unknown>;

/** `{messaging_product, status: 'read', message_id}`: blue ticks on a customer's message; not a `Message`. */
function markRead(state: WhatsAppSandboxState, body: Body) {
  if (body.messaging_product !== 'whatsapp' || typeof body.message_id !== 'string') {
    throw invalidParameter('a read receipt needs messaging_product "whatsapp" and message_id');
  }
  const received = state.received.find((m) => m.wamid === body.message_id);
  if (!received) throw invalidParameter(`message_id ${body.message_id} is not a message this number received`);
  received.readBy = new Date().toISOString();
  return { success: true };
}

/** Checks a media message's object against what was uploaded; returns whether it is a voice note. */
function checkMedia(state: WhatsAppSandboxState, type: MediaType, object: Body): { mediaId?: string; voice: boolean } {
  if (object.caption !== undefined && !CAPTIONED.has(type))
    throw invalidParameter(`Param ${type}['caption'] is not allowed: captions exist only on image, video and document`);
  if (typeof object.link === 'string') return { voice: false };
  const id = String(object.id);
  const media = state.media.get(id);
  if (!media || media.owner !== 'business') throw invalidParameter(`Param ${type}['id'] is not a valid media id`);
  if (!fits(type, media.mimeType)) throw mediaUploadError(`a ${media.mimeType} file cannot be sent as ${type}`);
  if (type === 'sticker' && !isAnimatedWebp(media.data) && media.data.length > MAX_STATIC_STICKER_BYTES) {
    throw mediaUploadError('static stickers must be 100 KB or less');
  }
  return { mediaId: id, voice: type === 'audio' && isVoice(media.mimeType) };
}

function checkText(body: Body): void {
  const text = body.text as Body | undefined;
  if (typeof text?.body !== 'string' || text.body.trim() === '')
    throw invalidParameter("Param text['body'] is required");
  if (text.body.length > 4096) throw invalidParameter("Param text['body'] must be at most 4096 characters");
}

/**
 * A BSUID or parent BSUID, e.g. `US.13491208655302741918`, `US.ENT.11815799212886844830` ([INFERRED] pattern from
 * Meta's examples).
 */
export const BSUID = /^[A-Z]{2}\.(?:ENT\.)?[A-Za-z0-9]{1,128}$/;

/**
 * Who a send names: a phone number in `to`, or a business-scoped user id in `recipient`; with both, `to` wins
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/business-scoped-user-ids [INFERRED URL:
 * the page was read through copies of Meta's 'Business-scoped user IDs' document]). Customers are
 * kept under the id they were named by, so a BSUID customer's window is read from their own record.
 */
function recipientOf(body: Body): { to: string; input: string; byUserId: boolean } {
  if (body.to !== undefined) {
    const to = String(body.to).replace(/[^\d]/g, '');
    if (!/^\d{5,20}$/.test(to)) throw invalidParameter(`"${String(body.to)}" is not a phone number`);
    return { to, input: String(body.to), byUserId: false };
  }
  const recipient = String(body.recipient);
  if (!BSUID.test(recipient)) throw invalidParameter(`"${recipient}" is not a business-scoped user id`);
  return { to: recipient, input: recipient, byUserId: true };
}

/** `POST /:version/:phoneNumberId/messages`: validate, accept with a wamid, then emit statuses by webhook. */
export function messagesRoute(state: WhatsAppSandboxState): Router {
  const validate = sendMessageValidator();
  const router = Router();
  router.post(
    '/:version/:phoneNumberId/messages',
    bearerAuth(state),
    phoneNumberGuard(state),
    injectFaults(state, 'messages'),
    express.json({ limit: '1mb' }),
    function sendMessage(req, res) {
      const body = (req.body ?? {}) as Body;
      if (typeof body !== 'object' || Array.isArray(body)) throw invalidParameter('the body must be a JSON object');
      if (body.status === 'read') return void res.json(markRead(state, body));
      if (!validate(body)) throw invalidParameter(describeErrors(validate));
      if (body.recipient_type === 'group')
        throw new GraphError(400, 131009, '(#131009) Parameter value is not valid', {
          details: 'the sandbox has no groups',
        });
      const { to, input, byUserId } = recipientOf(body);
      const type = String(body.type);
      let media: { mediaId?: string; voice: boolean } = { voice: false };
      if (type === 'text') checkText(body);
      else if (MEDIA_TYPES.has(type)) media = checkMedia(state, type as MediaType, (body[type] ?? {}) as Body);

      const last = state.customers.get(to)?.lastInboundAt;
      const outsideWindow = type !== 'template' && (last === undefined || now(state) - last > WINDOW_MS);
      const sent: SentMessage = {
        seq: state.sent.length + 1,
        wamid: newWamid(),
        to,
        type,
        request: body,
        mediaId: media.mediaId,
        at: new Date(now(state)).toISOString(),
        outsideWindow,
        statuses: [],
      };
      state.sent.push(sent);
      scheduleStatuses(state, sent, media.voice);
      // A BSUID send answers with user_id and no wa_id (Meta's business-scoped user IDs page).
      const contact = byUserId ? { input, user_id: to } : { input, wa_id: to };
      res.json({ messaging_product: 'whatsapp', contacts: [contact], messages: [{ id: sent.wamid }] });
    },
  );
  return router;
}
