import type { ProviderKind } from '../domain/ids.js';
import type { ReplyPlan } from '../domain/outbound-plan.js';
import type { FileVerdict } from '../providers/module.js';
import { moduleFor } from '../providers/registry.js';
import type { OutboundAttachment, ProviderCapabilities } from '../providers/types.js';

export type { ReplyPlan } from '../domain/outbound-plan.js';
export type { FileVerdict } from '../providers/module.js';

/**
 * The provider's rules for one file (its module's `reply.fileVerdict`), applied without sending it; throws a
 * ProviderError naming the file.
 */
export function fileRuleFor(
  provider: ProviderKind,
  capabilities: ProviderCapabilities,
): (attachment: OutboundAttachment) => FileVerdict {
  const { reply } = moduleFor(provider);
  return (attachment) => reply.fileVerdict(attachment, capabilities);
}

/** Whether the reply's text (already in the provider's format) fits in one caption, by the provider's own count. */
export function captionFits(provider: ProviderKind, text: string): boolean {
  return moduleFor(provider).reply.captionFits(text);
}

/** The plan from each file's verdict: the text rides on the first file that takes a caption, when it fits. */
export function planFrom(provider: ProviderKind, text: string, verdicts: readonly FileVerdict[]): ReplyPlan {
  const trimmed = text.trim();
  if (trimmed === '' || !captionFits(provider, trimmed)) return { kind: 'ready' };
  const captionFile = verdicts.findIndex((v) => v.captionable);
  return captionFile >= 0 ? { kind: 'ready', captionFile } : { kind: 'ready' };
}
