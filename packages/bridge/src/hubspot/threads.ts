/** The fields of a Conversations thread (`GET /conversations/v3/conversations/threads/{id}`) the bridge reads. */
export interface ConversationThreadInfo {
  readonly id: string;
  readonly status: 'OPEN' | 'CLOSED';
  readonly archived?: boolean;
}
