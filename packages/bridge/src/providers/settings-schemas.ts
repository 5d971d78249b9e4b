import { z } from 'zod';

/** Schemas the modules' env settings share, with the same messages src/config-settings.ts gives its own. */

/** An absolute URL with a default: a provider's API, which only the local sandbox changes. */
export const apiUrl = (name: string, fallback: string) =>
  z
    .string({ required_error: `${name} is required` })
    .url(`${name} must be an absolute URL, e.g. https://example.com`)
    .default(fallback);

/** A count or interval that may be 0 (0 = no limit). */
export const nonNegativeInt = (fallback: number) => z.coerce.number().int().min(0).default(fallback);

/** A base URL as requests join it: without its trailing slash. */
export const withoutTrailingSlash = (url: string) => url.replace(/\/$/, '');
