import type { ValidateFunction } from 'ajv/dist/2020.js';
import { readSpec, specAjv } from './spec-schemas.js';

/**
 * The WhatsApp Cloud API schemas derived from Meta's OpenAPI document for Graph v23.0
 * (https://github.com/facebook/openapi, business-messaging-api_v23.0.yaml; reference at
 * https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components and
 * https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages), read from SPECS_DIR on
 * first use only: guard each check with specMissing(…) or specCheck(t, …) on the path exported here.
 *
 * `whatsappWebhook()` is the webhook schema closed against invented fields, with five documented
 * corrections where the derived file still disagrees with what Meta sends:
 * 1. `statuses[].status` also allows `played` (Meta sends it for voice notes since 2026-03; v23 predates it);
 * 2. `context` is `{from, id}`: the spec requires `referred_product`, which only product enquiries carry;
 * 3. every message type may carry `context` (a reply to any message), not only text;
 * 4. a location needs only latitude and longitude (a dropped pin has no name or address);
 * 5. a document may carry a caption, as Meta's document webhook reference shows.
 */
export const WHATSAPP_WEBHOOK_SPEC = 'whatsapp/webhook.schema.json';
export const WHATSAPP_SEND_SPEC = 'whatsapp/send-message.schema.json';

type Schema = Record<string, unknown>;
const WEBHOOK_ID = 'whatsapp-cloud-webhook-closed';
const SEND_ID = 'whatsapp-cloud-send-message';

const isObject = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

function patch(schema: Schema): void {
  const defs = schema.$defs as Record<string, Schema>;
  const statusProps = (defs.Statuses!.properties as Record<string, Schema>).status!;
  statusProps.enum = [...(statusProps.enum as string[]), 'played'];
  defs.ContextObject!.required = ['from', 'id'];
  for (const name of [
    'AudioMessage_1',
    'DocumentMessage_1',
    'ImageMessage_1',
    'StickerMessage_1',
    'VideoMessage_1',
    'LocationMessage_1',
    'ContactSharingMessage',
  ]) {
    const own = (defs[name]!.allOf as Schema[])[1]!;
    (own.properties as Schema).context = { $ref: '#/$defs/ContextObject' };
  }
  const location = ((defs.LocationMessage_1!.allOf as Schema[])[1]!.properties as Record<string, Schema>).location!;
  location.required = ['latitude', 'longitude'];
  const document = ((defs.DocumentMessage_1!.allOf as Schema[])[1]!.properties as Record<string, Schema>).document!;
  ((document.allOf as Schema[])[1]!.properties as Schema).caption = { type: 'string' };
}

/**
 * Closes every object schema. `additionalProperties: false` cannot be used inside `allOf` (each
 * branch would refuse the other branches' keys), so an `allOf` gets `unevaluatedProperties: false`
 * and its branches, and the definitions they reference, stay open.
 */
function close(schema: Schema): void {
  const defs = schema.$defs as Record<string, Schema>;
  const sharedParts = new Set<string>();
  const collect = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(collect);
    if (!isObject(node)) return;
    for (const member of (node.allOf as Schema[] | undefined) ?? []) {
      if (typeof member.$ref === 'string') sharedParts.add(member.$ref.replace('#/$defs/', ''));
    }
    Object.values(node).forEach(collect);
  };
  collect(schema);
  const walk = (node: unknown, inAllOf: boolean, defName?: string): void => {
    if (Array.isArray(node)) return node.forEach((n) => walk(n, inAllOf));
    if (!isObject(node)) return;
    if (Array.isArray(node.allOf)) {
      node.unevaluatedProperties = false;
      (node.allOf as unknown[]).forEach((member) => walk(member, true));
    } else if (isObject(node.properties) && !inAllOf && !(defName && sharedParts.has(defName))) {
      node.additionalProperties = false;
    }
    for (const [key, value] of Object.entries(node)) {
      if (key === 'allOf' || key === '$defs') continue;
      walk(value, false);
    }
  };
  for (const [name, def] of Object.entries(defs)) walk(def, false, name);
}

export function whatsappWebhook(): ValidateFunction {
  const ajv = specAjv();
  if (!ajv.getSchema(WEBHOOK_ID)) {
    const schema = structuredClone(readSpec(WHATSAPP_WEBHOOK_SPEC));
    schema.$id = WEBHOOK_ID;
    patch(schema);
    close(schema);
    ajv.addSchema(schema);
  }
  return ajv.getSchema(WEBHOOK_ID)!;
}

/** The send-message request schema as derived (open: Meta accepts documented optional fields). */
export function whatsappSendMessage(): ValidateFunction {
  const ajv = specAjv();
  if (!ajv.getSchema(SEND_ID)) ajv.addSchema(readSpec(WHATSAPP_SEND_SPEC));
  return ajv.getSchema(SEND_ID)!;
}

export { assertValid } from './spec-schemas.js';
