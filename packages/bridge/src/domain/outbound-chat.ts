import type { OutboundRequest } from './outbound.js';

/**
 * The customer's chat a reply goes to: `{accountId}:{chatId}` from the thread id, minus the `#{generation}` the
 * inbound side appends when it starts a new thread for the same conversation (src/activities/threads.ts); else the
 * first recipient's identifier (`+4477…` → `4477…`). Shared by the api (which registers the reply's turn as it
 * accepts the webhook) and the resolve activity.
 */
export function outboundChatId(
  request: Pick<OutboundRequest, 'channelAccountId' | 'integrationThreadId' | 'recipients'>,
): string | undefined {
  const prefix = `${request.channelAccountId}:`;
  if (request.integrationThreadId?.startsWith(prefix))
    return request.integrationThreadId.slice(prefix.length).replace(/#\d+$/, '') || undefined;
  const recipient = request.recipients.find((r) => r.value.trim() !== '');
  if (!recipient) return undefined;
  return recipient.type === 'HS_PHONE_NUMBER' ? recipient.value.replace(/^\+/, '') : recipient.value;
}

/**
 * The sequencer line of the chat a reply goes to (docs/ORDERING.md): the replies of one conversation, apart from its
 * customer messages. Undefined when the reply names no chat (it fails before it would take a turn).
 */
export function replyLineKey(
  request: Pick<OutboundRequest, 'channelAccountId' | 'integrationThreadId' | 'recipients'>,
): string | undefined {
  const chatId = outboundChatId(request);
  return chatId === undefined ? undefined : `reply:${request.channelAccountId}:${chatId}`;
}
