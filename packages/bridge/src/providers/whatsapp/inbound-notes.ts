import type { WaMessage, WaMessageContent, WaMetaError } from './wire-types.js';

/**
 * The readable text a rep sees for WhatsApp message kinds that have no HubSpot attachment: each keeps
 * every field Meta sends that means something to a person, in square-bracketed notes so a rep can
 * tell the bridge's words from the customer's.
 */

type Content = WaMessageContent;
const lines = (...parts: (string | undefined | false)[]) =>
  parts.filter((p): p is string => typeof p === 'string' && p.trim() !== '').join('\n');
/** Meta's free-form strings can be long; a note quotes the start. */
const clip = (s: string, max = 500) => (s.length > max ? `${s.slice(0, max)}…` : s);

/** "[forwarded]" / "[forwarded many times]", from `context` (Meta sends no id with it). */
export function forwardedNote(context: Content['context']): string | undefined {
  if (context?.frequently_forwarded) return '[forwarded many times]';
  if (context?.forwarded) return '[forwarded]';
  return undefined;
}

/** A question about a catalog product ("Message business" on a product). */
export function referredProductNote(context: Content['context']): string | undefined {
  const product = context?.referred_product;
  if (!product) return undefined;
  return `[asking about product ${product.product_retailer_id ?? '(no id)'} of catalog ${product.catalog_id ?? '(no id)'}]`;
}

/** Click-to-WhatsApp ad or post the customer came from. */
export function referralNote(referral: Content['referral']): string | undefined {
  if (!referral) return undefined;
  const source = referral.source_type ? `an ${referral.source_type === 'ad' ? 'ad' : referral.source_type}` : 'an ad';
  return lines(
    `[came from ${source}${referral.source_id ? ` (${referral.source_id})` : ''}]`,
    referral.headline && `Headline: ${referral.headline}`,
    referral.body && `Ad text: ${clip(referral.body)}`,
    referral.source_url && `Link: ${referral.source_url}`,
  );
}

export function reactionText(reaction: NonNullable<Content['reaction']>): string {
  // Meta sends a reaction without `emoji` when the customer removes theirs.
  return reaction.emoji ? `[reacted ${reaction.emoji} to a message]` : '[removed their reaction from a message]';
}

/** A template's quick-reply button: the label the customer tapped, and the payload when it says more. */
export function buttonText(button: NonNullable<Content['button']>): string {
  const label = button.text ?? button.payload ?? '';
  return lines(
    `[tapped button] ${label}`,
    button.payload && button.payload !== label ? `[button payload: ${button.payload}]` : undefined,
  );
}

/** Flattens a flow's response JSON into "key: value" lines; not JSON (or not an object) is quoted as is. */
export function summariseResponseJson(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return clip(raw);
  }
  if (typeof parsed !== 'object' || parsed === null) return clip(String(raw));
  const out: string[] = [];
  const walk = (value: unknown, path: string) => {
    if (out.length >= 40) return;
    if (Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null))
      out.push(`${path}: ${value.join(', ')}`);
    else if (typeof value === 'object' && value !== null)
      for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k);
    else out.push(`${path}: ${clip(String(value), 200)}`);
  };
  walk(parsed, '');
  return out.join('\n');
}

export function interactiveText(interactive: NonNullable<Content['interactive']>): string {
  switch (interactive.type) {
    case 'button_reply': {
      const reply = interactive.button_reply;
      return lines(`[chose] ${reply?.title ?? ''}`, reply?.id && `[button id: ${reply.id}]`);
    }
    case 'list_reply': {
      const reply = interactive.list_reply;
      return lines(
        `[chose from list] ${reply?.title ?? ''}`,
        reply?.description,
        reply?.id && `[list item id: ${reply.id}]`,
      );
    }
    case 'nfm_reply': {
      const reply = interactive.nfm_reply;
      // A flow's body is Meta's fixed "Sent"; the answers are in response_json.
      return lines(
        `[submitted ${reply?.name === 'address_message' ? 'an address' : `form "${reply?.name ?? 'flow'}"`}]`,
        reply?.body && reply.body !== 'Sent' ? reply.body : undefined,
        summariseResponseJson(reply?.response_json),
      );
    }
    default: {
      // [INFERRED] other interactive replies (e.g. call permission) carry an object named after their type.
      const own = (interactive as Record<string, unknown>)[interactive.type];
      return lines(
        `[interactive reply: ${interactive.type}]`,
        own === undefined ? undefined : summariseResponseJson(JSON.stringify(own)),
      );
    }
  }
}

export function orderText(order: NonNullable<Content['order']>): string {
  const items = (order.product_items ?? []).map(
    (item) =>
      `• ${item.product_retailer_id ?? '(no product id)'} × ${item.quantity ?? '?'}${item.item_price !== undefined ? ` at ${item.item_price} ${item.currency ?? ''}`.trimEnd() : ''}`,
  );
  return lines(`🛒 Order${order.catalog_id ? ` from catalog ${order.catalog_id}` : ''}`, ...items, order.text);
}

/** Number or id changes; Meta's body says it in words ("User A changed from … to …"). */
export function systemText(system: NonNullable<Content['system']>): string {
  if (system.body) return `[${system.body}]`;
  const to = system.wa_id ?? (system.new_wa_id !== undefined ? String(system.new_wa_id) : undefined) ?? system.user_id;
  return `[WhatsApp system notice: ${system.type ?? 'unknown'}${to ? ` (now ${to})` : ''}]`;
}

export function metaErrorSummary(errors: readonly WaMetaError[] | undefined): string {
  const error = errors?.[0];
  if (!error) return 'WhatsApp gave no reason';
  const words = [error.title, error.error_data?.details ?? error.details ?? error.message]
    .filter((w, i, all) => w && all.indexOf(w) === i)
    .join(': ');
  return `${words || 'no reason given'}${error.code !== undefined ? ` (${error.code})` : ''}`;
}

export function unsupportedText(errors: readonly WaMetaError[] | undefined): string {
  return `[sent something this inbox cannot show: ${metaErrorSummary(errors)}]`;
}

export const REQUEST_WELCOME_TEXT = '[opened the chat with the business for the first time]';
export const REVOKE_TEXT = '[deleted a message]';
export const EDIT_NOTE = '[edited a message; new version:]';

/**
 * Shown when the customer's security code changed: `messages[].identity` `{acknowledged, created_timestamp,
 * hash}` with identity change checks on [INFERRED: documented for the On-Premises API; the Cloud API documents
 * `contacts[].identity_key_hash` and the `customer_identity_changed` system message, carried by systemText].
 */
export function identityNote(identity: WaMessage['identity']): string | undefined {
  if (!identity) return undefined;
  const at = Number(identity.created_timestamp);
  const when = Number.isFinite(at) && at > 0 ? ` on ${new Date(at * 1000).toISOString()}` : '';
  return `[the customer's WhatsApp security code changed${when}${identity.acknowledged === false ? '; not yet acknowledged' : ''}]`;
}
