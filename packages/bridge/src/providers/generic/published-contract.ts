/**
 * The generic connector's published contract (docs/GENERIC_PROVIDER.md): its wire format, its Standard Webhooks
 * signature, how it reads Retry-After, and how formatted text renders. The only part of the bridge another package may
 * import: the sandbox's generic emulator speaks it as a real connector would, and never the bridge's internals.
 */
export * from './wire-types.js';
export { signStandardWebhook, verifyStandardWebhook } from './verify.js';
export { retryAfterSeconds } from './retry-after.js';
export { formattedHtml } from './formatted.js';
export type { MediaKind } from '../../domain/messages.js';
