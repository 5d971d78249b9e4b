import type { ProviderKind } from '../../domain/ids.js';
import type { MediaKind } from '../../domain/messages.js';
import type { ProviderCapabilities } from '../types.js';

/** The provider's kind: its webhook path segment and stored accounts' `provider`. */
export const TWILIO: ProviderKind = 'twilio';

/**
 * Twilio's Body limit: one message carries at most 1600 characters (error 21617); it splits them into SMS segments
 * itself.
 */
export const MAX_BODY_CHARS = 1600;
/** At most 10 MediaUrl per message (error 21623). */
export const MAX_MEDIA_PER_MESSAGE = 10;
/**
 * An MMS with its media may be at most 5 MB (https://www.twilio.com/docs/messaging/guides/accepted-mime-types, error
 * 11751).
 */
export const MMS_MAX_BYTES = 5 * 1024 * 1024;

/**
 * Kinds an MMS carries. Twilio fully supports JPEG, PNG and GIF and forwards other types to carriers, which may drop
 * or mangle them (accepted-mime-types); the bridge offers the media kinds, and carriers decide the rest.
 */
const MMS_KINDS: readonly MediaKind[] = ['image', 'audio', 'voice', 'video', 'file'];

export const TWILIO_CAPABILITIES: ProviderCapabilities = {
  mediaKinds: MMS_KINDS,
  receipts: true,
  // An inbound MMS is at most 5 MB in total, so no one file is larger (INFERRED from the outbound limit).
  maxInboundMediaBytes: MMS_MAX_BYTES,
  maxOutboundMediaBytes: Object.fromEntries(MMS_KINDS.map((kind) => [kind, MMS_MAX_BYTES])),
  textFormat: 'plain',
};

/**
 * Pacing defaults. A US long code is commonly given 1 message segment per second, toll-free and short codes more;
 * Twilio queues what exceeds a sender's rate (up to 4 hours) rather than refusing it [INFERRED from Twilio's
 * queueing and throughput help pages; the real rate depends on the number type and A2P registration].
 */
export const TWILIO_PACING = { perSenderPerSecond: 1, perChatIntervalMs: 1000 } as const;

/**
 * What the webhook route should answer Twilio: empty TwiML, `text/xml`. Another content type is logged in the
 * customer's Twilio debugger as error 12300 (Invalid Content-Type); 204 with no body is also accepted (error 15003's
 * page).
 */
export const TWILIO_WEBHOOK_ACK = {
  status: 200,
  contentType: 'text/xml',
  body: '<?xml version="1.0" encoding="UTF-8"?><Response/>',
} as const;
