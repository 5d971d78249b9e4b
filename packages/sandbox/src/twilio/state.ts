import { randomBytes } from 'node:crypto';

/**
 * The emulated Twilio world: one account, its numbers and Messaging Services, the messages both ways, the
 * customers who texted STOP, and stored MMS files. In memory only.
 */
export interface TwilioSandboxOptions {
  /** @default a fixed test SID, so a restarted emulator keeps the bridge's stored credentials valid */
  readonly accountSid?: string;
  readonly authToken?: string;
  /** The account's first number. @default +15005550006 (Twilio's test "valid sender" number) */
  readonly phoneNumber?: string;
  /** A Messaging Service owning the number, with Advanced Opt-Out on (adds OptOutType to webhooks). */
  readonly messagingServiceSid?: string;
  /**
   * Where the number's incoming messages go (its SmsUrl): the bridge's webhook URL. Can be set later, as in the
   * console.
   */
  readonly webhookUrl?: string;
  /** Delay between status callbacks. @default 150 ms */
  readonly statusDelayMs?: number;
  /** This emulator's own base URL, for MediaUrl values in webhooks; set by `startTwilioSandbox`. */
  readonly baseUrl?: string;
}

export const DEFAULT_ACCOUNT_SID = `AC${'5a'.repeat(16)}`;
export const DEFAULT_AUTH_TOKEN = '0123456789abcdef0123456789abcdef';
export const DEFAULT_PHONE_NUMBER = '+15005550006';

export interface SandboxNumber {
  readonly sid: string;
  readonly phoneNumber: string;
  smsUrl?: string;
}

export interface SandboxService {
  readonly sid: string;
  readonly friendlyName: string;
  inboundRequestUrl?: string;
}

export interface StoredMedia {
  readonly sid: string;
  readonly messageSid: string;
  readonly contentType: string;
  readonly bytes: Buffer;
}

/** One message either way, as the customer page shows it. */
export interface SandboxMessage {
  readonly sid: string;
  readonly direction: 'inbound' | 'outbound-api' | 'outbound-reply';
  /** The customer's number. */
  readonly customer: string;
  /** The business side: a number. */
  readonly business: string;
  readonly body: string;
  readonly media: readonly string[];
  status: string;
  errorCode?: number;
  /** Inbound: the HTTP status the webhook URL answered, or an error. */
  webhook?: string;
  readonly at: string;
}

export interface TwilioSandboxState {
  readonly accountSid: string;
  readonly authToken: string;
  readonly numbers: SandboxNumber[];
  readonly services: SandboxService[];
  /** `{business}|{customer}` pairs Twilio refuses with 21610. A service's opt-out covers all its numbers. */
  readonly optedOut: Set<string>;
  readonly messages: SandboxMessage[];
  readonly media: Map<string, StoredMedia>;
  /** Next create requests to fail, as a fault injection: HTTP status and Twilio code. */
  readonly faults: { status: number; code: number; message: string }[];
  readonly timers: Set<NodeJS.Timeout>;
  readonly statusDelayMs: number;
  baseUrl: string;
}

export const newSid = (prefix: string) => `${prefix}${randomBytes(16).toString('hex')}`;

export function createTwilioSandboxState(options: TwilioSandboxOptions = {}): TwilioSandboxState {
  const phoneNumber = options.phoneNumber ?? DEFAULT_PHONE_NUMBER;
  return {
    accountSid: options.accountSid ?? DEFAULT_ACCOUNT_SID,
    authToken: options.authToken ?? DEFAULT_AUTH_TOKEN,
    numbers: [{ sid: newSid('PN'), phoneNumber, smsUrl: options.webhookUrl }],
    services: options.messagingServiceSid
      ? [
          {
            sid: options.messagingServiceSid,
            friendlyName: 'Sandbox Messaging Service',
            inboundRequestUrl: options.webhookUrl,
          },
        ]
      : [],
    optedOut: new Set(),
    messages: [],
    media: new Map(),
    faults: [],
    timers: new Set(),
    statusDelayMs: options.statusDelayMs ?? 150,
    baseUrl: options.baseUrl ?? '',
  };
}

/** The opt-out key: a Messaging Service's opt-out covers every number in it. */
export const optOutKey = (state: TwilioSandboxState, business: string, customer: string) =>
  `${state.services[0]?.sid ?? business}|${customer}`;

/** Twilio's date format in resources: RFC 2822. */
export const rfc2822 = (date = new Date()) => date.toUTCString().replace('GMT', '+0000');

/** What `keepWorld` saves between runs (v8-serialised, so Maps, Sets and Buffers survive). */
export interface SavedTwilioState {
  readonly numbers: readonly SandboxNumber[];
  readonly services: readonly SandboxService[];
  readonly optedOut: readonly string[];
  readonly messages: readonly SandboxMessage[];
  readonly media: ReadonlyMap<string, StoredMedia>;
}

export function savedTwilioState(state: TwilioSandboxState): SavedTwilioState {
  return {
    numbers: state.numbers,
    services: state.services,
    optedOut: [...state.optedOut],
    messages: state.messages,
    media: state.media,
  };
}

/**
 * Puts a saved world back before the emulator serves. The account SID and auth token come from the options, as the
 * bridge stored them. Status callbacks that were still pending are not replayed [the message keeps its last status].
 */
export function restoreTwilioState(state: TwilioSandboxState, saved: SavedTwilioState): void {
  state.numbers.splice(0, state.numbers.length, ...saved.numbers);
  state.services.splice(0, state.services.length, ...saved.services);
  state.optedOut.clear();
  for (const key of saved.optedOut) state.optedOut.add(key);
  state.messages.splice(0, state.messages.length, ...saved.messages);
  state.media.clear();
  for (const [sid, media] of saved.media) state.media.set(sid, media);
}
