/**
 * The Bot API objects the emulator produces, as plain JSON shapes. Tests check every one against
 * the spec's schema with additionalProperties closed, so nothing here may invent a field.
 */

export interface TgUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export interface TgChat {
  id: number;
  type: 'private' | 'group' | 'supergroup';
  title?: string;
  first_name?: string;
  last_name?: string;
  username?: string;
  is_forum?: true;
}

export interface TgEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
}

export type TgObject = Record<string, unknown>;

export interface TgMessage {
  message_id: number;
  /** Set on every message of a forum topic (and on replies in a supergroup, where it names the reply thread). */
  message_thread_id?: number;
  from: TgUser;
  chat: TgChat;
  date: number;
  business_connection_id?: string;
  /** The bot that sent an outgoing message on behalf of a Business account. */
  sender_business_bot?: TgUser;
  is_topic_message?: true;
  edit_date?: number;
  reply_to_message?: TgMessage;
  text?: string;
  entities?: TgEntity[];
  caption?: string;
  caption_entities?: TgEntity[];
  photo?: TgObject[];
  voice?: TgObject;
  audio?: TgObject;
  video?: TgObject;
  video_note?: TgObject;
  sticker?: TgObject;
  document?: TgObject;
  location?: { latitude: number; longitude: number; horizontal_accuracy?: number };
  contact?: { phone_number: string; first_name: string; last_name?: string; user_id?: number; vcard?: string };
  new_chat_members?: TgUser[];
  forum_topic_created?: { name: string; icon_color: number };
}

export interface TgBusinessConnection {
  id: string;
  user: TgUser;
  user_chat_id: number;
  date: number;
  rights?: { can_reply?: true; can_read_messages?: true };
  is_enabled: boolean;
}

export interface TgChatMemberUpdated {
  chat: TgChat;
  from: TgUser;
  date: number;
  old_chat_member: { status: string; user: TgUser; until_date?: number };
  new_chat_member: { status: string; user: TgUser; until_date?: number };
}

export interface TgUpdate {
  update_id: number;
  message?: TgMessage;
  edited_message?: TgMessage;
  business_connection?: TgBusinessConnection;
  business_message?: TgMessage;
  edited_business_message?: TgMessage;
  deleted_business_messages?: { business_connection_id: string; chat: TgChat; message_ids: number[] };
  my_chat_member?: TgChatMemberUpdated;
}

/** An error exactly as Telegram answers it: HTTP status = error_code. */
export class TelegramApiError extends Error {
  constructor(
    readonly errorCode: number,
    readonly description: string,
    readonly parameters?: { retry_after?: number; migrate_to_chat_id?: number },
  ) {
    super(description);
    this.name = 'TelegramApiError';
  }
}

export const badRequest = (what: string) => new TelegramApiError(400, `Bad Request: ${what}`);

/** A private chat has the customer's own id and names. */
export function privateChatOf(user: TgUser): TgChat {
  return {
    id: user.id,
    type: 'private',
    first_name: user.first_name,
    ...(user.last_name ? { last_name: user.last_name } : {}),
    ...(user.username ? { username: user.username } : {}),
  };
}
