/**
 * What the rep sees for each Update of the contract corpus (test/contract/telegram/*.json, sources in
 * its sources.md): the inbox text, in which conversation, with how many files, replying to what; or
 * the `code` of a deliberate ignore. Read by the normaliser's test and by the end-to-end contract test.
 */

export type TelegramExpectation =
  | {
      readonly text: string;
      /** The conversation's `providerChatId`: chat, `chat:topic:N` or `business:<id>:chat`. */
      readonly chat: string;
      readonly media?: number;
      readonly location?: true;
      readonly contact?: true;
      readonly replyTo?: string;
    }
  | { readonly ignored: string };

const PRIVATE = '6021478853';
const GROUP = '-1002178345690';
const FORUM = '-1002291004455';
const BUSINESS = 'business:hX3kQ9aZr2MAAAAwE7nZp1Yz0cU:5530917264';
const MARTA = 'Marta Kowalska (@marta_k)';

export const TELEGRAM_EXPECTATIONS: Readonly<Record<string, TelegramExpectation>> = {
  'private-text': { text: 'Dzień dobry! Is order 1042 shipped?', chat: PRIVATE },
  'entities-text-link': { text: 'Tracking says delivered, see this page (https://track.example.net/1042)', chat: PRIVATE },
  'entities-text-mention': { text: 'Please ask Tomás (tg://user?id=5530917264) about it', chat: PRIVATE },
  'entities-blockquote': { text: 'Your email said:\n> Delivery in 2 days\nStill waiting', chat: PRIVATE },
  'entities-expandable-blockquote': { text: 'Terms:\n> line one\n> line two', chat: PRIVATE },
  'entities-spoiler': { text: 'My door code is [spoiler: 4711]', chat: PRIVATE },
  'entities-code-pre': { text: 'Error `ERR_42` shown:\n```log\nTimeout at step 3\n```', chat: PRIVATE },
  'entities-plain-kinds': { text: 'Mail me at marta@example.org #urgent', chat: PRIVATE },
  reply: { text: 'Any update?', chat: PRIVATE, replyTo: `${PRIVATE}:305` },
  'reply-with-quote': { text: '> on Monday morning\nWhen exactly?', chat: PRIVATE, replyTo: `${PRIVATE}:306` },
  'photo-caption': { text: 'Box was crushed', chat: PRIVATE, media: 1 },
  'album-first': { text: 'Both sides of the box', chat: PRIVATE, media: 1 },
  'album-second': { text: '', chat: PRIVATE, media: 1 },
  'album-captioned-second': { text: 'and the label', chat: PRIVATE, media: 1 },
  document: { text: 'Receipt attached', chat: PRIVATE, media: 1 },
  voice: { text: '', chat: PRIVATE, media: 1 },
  poll: { text: '[poll: Which day? Mon / Tue]', chat: PRIVATE },
  quiz: { text: '[quiz: Capital of Peru? Lima / Cusco (answer: Lima)]', chat: PRIVATE },
  dice: { text: '[rolled 🎲 4]', chat: PRIVATE },
  venue: {
    text: 'Location: 52.229676, 21.012229 (Pickup point 12, Marszałkowska 10, Warszawa) https://www.openstreetmap.org/?mlat=52.229676&mlon=21.012229',
    chat: PRIVATE,
    location: true,
  },
  contact: { text: 'Contact: Piotr Nowak, +48601234567', chat: PRIVATE, contact: true },
  location: { text: 'Location: 50.064651, 19.944981 https://www.openstreetmap.org/?mlat=50.064651&mlon=19.944981', chat: PRIVATE, location: true },
  'live-location': { text: 'Live location (for 15 min): 50.0647, 19.945 https://www.openstreetmap.org/?mlat=50.0647&mlon=19.945', chat: PRIVATE, location: true },
  story: { text: '[shared a story from @acmestore]', chat: PRIVATE },
  game: { text: '[game: Parcel Dash]', chat: PRIVATE },
  invoice: { text: '[invoice: Express shipping, 12.50 EUR]', chat: PRIVATE },
  'successful-payment': { text: '[payment received: 12.50 EUR]', chat: PRIVATE },
  giveaway: { text: '[giveaway: 3 winners, Acme mug]', chat: PRIVATE },
  checklist: { text: '[Telegram: checklist]', chat: PRIVATE },
  'edited-text': { text: '[edited: Dzień dobry! Is order 1043 shipped?]', chat: PRIVATE },
  'edited-live-location': { ignored: 'live-location-update' },
  'my-chat-member-blocked': { ignored: 'customer-blocked' },
  'my-chat-member-unblocked': { ignored: 'customer-unblocked' },
  'my-chat-member-added-to-group': { ignored: 'bot-added-to-group' },
  'group-text': { text: `${MARTA}: Has anyone received the new catalogue?`, chat: GROUP },
  'group-text-second-member': { text: 'Tomás: Yes, last week', chat: GROUP },
  'group-anonymous-admin': { text: 'Acme Buyers Club, Support: Catalogue ships Friday', chat: GROUP },
  'group-new-members': { text: `${MARTA}: [Tomás joined the group]`, chat: GROUP },
  'group-left-member': { text: 'Tomás: [Tomás left the group]', chat: GROUP },
  'group-pinned': { text: `${MARTA}: [pinned: "Catalogue ships Friday"]`, chat: GROUP },
  'basic-group-title': { text: `${MARTA}: [renamed the group to "Order 1042 crew (done)"]`, chat: '-4081236671' },
  'supergroup-reply-thread-not-topic': { text: 'Tomás: Still nothing here', chat: GROUP, replyTo: `${GROUP}:9101` },
  'forum-topic-created': { text: `${MARTA}: [created the topic "Returns"]`, chat: `${FORUM}:topic:55` },
  'forum-topic-message': { text: `${MARTA}: How do I return a jacket?`, chat: `${FORUM}:topic:55` },
  'forum-topic-reply': { text: 'Tomás: Same question', chat: `${FORUM}:topic:55`, replyTo: `${FORUM}:56` },
  'forum-other-topic': { text: `${MARTA}: Wrong size delivered`, chat: `${FORUM}:topic:60` },
  'forum-general-topic': { text: `${MARTA}: Hello everyone`, chat: FORUM },
  'business-connection': { ignored: 'business-connected' },
  'business-message': { text: '¿Tienen pan sin gluten hoy?', chat: BUSINESS },
  'business-message-photo': { text: 'Este', chat: BUSINESS, media: 1 },
  'business-own-message': { ignored: 'business-own-message' },
  'edited-business-message': { text: '[edited: ¿Tienen pan sin gluten mañana?]', chat: BUSINESS },
  'deleted-business-messages': { text: '[deleted 2 messages in Telegram]', chat: BUSINESS },
  'business-disconnected': { ignored: 'business-disconnected' },
  'callback-query': { ignored: 'update-type' },
  'channel-post': { ignored: 'channel-post' },
  'poll-answer': { text: '[voted in a poll: option 2]', chat: PRIVATE },
  'message-reaction': { ignored: 'update-type' },
};
