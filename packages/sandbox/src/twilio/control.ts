import express, { Router } from 'express';
import { customerSends } from './inbound.js';
import { optOutKey, type TwilioSandboxState } from './state.js';

export const SANDBOX_PATH = '/_sandbox/twilio';

/**
 * What the customer page and tests use: send as the customer, read a conversation, set the webhook URL (as the
 * console does), inject create failures. Not Twilio's API.
 */
export function controlRoutes(state: TwilioSandboxState): Router {
  const router = Router();
  const json = express.json({ limit: '8mb' });

  router.get(`${SANDBOX_PATH}/media-files/:mediaSid`, function mediaFile(req, res) {
    const media = state.media.get(String(req.params.mediaSid));
    if (!media) return void res.status(404).type('text/plain').send('not found');
    res.type(media.contentType).send(media.bytes);
  });

  router.post(`${SANDBOX_PATH}/customer/messages`, json, async function customerMessage(req, res) {
    const { from, body, media } = (req.body ?? {}) as {
      from?: string;
      body?: string;
      media?: { contentType?: string; dataBase64?: string }[];
    };
    if (!from || !/^\+[1-9]\d{6,14}$/.test(from))
      return void res.status(400).json({ error: 'from must be an E.164 number' });
    const files = (media ?? []).map((m) => ({
      contentType: m.contentType || 'application/octet-stream',
      data: Buffer.from(m.dataBase64 ?? '', 'base64'),
    }));
    if (!body?.trim() && !files.length) return void res.status(400).json({ error: 'write something or attach a file' });
    const message = await customerSends(state, { from, body: body ?? '', media: files });
    res.status(201).json({ sid: message.sid, webhook: message.webhook });
  });

  router.get(`${SANDBOX_PATH}/conversation/:customer`, function conversation(req, res) {
    const customer = String(req.params.customer);
    const messages = state.messages.filter((m) => m.customer === customer);
    res.json({
      business: state.numbers[0]!.phoneNumber,
      optedOut: state.optedOut.has(optOutKey(state, state.numbers[0]!.phoneNumber, customer)),
      messages: messages.map((m) => ({
        ...m,
        media: m.media.map((sid) => ({
          url: `${SANDBOX_PATH}/media-files/${sid}`,
          contentType: state.media.get(sid)?.contentType,
        })),
      })),
    });
  });

  router.post(`${SANDBOX_PATH}/webhook`, json, function setWebhook(req, res) {
    const url = String((req.body as { url?: unknown } | undefined)?.url ?? '');
    if (!/^https?:\/\//.test(url)) return void res.status(400).json({ error: 'url must be an http(s) URL' });
    state.numbers[0]!.smsUrl = url;
    for (const service of state.services) service.inboundRequestUrl = url;
    res.json({ ok: true });
  });

  router.post(`${SANDBOX_PATH}/faults`, json, function addFault(req, res) {
    const {
      status = 500,
      code = 20500,
      message = 'Internal Server Error',
      count = 1,
    } = (req.body ?? {}) as { status?: number; code?: number; message?: string; count?: number };
    for (let i = 0; i < count; i++) state.faults.push({ status, code, message });
    res.json({ ok: true, pending: state.faults.length });
  });

  router.get(`${SANDBOX_PATH}/credentials`, function credentials(req, res) {
    // Only to this machine, as the other sandboxes' setup pages.
    const local = ['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(req.socket.remoteAddress ?? '');
    if (!local) return void res.status(403).json({ error: 'only from this machine' });
    res.json({
      accountSid: state.accountSid,
      authToken: state.authToken,
      phoneNumber: state.numbers[0]!.phoneNumber,
      messagingServiceSid: state.services[0]?.sid ?? null,
      webhookUrl: state.numbers[0]!.smsUrl ?? null,
    });
  });
  return router;
}
