import type { ProviderKind } from '../../domain/ids.js';

/**
 * What at a provider may serve one channel account only: connecting it a second time would take it from the first.
 * Built from what the connection form checked live, and from any stored account's credentials, so an account that
 * came from configuration (the demo accounts of `npm start`) or an older release is recognised too, whatever delivery
 * identifier it was given. Never holds a secret: a bot's id is the public part of its token.
 */
export type ProviderIdentity = string & { readonly __brand: 'ProviderIdentity' };

/** A Telegram bot: its id, which is also the part of its token before the colon (`<bot id>:<secret>`, @BotFather). */
export const telegramBot = (botId: number | string) => `telegram:bot:${botId}` as ProviderIdentity;

/** A WhatsApp business number, by Meta's phone number id: the id its webhooks are routed by. */
export const whatsappNumber = (phoneNumberId: string) => `whatsapp:number:${phoneNumberId}` as ProviderIdentity;

/**
 * A generic connector, by the callback URL replies go to: one Standard Webhooks endpoint verifies one signing secret,
 * so a second account posting there with its own secret breaks the first ([INFERRED] from the Standard Webhooks
 * spec's one-secret-per-endpoint model). A connection without a callback URL shares nothing and has no identity.
 */
export function genericCallback(callbackUrl: string | undefined): ProviderIdentity | undefined {
  if (!callbackUrl) return undefined;
  let url: URL;
  try {
    url = new URL(callbackUrl);
  } catch {
    return undefined;
  }
  url.hash = ''; // never sent to the server; scheme, host and default port are normalised by URL itself
  return `generic:callback:${url.href}` as ProviderIdentity;
}

/** The identity of a stored account, from its credentials; undefined when they do not name one. */
export function identityOfCredentials(provider: ProviderKind, credentials: Readonly<Record<string, string>>): ProviderIdentity | undefined {
  switch (provider) {
    case 'telegram': {
      const botId = /^(\d+):/.exec(credentials.botToken ?? '')?.[1];
      return botId ? telegramBot(botId) : undefined;
    }
    case 'whatsapp':
      return credentials.phoneNumberId ? whatsappNumber(credentials.phoneNumberId) : undefined;
    case 'generic':
      return genericCallback(credentials.callbackUrl);
  }
}
