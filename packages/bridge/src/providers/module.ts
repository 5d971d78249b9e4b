import type { ZodTypeAny, infer as ZodInfer } from 'zod';
import type { AccountId, ProviderKind } from '../domain/ids.js';
import type { AddressPolicy } from '../net/address-policy.js';
import type {
  HttpFetch,
  MediaUrlSigner,
  OutboundAttachment,
  ProviderAdapter,
  ProviderCapabilities,
  RawWebhook,
} from './types.js';

/**
 * A provider is one folder: `src/providers/<name>/` exports one `ProviderModule`, and src/providers/registry.ts lists
 * the modules. The core names no provider: it loops over the registry and calls these hooks. Everything here is
 * optional except what every provider has (its kind, name, settings, adapter and reply rules), as mautrix's bridgev2
 * network interface keeps the required part small.
 */
export interface ProviderModule<S = unknown> {
  /**
   * The path segment of its webhooks (`/webhooks/{kind}/{accountId}`) and the `provider` column of stored accounts.
   * Never changes.
   */
  readonly kind: ProviderKind;
  /** What the service is called in reasons a rep or an admin reads ("Telegram takes image files up to…"). */
  readonly displayName: string;
  /** Its env settings and what they become. */
  readonly settings: ProviderSettingsSpec<S>;
  /** Builds the adapter of one stored account. Called per account and credentials; the registry caches the result. */
  createAdapter(context: AdapterContext<S>): ProviderAdapter;
  /** How a reply is planned and formatted before anything is sent. */
  readonly reply: ReplyRules;
  /**
   * What its webhooks look like on the wire, when not JSON answered with JSON. @default JSON in, `{ ok, accepted }` out
   */
  readonly webhook?: WebhookSpec;
  /**
   * Its sender retries a webhook answered 503, as its documentation says: an overloaded api may then refuse one before
   * reading it (src/api/shed-unread.ts). Left out, every webhook is read first, and a receipt is never refused.
   */
  readonly retriesRefusedWebhooks?: boolean;
  /**
   * Called on the request path, before the ack: the bytes of a media ref that came inside the webhook body (nobody can
   * fetch it again later), so the core stages them; undefined for a ref `fetchMedia` fetches later. Pure, no network.
   */
  inlineMedia?(webhook: RawWebhook, ref: string): Buffer | undefined;
  /**
   * The claim identity of a stored account (see `ConnectSpec`), from its credentials; undefined when they name none.
   */
  identityOf?(credentials: Credentials): string | undefined;
  /** The connection page's form and live setup; a provider without one can only be configured by other means. */
  readonly connect?: ConnectSpec<S>;
  /**
   * Called when a channel account is removed, before its credentials are deleted: undo what connecting set up at the
   * provider.
   */
  disconnect?(context: DisconnectContext<S>): Promise<void>;
  /** `channel-bridge doctor`'s lines for one account: its credentials still work, its webhook points at the bridge. */
  doctor?(context: CheckContext<S>): Promise<ProviderCheck[]>;
  /**
   * The console's view of one account's webhook, as far as the provider reports it. Must answer within a few seconds.
   */
  webhookHealth?(context: CheckContext<S>): Promise<WebhookHealth>;
}

export type Credentials = Readonly<Record<string, string>>;

// ---------------------------------------------------------------------------------------------------------------
// Settings

/**
 * One env setting; the same shape as src/config-settings.ts's `Setting`, plus the `.env.example` section it shows in.
 */
export interface ProviderEnvSetting {
  readonly schema: ZodTypeAny;
  readonly doc: string;
  readonly example?: string;
  readonly secret?: boolean;
  /** `outbound`: pacing and reply behaviour; `providers`: where its API is. */
  readonly section: 'outbound' | 'providers';
}

/** How fast one provider account may send: to one chat, and in all. */
export interface PacingRule {
  /** Minimum gap between two messages to the same chat. */
  readonly perChatIntervalMs: number;
  /** Messages per second across all chats of one account (bot, phone number); 0 = unlimited. */
  readonly globalPerSecond: number;
}

/** The parsed values of some env settings, by env name. */
export type ParsedEnv<E extends Readonly<Record<string, ProviderEnvSetting>>> = {
  readonly [K in keyof E]: ZodInfer<E[K]['schema']>;
};

export interface ProviderSettingsSpec<S> {
  /** Env name → setting. Names are global: prefix them with the provider (`TELEGRAM_…`, `OUTBOUND_TELEGRAM_…`). */
  readonly env: Readonly<Record<string, ProviderEnvSetting>>;
  /**
   * The settings object from the parsed env (each value already through its schema, defaults applied). Called once by
   * src/config.ts; with an empty env it gives the defaults (the real service), which tests and tools get.
   */
  fromEnv(env: Readonly<Record<string, unknown>>): S;
  /** Problems no single schema can see (one setting requires another); [] when none. */
  problems?(env: Readonly<Record<string, unknown>>): string[];
  /** The pacing its replies get with these settings. */
  pacing(settings: S): PacingRule;
}

// ---------------------------------------------------------------------------------------------------------------
// Webhooks

/** How the webhook route (src/api/routes/provider-webhook.ts) takes and answers one provider's webhooks. */
export interface WebhookSpec {
  /**
   * Media types accepted (anything else is a 415), e.g. `application/x-www-form-urlencoded`. @default
   * ['application/json']
   */
  readonly contentTypes: readonly string[];
  /**
   * The answer once the webhook is accepted, when the provider wants its own (Twilio: empty TwiML as text/xml).
   * Refusals stay the route's JSON errors. @default 200 with JSON `{ ok: true, accepted }`
   */
  readonly ack?: { readonly status: number; readonly contentType: string; readonly body: string };
}

// ---------------------------------------------------------------------------------------------------------------
// Adapters

/** Thrown when a stored account lacks a credential its provider needs; the message names it. */
export class MissingCredentialError extends Error {
  constructor(
    readonly accountId: string,
    readonly credential: string,
  ) {
    super(`account ${accountId} has no ${credential} stored; reconnect it`);
    this.name = 'MissingCredentialError';
  }
}

/** What `createAdapter` gets: one account, the bridge's settings for its provider, and the fetches it may use. */
export interface AdapterContext<S> {
  readonly accountId: AccountId;
  readonly credentials: Credentials;
  /** A required credential; throws MissingCredentialError without it. */
  credential(name: string): string;
  readonly settings: S;
  /** Private hosts media may come from (sandboxes only) and the resolver the address checks use. */
  readonly mediaPolicy: AddressPolicy;
  /**
   * A fetch whose every connection must reach a public address (or one `mediaPolicy` allows). Tests inject their own.
   */
  readonly publicFetch: HttpFetch;
  /** As `publicFetch`, but also trusting the origin of `baseUrl`: the configured API (a sandbox on localhost). */
  fetchTrusting(baseUrl: string): HttpFetch;
  /**
   * Stages an outbound file and returns a signed, expiring public URL to it (src/media-links/), for a provider that
   * downloads files itself. Only in the worker (the api sends nothing); undefined where no media links are wired.
   */
  readonly mediaUrlFor?: MediaUrlSigner;
}

// ---------------------------------------------------------------------------------------------------------------
// Replies

/** What a provider says of one file before anything is sent: whether the reply's text can ride on it as a caption. */
export interface FileVerdict {
  readonly captionable: boolean;
}

/** Pure rules, called by the reply planner (src/activities/reply-plan.ts) and formatter; no network. */
export interface ReplyRules {
  /**
   * The provider's rules for one file, applied without sending it; throws a ProviderError naming the file when it
   * cannot go. `capabilities` are the account's adapter's.
   */
  fileVerdict(attachment: OutboundAttachment, capabilities: ProviderCapabilities): FileVerdict;
  /** Whether the reply's text (already formatted by `formatText`/`formatPlain`) fits in one caption. */
  captionFits(text: string): boolean;
  /** The rep's HubSpot rich text (editor HTML, untrusted) in the provider's own format. */
  formatText(html: string): string;
  /** A plain text reply in the provider's own format (escaped where the format is markup). */
  formatPlain(text: string): string;
}

// ---------------------------------------------------------------------------------------------------------------
// Connecting

/**
 * Who the channel account is to HubSpot (src/store/types.ts DeliveryIdentifier, repeated so providers import no store).
 */
export interface SetupDeliveryIdentifier {
  readonly type: 'HS_EMAIL_ADDRESS' | 'HS_PHONE_NUMBER' | 'HS_SHORT_CODE' | 'CHANNEL_SPECIFIC_OPAQUE_ID';
  readonly value: string;
}

/** What checking and setting up one provider account produced. `credentials` are only ever stored sealed. */
export interface ProviderSetup {
  readonly accountName: string;
  readonly deliveryIdentifier: SetupDeliveryIdentifier;
  readonly credentials: Credentials;
  /** Shown once to the admin on the result page (a webhook URL, a generated secret to copy). */
  readonly shown: readonly { readonly label: string; readonly value: string; readonly secret?: boolean }[];
  /**
   * Gives the connection up when a later step fails: the provider-side change (a webhook the setup set, only while it
   * still points at this connection), then `ConnectContext.release()`.
   */
  undo(): Promise<void>;
}

/** The claim one connection makes before it changes anything at the provider (src/api/connect/already-connected.ts). */
export interface ConnectClaim {
  /** What at the provider may serve one channel account only; undefined when the connection shares nothing. */
  readonly identity?: string;
  readonly deliveryIdentifier: SetupDeliveryIdentifier;
  /** The account name it will have. */
  readonly name: string;
  /** In words for the admin: "The bot @acme_bot", "The number +1 555-078-3881". */
  readonly what: string;
}

/** What a provider's `setup` may use. Everything that touches the store or HubSpot stays behind these functions. */
export interface ConnectContext<S> {
  readonly settings: S;
  readonly connectionId: string;
  /** The bridge's public base URL. */
  readonly publicUrl: string;
  /** The URL this connection's webhooks go to: `{publicUrl}/webhooks/{kind}/{connectionId}`. */
  readonly webhookUrl: string;
  readonly fetch: HttpFetch;
  /** Refuses (throws the page's error) a provider account already connected anywhere in this bridge, and claims it. */
  claim(claim: ConnectClaim): Promise<void>;
  /** Gives the claim and any pending row up. */
  release(): Promise<void>;
  /**
   * The error the page shows when the provider refused or could not check something: `what` was refused, `hint` says
   * how to fix it.
   */
  providerError(what: string, error: unknown, hint: string): Error;
  /** Logs a step that failed but need not stop anything (an undo). */
  warn(fields: Readonly<Record<string, unknown>>, message: string): void;
}

export interface ConnectSpec<S, F extends ZodTypeAny = ZodTypeAny> {
  /**
   * The choice in "Pick Telegram, WhatsApp or another service.", and the form's accessible name unless `label` is
   * given.
   */
  readonly choice: string;
  /** The form's accessible name. @default choice */
  readonly label?: string;
  /**
   * The form's fieldset content after its legend and hidden fields: a hint, the inputs and the submit button. Static,
   * trusted HTML written by the module (never interpolates input).
   */
  readonly fieldsHtml: string;
  /** The fieldset's legend. */
  readonly legend: string;
  /** Checks the posted form; its messages are shown to the admin as they are. */
  readonly form: F;
  /** Checks the credentials live, claims the provider account, and only then points its webhook at the bridge. */
  setup(form: ZodInfer<F>, context: ConnectContext<S>): Promise<ProviderSetup>;
}

// ---------------------------------------------------------------------------------------------------------------
// Removing, checking

export interface DisconnectContext<S> {
  readonly accountId: string;
  readonly credentials: Credentials;
  readonly settings: S;
  readonly fetch: HttpFetch;
  /** Whether a webhook URL is this account's own (by account or connection id, under the bridge's public URL). */
  isOwnWebhookUrl(url: string): boolean;
  readonly log: {
    info(message: string, fields?: Readonly<Record<string, unknown>>): void;
    warn(message: string, fields?: Readonly<Record<string, unknown>>): void;
  };
}

/** One doctor line about an account; the core adds the account's id and title prefix. */
export interface ProviderCheck {
  /**
   * Appended to the account's check id (`provider.{kind}:{accountId}{idSuffix}`), e.g. `.webhook`; '' for the first
   * line.
   */
  readonly idSuffix: string;
  /** Appended to the account's title, e.g. ' webhook'; '' for the first line. */
  readonly titleSuffix: string;
  readonly status: 'pass' | 'fail' | 'warn' | 'skip';
  readonly detail: string;
  /** Set whenever the status is `fail` or `warn`. */
  readonly fix?: string;
}

export interface CheckContext<S> {
  readonly accountId: string;
  readonly credentials: Credentials;
  readonly settings: S;
  /** The URLs the bridge accepts this account's webhooks at, the account id's first. */
  readonly expectedUrls: readonly string[];
  readonly publicUrl?: string;
  /** Times out on its own (doctor: 10 s, console: 5 s). */
  readonly fetch: HttpFetch;
}

/** The provider's own view of an account's webhook, as far as the provider reports it. */
export interface WebhookHealth {
  readonly state: 'ok' | 'problem' | 'unknown';
  /** Where the provider sends the account's events. */
  readonly url?: string;
  readonly lastError?: string;
  readonly lastErrorAt?: string;
  readonly pending?: number;
  /** What the figure is, or why there is none. */
  readonly note: string;
}

/** The reconnect advice a check gives when an account's provider-side setup is gone. */
export const RECONNECT =
  'remove the account in HubSpot (Inbox settings → Channels) and connect it again: the connection page points the provider at the bridge';
