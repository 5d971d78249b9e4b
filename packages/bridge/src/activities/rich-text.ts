import type { ReplyRules } from '../providers/module.js';

/**
 * The reply's text in the provider's format (its module's `reply` rules); `richText` wins over `text` when both are
 * present.
 */
export function replyText(
  rules: Pick<ReplyRules, 'formatText' | 'formatPlain'>,
  reply: { readonly text?: string; readonly richText?: string },
): string {
  if (reply.richText?.trim()) return rules.formatText(reply.richText);
  return rules.formatPlain(reply.text ?? '');
}
