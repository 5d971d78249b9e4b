import { z } from 'zod';

/**
 * What Twilio sends and answers, as it sends it. Nothing here leaks past `normalise` and `send`.
 * Inbound messages and status callbacks are `application/x-www-form-urlencoded` POSTs
 * (https://www.twilio.com/docs/messaging/guides/webhook-request).
 */

/**
 * A form body as name → value. Twilio's messaging webhooks repeat no name (INFERRED: none of the documented ones do).
 */
export type TwilioParams = Readonly<Record<string, string>>;

/** An incoming SMS/MMS. `MediaUrl{N}`/`MediaContentType{N}` for N in 0..NumMedia-1 are read apart. */
export const twilioInboundSchema = z.object({
  MessageSid: z.string().min(1),
  AccountSid: z.string().min(1),
  From: z.string().min(1),
  To: z.string().min(1),
  Body: z.string().default(''),
  NumMedia: z.string().regex(/^\d+$/).default('0'),
  MessagingServiceSid: z.string().optional(),
  /** Only with a Messaging Service whose Advanced Opt-Out is on: STOP, START or HELP. */
  OptOutType: z.string().optional(),
  ProfileName: z.string().optional(),
});
export type TwilioInbound = z.infer<typeof twilioInboundSchema>;

/** A status callback for a message the bridge sent (StatusCallback on the create request). */
export const twilioStatusSchema = z.object({
  MessageSid: z.string().min(1),
  MessageStatus: z.string().min(1),
  ErrorCode: z.string().optional(),
  To: z.string().optional(),
});
export type TwilioStatus = z.infer<typeof twilioStatusSchema>;

/** Twilio's REST error body (https://www.twilio.com/docs/usage/twilios-response). */
export interface TwilioApiError {
  readonly code?: number;
  readonly message?: string;
  readonly more_info?: string;
  readonly status?: number;
}

/** The fields of a created Message resource the bridge reads. */
export interface TwilioMessageResource {
  readonly sid: string;
  readonly status: string;
  readonly error_code?: number | null;
}

export function parseForm(body: Buffer): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(body.toString('utf8'))) params[name] = value;
  return params;
}

export const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/;
export const AUTH_TOKEN = /^[0-9a-fA-F]{32}$/;
export const MESSAGING_SERVICE_SID = /^MG[0-9a-fA-F]{32}$/;
export const E164 = /^\+[1-9]\d{6,14}$/;
