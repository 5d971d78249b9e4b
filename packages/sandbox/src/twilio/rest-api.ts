import express, { Router } from 'express';
import { createOutboundMessage } from './outbound.js';
import { requireAccount, TwilioRestError } from './rest-errors.js';
import { rfc2822, type SandboxMessage, type TwilioSandboxState } from './state.js';

const list = (value: unknown): string[] =>
  Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)];
const one = (value: unknown): string | undefined =>
  value === undefined ? undefined : String(Array.isArray(value) ? value[0] : value);

function messageResource(state: TwilioSandboxState, m: SandboxMessage, serviceSid: string | undefined) {
  return {
    sid: m.sid,
    account_sid: state.accountSid,
    messaging_service_sid: serviceSid ?? null,
    from: m.business,
    to: m.customer,
    body: m.body,
    status: m.status,
    direction: m.direction,
    num_media: String(m.media.length),
    num_segments: String(Math.max(1, Math.ceil(m.body.length / 153))),
    error_code: m.errorCode ?? null,
    error_message: null,
    api_version: '2010-04-01',
    date_created: rfc2822(new Date(m.at)),
    date_updated: rfc2822(),
    date_sent: null,
    price: null,
    uri: `/2010-04-01/Accounts/${state.accountSid}/Messages/${m.sid}.json`,
    subresource_uris: { media: `/2010-04-01/Accounts/${state.accountSid}/Messages/${m.sid}/Media.json` },
  };
}

/** Twilio's REST paths the bridge calls: Accounts, IncomingPhoneNumbers, Messages, Media, Messaging Services. */
export function restApi(state: TwilioSandboxState): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '1mb' });
  const base = '/2010-04-01/Accounts/:accountSid';

  router.get(`${base}.json`, function account(req, res) {
    requireAccount(req, state.accountSid, state.authToken);
    res.json({
      sid: state.accountSid,
      friendly_name: 'Sandbox Twilio account',
      status: 'active',
      type: 'Full',
      date_created: rfc2822(),
    });
  });

  router.get(`${base}/IncomingPhoneNumbers.json`, function numbers(req, res) {
    requireAccount(req, state.accountSid, state.authToken);
    const wanted = one(req.query.PhoneNumber);
    const found = state.numbers.filter((n) => !wanted || n.phoneNumber === wanted);
    res.json({
      incoming_phone_numbers: found.map((n) => ({
        sid: n.sid,
        account_sid: state.accountSid,
        phone_number: n.phoneNumber,
        friendly_name: n.phoneNumber,
        sms_url: n.smsUrl ?? '',
        sms_method: 'POST',
        capabilities: { sms: true, mms: true, voice: true },
      })),
      page: 0,
      page_size: 50,
    });
  });

  router.post(`${base}/Messages.json`, form, function createMessage(req, res) {
    requireAccount(req, state.accountSid, state.authToken);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const serviceSid = one(body.MessagingServiceSid);
    const message = createOutboundMessage(state, {
      to: one(body.To),
      from: one(body.From),
      messagingServiceSid: serviceSid,
      body: one(body.Body) ?? '',
      mediaUrls: list(body.MediaUrl),
      statusCallback: one(body.StatusCallback),
    });
    res.status(201).json(messageResource(state, message, serviceSid));
  });

  router.get(`${base}/Messages/:messageSid.json`, function getMessage(req, res) {
    requireAccount(req, state.accountSid, state.authToken);
    const message = state.messages.find((m) => m.sid === req.params.messageSid);
    if (!message) throw new TwilioRestError(404, 20404, `The requested resource ${req.path} was not found`);
    res.json(messageResource(state, message, state.services[0]?.sid));
  });

  // A Media URL redirects to short-lived storage, as Twilio's does [INFERRED status 307]. Basic auth is optional, as
  // with Twilio's default (media are public unless "HTTP Basic Authentication for media" is on), but a wrong one fails.
  router.get(`${base}/Messages/:messageSid/Media/:mediaSid`, function mediaRedirect(req, res) {
    if (req.headers.authorization) requireAccount(req, state.accountSid, state.authToken);
    const media = state.media.get(String(req.params.mediaSid));
    if (!media || media.messageSid !== req.params.messageSid)
      throw new TwilioRestError(404, 20404, `The requested resource ${req.path} was not found`);
    res.redirect(307, `/_sandbox/twilio/media-files/${media.sid}`);
  });

  router.get('/v1/Services/:serviceSid', function service(req, res) {
    requireAccount(req, state.accountSid, state.authToken);
    const found = state.services.find((s) => s.sid === req.params.serviceSid);
    if (!found) throw new TwilioRestError(404, 20404, `The requested resource ${req.path} was not found`);
    res.json({
      sid: found.sid,
      account_sid: state.accountSid,
      friendly_name: found.friendlyName,
      inbound_request_url: found.inboundRequestUrl ?? null,
      inbound_method: 'POST',
      use_inbound_webhook_on_number: false,
    });
  });
  return router;
}
