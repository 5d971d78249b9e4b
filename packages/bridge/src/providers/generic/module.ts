import { htmlToPlainText } from '../html-render.js';
import type { ProviderModule } from '../module.js';
import { ProviderError } from '../types.js';
import { genericCallbackIdentity, genericConnect } from './connect.js';
import { createGenericAdapter } from './index.js';
import { genericInlineMedia } from './inline.js';

const DISPLAY_NAME = 'the connector';

/**
 * Any service that implements docs/GENERIC_PROVIDER.md: it signs what it posts, and takes replies at its callback URL.
 */
export const genericProvider: ProviderModule<unknown> = {
  kind: 'generic',
  displayName: DISPLAY_NAME,
  // docs/GENERIC_PROVIDER.md: a connector retries 429, 5xx and timeouts with backoff, honouring Retry-After.
  retriesRefusedWebhooks: true,
  // Nothing to configure: each connector is its own service, paced by its own answers.
  settings: { env: {}, fromEnv: () => ({}), pacing: () => ({ perChatIntervalMs: 0, globalPerSecond: 0 }) },
  createAdapter: (ctx) =>
    createGenericAdapter(
      {
        accountId: ctx.accountId,
        signingSecret: ctx.credential('signingSecret'),
        callbackUrl: ctx.credentials.callbackUrl,
        mediaAuthHeader: ctx.credentials.mediaAuthHeader,
      },
      {
        fetch: ctx.publicFetch,
        allowPrivateHosts: ctx.mediaPolicy.allowPrivateHosts,
        lookup: ctx.mediaPolicy.lookup,
        // Files over the inline limit go as signed links the bridge serves (src/media-links/).
        mediaUrlFor: ctx.mediaUrlFor,
      },
    ),
  reply: {
    // The connector takes text and files in one message, so nothing is a caption; only its size limits apply.
    fileVerdict(attachment, capabilities) {
      const limit = capabilities.maxOutboundMediaBytes[attachment.kind];
      if (limit !== undefined && attachment.data.length > limit) {
        throw new ProviderError(
          `"${attachment.filename}" is ${attachment.data.length} bytes; ${DISPLAY_NAME} takes ${attachment.kind} files up to ${limit} bytes`,
          { retryable: false },
        );
      }
      return { captionable: false };
    },
    captionFits: () => false,
    // `text` is plain; the rep's rich text also rides beside it as `formatted` (send.ts).
    formatText: htmlToPlainText,
    formatPlain: (text) => text,
  },
  inlineMedia: genericInlineMedia,
  identityOf: (credentials) => genericCallbackIdentity(credentials.callbackUrl),
  connect: genericConnect,
};
