import { GraphError } from './graph-errors.js';
import type { WhatsAppSandboxState } from './state.js';

/**
 * The fields of the business phone number node the emulator models, each computed on read. `webhook_configuration`
 * follows Meta's "Get phone number alternate callback"
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/override/): `application` is
 * the app's callback URL, here the emulator's webhook URL (options.webhookUrl or POST /_sandbox/whatsapp/webhook, kept
 * even when its handshake failed). Overrides are not modelled: no `phone_number` key (POST /{phone-number-id}
 * webhook_configuration is not emulated) and no `whatsapp_business_account` key (Meta includes it only when the WABA
 * has an override; the emulator has no WABA object). [INFERRED] With no URL at all the object is `{}`.
 */
const FIELDS = {
  id: (state) => state.options.phoneNumberId,
  verified_name: (state) => state.options.verifiedName,
  display_phone_number: (state) => state.options.displayPhoneNumber,
  quality_rating: () => 'GREEN',
  webhook_configuration: (state) => (state.webhook.url ? { application: state.webhook.url } : {}),
} satisfies Record<string, (state: WhatsAppSandboxState) => unknown>;
type Field = keyof typeof FIELDS;

/**
 * What a GET without `fields` answers. [INFERRED] Meta's node default is not documented field by field; the
 * phone_numbers edge's documented default includes webhook_configuration, and the emulator's earlier answer had these.
 */
const DEFAULT_FIELDS: readonly Field[] = [
  'verified_name',
  'display_phone_number',
  'quality_rating',
  'webhook_configuration',
];

const isField = (name: string): name is Field => Object.hasOwn(FIELDS, name);

/**
 * `GET /{version}/{phone-number-id}?fields=a,b`: only the fields asked for, plus `id`, which Graph always returns. A
 * field the node does not have fails the whole request with code 100, in Graph's words ("(#100) Tried accessing
 * nonexisting field (x) on node type (WhatsAppBusinessPhoneNumber)", as Graph answers in public client tests and
 * issue threads, not in Meta's reference). Meta's fields the emulator does not model (platform_type, throughput…) get
 * the same answer. Field expansion (`field{sub}`) is not supported.
 */
export function phoneNumberObject(state: WhatsAppSandboxState, fieldsParam: unknown): Record<string, unknown> {
  const asked =
    fieldsParam === undefined
      ? DEFAULT_FIELDS
      : [fieldsParam]
          .flat()
          .join(',')
          .split(',')
          .map((f) => String(f).trim())
          .filter(Boolean);
  const body: Record<string, unknown> = {};
  for (const name of asked) {
    if (!isField(name))
      throw new GraphError(
        400,
        100,
        `(#100) Tried accessing nonexisting field (${name}) on node type (WhatsAppBusinessPhoneNumber)`,
      );
    body[name] = FIELDS[name](state);
  }
  body.id = state.options.phoneNumberId;
  return body;
}
