/**
 * Twilio's default keyword handling on long codes and toll-free numbers ("Twilio support for opt-out keywords"):
 * a message whose whole body is a keyword, any case, changes the customer's subscription to the sender. Twilio
 * itself blocks later sends (error 21610) and answers the customer; the message still reaches the webhook. With a
 * Messaging Service's Advanced Opt-Out the webhook says so in `OptOutType` (STOP, START, HELP), and that wins
 * because its keywords are configurable.
 */
export type OptOutType = 'STOP' | 'START' | 'HELP';

// REVOKE and OPTOUT are listed in Twilio's Advanced Opt-Out tutorial among the defaults; the help-center list is
// shorter.
const STOP = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT'];
const START = ['START', 'YES', 'UNSTOP'];
const HELP = ['HELP', 'INFO'];

export function optOutTypeOf(body: string, declared: string | undefined): OptOutType | undefined {
  const told = declared?.trim().toUpperCase();
  if (told === 'STOP' || told === 'START' || told === 'HELP') return told;
  const word = body.trim().toUpperCase();
  if (STOP.includes(word)) return 'STOP';
  if (START.includes(word)) return 'START';
  if (HELP.includes(word)) return 'HELP';
  return undefined;
}

/** The square-bracketed note a rep sees under the customer's words. */
export const OPT_OUT_NOTES: Readonly<Record<OptOutType, string>> = {
  STOP: '[The customer opted out of SMS from this number. Twilio answered them and refuses replies until they text START.]',
  START: '[The customer opted back in to SMS from this number; replies can be sent again.]',
  HELP: "[The customer asked for help by keyword; Twilio may have answered them with the sender's help message.]",
};
