import type { TelegramChat, TelegramMessage, TelegramUser } from './wire-types.js';

/**
 * Readable notes, in square brackets, for what a Telegram message holds besides text, files,
 * locations and contacts: polls, dice, stories, payments, service messages… A rep sees what happened
 * instead of an empty message (or nothing at all).
 */

export function userName(user: TelegramUser): string {
  const name = [user.first_name, user.last_name].filter(Boolean).join(' ');
  return user.username ? `${name} (@${user.username})` : name;
}

function chatName(chat: TelegramChat): string {
  if (chat.username) return `@${chat.username}`;
  return chat.title ?? ([chat.first_name, chat.last_name].filter(Boolean).join(' ') || `chat ${chat.id}`);
}

/**
 * `total_amount` is in the currency's smallest unit; Intl knows how many decimals an ISO currency has.
 * Telegram Stars (XTR) are not ISO and have none.
 */
export function formatAmount(totalAmount: number, currency: string): string {
  if (currency === 'XTR') return `${totalAmount} ⭐`;
  let decimals = 2;
  try {
    decimals =
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    // [INFERRED] an unknown code is shown with two decimals, the common case.
  }
  return `${(totalAmount / 10 ** decimals).toFixed(decimals)} ${currency}`;
}

function pollNote(poll: NonNullable<TelegramMessage['poll']>): string {
  const options = poll.options.map((o) => o.text).join(' / ');
  if (poll.type !== 'quiz') return `[poll: ${poll.question} ${options}]`;
  const correct = poll.correct_option_ids ?? (poll.correct_option_id !== undefined ? [poll.correct_option_id] : []);
  const answers = correct.map((i) => poll.options[i]?.text).filter(Boolean);
  return `[quiz: ${poll.question} ${options}${answers.length ? ` (answer: ${answers.join(', ')})` : ''}]`;
}

/** Content notes for the message's own content, in a stable order. */
function contentNotes(m: TelegramMessage): string[] {
  const notes: string[] = [];
  if (m.poll) notes.push(pollNote(m.poll));
  if (m.dice) notes.push(`[rolled ${m.dice.emoji} ${m.dice.value}]`);
  if (m.story) notes.push(`[shared a story from ${chatName(m.story.chat)}]`);
  if (m.game) notes.push(`[game: ${m.game.title}]`);
  if (m.invoice)
    notes.push(`[invoice: ${m.invoice.title}, ${formatAmount(m.invoice.total_amount, m.invoice.currency)}]`);
  if (m.successful_payment) {
    const p = m.successful_payment;
    notes.push(`[payment received: ${formatAmount(p.total_amount, p.currency)}${p.is_recurring ? ', recurring' : ''}]`);
  }
  if (m.giveaway) {
    const g = m.giveaway;
    const prize =
      g.prize_description ??
      (g.prize_star_count
        ? `${g.prize_star_count} ⭐`
        : g.premium_subscription_month_count
          ? `${g.premium_subscription_month_count} months of Telegram Premium`
          : undefined);
    notes.push(`[giveaway: ${g.winner_count} winner${g.winner_count === 1 ? '' : 's'}${prize ? `, ${prize}` : ''}]`);
  }
  if (m.giveaway_winners)
    notes.push(
      `[giveaway winners: ${m.giveaway_winners.winners.map(userName).join(', ') || m.giveaway_winners.winner_count}]`,
    );
  if (m.paid_media)
    notes.push(
      `[paid media: ${m.paid_media.paid_media.length} item${m.paid_media.paid_media.length === 1 ? '' : 's'} for ${m.paid_media.star_count} ⭐]`,
    );
  return notes;
}

/** Service messages: what happened in the chat, said the way Telegram's apps say it. */
function serviceNotes(m: TelegramMessage): string[] {
  const notes: string[] = [];
  if (m.new_chat_members) notes.push(`[${m.new_chat_members.map(userName).join(', ')} joined the group]`);
  if (m.left_chat_member) notes.push(`[${userName(m.left_chat_member)} left the group]`);
  if (m.new_chat_title !== undefined) notes.push(`[renamed the group to "${m.new_chat_title}"]`);
  if (m.pinned_message) {
    const pinned = m.pinned_message.text ?? m.pinned_message.caption;
    notes.push(pinned ? `[pinned: "${pinned}"]` : '[pinned a message]');
  }
  if (m.forum_topic_created) notes.push(`[created the topic "${m.forum_topic_created.name}"]`);
  if (m.forum_topic_edited)
    notes.push(
      m.forum_topic_edited.name ? `[renamed the topic to "${m.forum_topic_edited.name}"]` : '[edited the topic]',
    );
  if (m.web_app_data) notes.push(`[${m.web_app_data.button_text}: ${m.web_app_data.data}]`);
  return notes;
}

/** Fields of a Message that describe it rather than hold content: never named in a fallback note. */
const METADATA = new Set([
  'message_id',
  'message_thread_id',
  'from',
  'sender_chat',
  'sender_boost_count',
  'sender_business_bot',
  'sender_tag',
  'date',
  'business_connection_id',
  'chat',
  'is_topic_message',
  'forward_origin',
  'is_automatic_forward',
  'reply_to_message',
  'external_reply',
  'quote',
  'reply_to_story',
  'reply_to_checklist_task_id',
  'via_bot',
  'edit_date',
  'has_protected_content',
  'is_from_offline',
  'media_group_id',
  'author_signature',
  'entities',
  'caption_entities',
  'link_preview_options',
  'effect_id',
  'show_caption_above_media',
  'has_media_spoiler',
  'reply_markup',
  'paid_star_count',
  'is_paid_post',
  'direct_messages_topic',
  'text',
  'caption',
  'photo',
  'voice',
  'audio',
  'video',
  'video_note',
  'sticker',
  'document',
  'animation',
  'location',
  'venue',
  'contact',
  'thumbnail',
  'reply_to_poll_option_id',
  'receiver_user',
  'ephemeral_message_id',
  'guest_query_id',
  'guest_bot_caller_user',
  'guest_bot_caller_chat',
]);
const NAMED = new Set([
  'poll',
  'dice',
  'story',
  'game',
  'invoice',
  'successful_payment',
  'giveaway',
  'giveaway_winners',
  'paid_media',
  'new_chat_members',
  'left_chat_member',
  'new_chat_title',
  'pinned_message',
  'forum_topic_created',
  'forum_topic_edited',
  'web_app_data',
]);

/**
 * Content Telegram added that the bridge has no words for (checklists, gifts, video chats, boosts…)
 * is named by its field, so it is never dropped in silence: `video_chat_started` → "[Telegram: video chat started]".
 */
function fallbackNotes(m: TelegramMessage): string[] {
  return Object.keys(m)
    .filter((key) => !METADATA.has(key) && !NAMED.has(key))
    .map((key) => `[Telegram: ${key.replaceAll('_', ' ')}]`);
}

export function messageNotes(m: TelegramMessage): string[] {
  return [...contentNotes(m), ...serviceNotes(m), ...fallbackNotes(m)];
}
