/**
 * Removes secrets from text meant for a terminal, a log or a JSON report: every known secret value (as is and
 * URL-encoded, since libraries put keys in query strings), and anything shaped like a credential in a URL or header
 * (HubSpot's `hapikey=`, OAuth form fields, a bot token in a `/bot<token>/` path, `Bearer …`, a database URL's
 * password).
 */
export interface Redactor {
  /** Adds values found while running (a portal's tokens, an account's credentials). Short values are ignored. */
  add(...secrets: readonly (string | undefined)[]): void;
  redact(text: string): string;
}

export const REDACTED = '[redacted]';

// Shorter values would match ordinary words; no real key, token or secret is this short.
const MIN_SECRET_LENGTH = 6;

const PATTERNS: readonly [RegExp, string][] = [
  [/([?&](?:hapikey|access_token|refresh_token|client_secret|code|token|key)=)[^&\s"'<>]+/gi, `$1${REDACTED}`],
  [/\/bot\d+:[A-Za-z0-9_-]+/g, `/bot${REDACTED}`],
  [/\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, `$1${REDACTED}`],
  [/\b(postgres(?:ql)?:\/\/[^:/@\s]*:)[^@\s]+@/gi, `$1${REDACTED}@`],
];

export function createRedactor(secrets: readonly (string | undefined)[] = []): Redactor {
  const known = new Set<string>();
  const add = (...values: readonly (string | undefined)[]) => {
    for (const value of values) {
      if (!value || value.length < MIN_SECRET_LENGTH) continue;
      known.add(value);
      known.add(encodeURIComponent(value));
    }
  };
  add(...secrets);
  return {
    add,
    redact(text: string): string {
      // Longest first, so a secret that contains another is removed whole.
      let out = text;
      for (const secret of [...known].sort((a, b) => b.length - a.length)) out = out.split(secret).join(REDACTED);
      for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
      return out;
    },
  };
}

/** The settings whose values are secrets, wherever they are read from. */
const SECRET_SETTINGS = [
  'HUBSPOT_DEVELOPER_API_KEY',
  'HUBSPOT_CLIENT_SECRET',
  'HUBSPOT_ACCESS_TOKEN',
  'BRIDGE_ENCRYPTION_KEY',
  'BRIDGE_ADMIN_TOKEN',
  'TEMPORAL_API_KEY',
  'BRIDGE_DATABASE_URL',
] as const;

/**
 * Every secret an environment holds: the settings above, each previous encryption key, and a database URL's password.
 */
export function secretsOf(env: Readonly<Record<string, string | undefined>>): string[] {
  const values: string[] = SECRET_SETTINGS.map((name) => env[name]).filter((v): v is string => Boolean(v));
  values.push(
    ...(env.BRIDGE_PREVIOUS_ENCRYPTION_KEYS ?? '')
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean),
  );
  const password = passwordOf(env.BRIDGE_DATABASE_URL);
  if (password) values.push(password, safeDecode(password));
  return values;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function passwordOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).password || undefined;
  } catch {
    return undefined;
  }
}
