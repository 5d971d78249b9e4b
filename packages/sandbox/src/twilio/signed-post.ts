import { createHmac } from 'node:crypto';

/**
 * Twilio's X-Twilio-Signature over a form POST: base64 HMAC-SHA1 of URL + sorted name/value pairs. Written apart from
 * the bridge's on purpose.
 */
export function signForm(authToken: string, url: string, params: Readonly<Record<string, string>>): string {
  let data = url;
  for (const name of Object.keys(params).sort()) data += name + params[name];
  return createHmac('sha1', authToken).update(data).digest('base64');
}

/** Posts a signed form webhook as Twilio does; resolves to the HTTP status or the network error's text. */
export async function postSignedForm(
  authToken: string,
  url: string,
  params: Readonly<Record<string, string>>,
): Promise<string> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': signForm(authToken, url, params),
        'user-agent': 'TwilioProxy/1.1',
      },
      body: new URLSearchParams(params).toString(),
      signal: AbortSignal.timeout(15_000),
    });
    await response.body?.cancel();
    return String(response.status);
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
}
