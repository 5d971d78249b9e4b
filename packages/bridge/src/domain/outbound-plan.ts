/**
 * A rep's reply planned as a whole before any part of it is sent (src/activities/reply-plan.ts). Lands in
 * workflow history: ids and reasons only, never file bytes.
 */
export type ReplyPlan =
  /**
   * Every file can go. `captionFile` (index into the reply's attachments): the file the text rides on as its caption.
   * `replyToProviderMessageId`: the provider's id of the message the rep replied to (HubSpot's `inReplyToId`, mapped).
   */
  | { readonly kind: 'ready'; readonly captionFile?: number; readonly replyToProviderMessageId?: string }
  /** A file cannot go; nothing was sent. `reason` names the file, for the rep. */
  | { readonly kind: 'refused'; readonly reason: string };

/** One provider message of a reply: its text, one of its files, or a file with the text as its caption. */
export interface PlannedPart {
  readonly index: number;
  readonly withText: boolean;
  /** Index into the reply's attachments. */
  readonly file?: number;
}

/**
 * The order parts go in: the text first (as the caption of its file when the plan says so), then the other
 * files in the rep's order. Indexes are stable per reply: 0 is the text, i + 1 the i-th file.
 */
export function plannedParts(
  hasText: boolean,
  fileCount: number,
  plan: Extract<ReplyPlan, { kind: 'ready' }>,
): PlannedPart[] {
  const files = Array.from({ length: fileCount }, (_, i) => i);
  const { captionFile } = plan;
  if (hasText && captionFile !== undefined) {
    return [
      { index: captionFile + 1, withText: true, file: captionFile },
      ...files.filter((i) => i !== captionFile).map((i) => ({ index: i + 1, withText: false, file: i })),
    ];
  }
  return [
    ...(hasText ? [{ index: 0, withText: true }] : []),
    ...files.map((i) => ({ index: i + 1, withText: false, file: i })),
  ];
}
