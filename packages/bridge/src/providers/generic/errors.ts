import { ProviderError } from '../types.js';

/**
 * `inline:N` refs name bytes that came inside the webhook body (`dataBase64`). The connector has
 * no URL to fetch them from again, so `fetchMedia` cannot serve them: whoever handles the inbound
 * webhook must stage those bytes itself (e.g. in the store) before the workflow needs them.
 */
export class InlineMediaNotRefetchableError extends ProviderError {
  constructor(readonly ref: string) {
    super(
      `the attachment ${ref} came inline in the webhook body (dataBase64); the connector has no URL to fetch it from again, so its bytes must be staged when the webhook is received`,
      { retryable: false, code: 'inline_media_not_refetchable' },
    );
    this.name = 'InlineMediaNotRefetchableError';
  }
}

/** A media URL, redirect or callback URL that points somewhere the bridge must not connect to. */
export class ForbiddenAddressError extends ProviderError {
  constructor(
    readonly url: string,
    reason: string,
  ) {
    super(`refused to fetch ${url}: ${reason}`, { retryable: false, code: 'forbidden_address' });
    this.name = 'ForbiddenAddressError';
  }
}

export const INLINE_REF_PREFIX = 'inline:';
export const isInlineRef = (ref: string) => ref.startsWith(INLINE_REF_PREFIX);
