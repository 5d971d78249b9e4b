export { createTwilioAdapter, type TwilioAdapterConfig, type TwilioAdapterDeps } from './adapter.js';
export { twilioProvider, type TwilioSettings } from './provider.js';
export { DEFAULT_TWILIO_API_BASE_URL } from './api.js';
export {
  checkTwilioSender,
  twilioConnectForm,
  twilioSenderIdentity,
  webhookInstructions,
  DEFAULT_MESSAGING_API_BASE_URL,
} from './connect.js';
export { twilioSignature } from './verify.js';
export { TWILIO, TWILIO_CAPABILITIES, TWILIO_PACING, TWILIO_WEBHOOK_ACK } from './limits.js';
export { OPT_OUT_NOTES } from './opt-out.js';
export type { MediaUrlSigner } from './send.js';
