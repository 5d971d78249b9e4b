import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { ChannelDefinition } from '../hubspot/channels.js';
import { withDotEnv } from '../config-dotenv.js';

/** Thrown when a channel config file is missing, unparsable or invalid; lists every problem with its field path. */
export class ChannelConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`${file} is not a valid channel config:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ChannelConfigError';
  }
}

const httpUrl = (what: string) =>
  z
    .string({ required_error: `${what} is required`, invalid_type_error: `${what} must be a URL string` })
    .url(`${what} must be an absolute URL, e.g. https://bridge.example.com/...`);

const IDENTIFIER_TYPES = [
  'HS_EMAIL_ADDRESS',
  'HS_PHONE_NUMBER',
  'HS_SHORT_CODE',
  'CHANNEL_SPECIFIC_OPAQUE_ID',
] as const;
const RICH_TEXT = ['HYPERLINK', 'TEXT_ALIGNMENT', 'BLOCKQUOTE', 'BOLD', 'ITALIC', 'LISTS'] as const;
const positiveInt = (what: string) =>
  z
    .number({ invalid_type_error: `${what} must be a number` })
    .int(`${what} must be a whole number`)
    .positive(`${what} must be positive`);

/**
 * Capabilities (https://developers.hubspot.com/docs/api-reference/legacy/conversations/custom-channels/guide): the keys
 * HubSpot documents, checked; unknown keys are refused.
 */
const capabilitiesSchema = z
  .object({
    threadingModel: z.enum(['INTEGRATION_THREAD_ID', 'DELIVERY_IDENTIFIER'], {
      errorMap: () => ({ message: 'threadingModel must be INTEGRATION_THREAD_ID or DELIVERY_IDENTIFIER' }),
    }),
    deliveryIdentifierTypes: z
      .array(
        z.enum(IDENTIFIER_TYPES, {
          errorMap: () => ({
            message: `each delivery identifier type must be a plain string, one of ${IDENTIFIER_TYPES.join(', ')}`,
          }),
        }),
      )
      .min(1, 'deliveryIdentifierTypes needs at least one type'),
    richText: z
      .array(z.enum(RICH_TEXT, { errorMap: () => ({ message: `richText values are ${RICH_TEXT.join(', ')}` }) }))
      .default([]),
    allowInlineImages: z.boolean().default(false),
    allowOutgoingMessages: z.boolean({ required_error: 'allowOutgoingMessages is required (may reps reply?)' }),
    allowConversationStart: z.boolean({
      required_error: 'allowConversationStart is required (may reps start conversations?)',
    }),
    allowMultipleRecipients: z.boolean().default(false),
    outgoingAttachmentTypes: z
      .array(z.literal('FILE', { errorMap: () => ({ message: 'outgoingAttachmentTypes may only hold "FILE"' }) }))
      .default([]),
    allowedFileAttachmentMimeTypes: z
      .array(z.string().regex(/^[a-z]+\/(\*|[a-z0-9.+-]+)$/i, 'each MIME type looks like image/png or image/*'))
      .default([]),
    maxFileAttachmentCount: positiveInt('maxFileAttachmentCount').optional(),
    maxFileAttachmentSizeBytes: positiveInt('maxFileAttachmentSizeBytes').optional(),
    maxTotalFileAttachmentSizeBytes: positiveInt('maxTotalFileAttachmentSizeBytes').optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.outgoingAttachmentTypes.includes('FILE') && c.maxFileAttachmentCount === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxFileAttachmentCount'],
        message: 'maxFileAttachmentCount is required when outgoingAttachmentTypes has FILE',
      });
    }
    if (
      c.maxFileAttachmentSizeBytes &&
      c.maxTotalFileAttachmentSizeBytes &&
      c.maxTotalFileAttachmentSizeBytes < c.maxFileAttachmentSizeBytes
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxTotalFileAttachmentSizeBytes'],
        message: 'maxTotalFileAttachmentSizeBytes must be at least maxFileAttachmentSizeBytes',
      });
    }
  });

export const channelConfigSchema = z
  .object({
    name: z
      .string({ required_error: 'name is required (shown to admins in HubSpot)' })
      .trim()
      .min(1, 'name must not be empty'),
    description: z.string().trim().min(1, 'description must not be empty').optional(),
    logoUrl: httpUrl('logoUrl').optional(),
    webhookUrl: httpUrl('webhookUrl'),
    channelAccountConnectionRedirectUrl: httpUrl('channelAccountConnectionRedirectUrl'),
    capabilities: capabilitiesSchema,
  })
  .strict();

export type ChannelConfig = z.infer<typeof channelConfigSchema>;

function formatIssue(issue: z.ZodIssue): string {
  const where = issue.path.join('.');
  if (issue.code === 'unrecognized_keys')
    return `${where ? `${where}: ` : ''}unknown field(s) ${issue.keys.join(', ')}`;
  if (issue.code === 'invalid_type' && issue.received === 'undefined') return `${where} is required`;
  return where && !issue.message.startsWith(where) ? `${where}: ${issue.message}` : issue.message;
}

/**
 * `${NAME}` in a string value → that setting from the environment (over `.env`), so one file serves every deployment:
 * `"webhookUrl": "${BRIDGE_PUBLIC_URL}/webhooks/hubspot"`. An unset name is a problem at its path.
 */
function expandSettings(value: unknown, env: NodeJS.ProcessEnv, at: string, problems: string[]): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Z][A-Z0-9_]*)\}/g, (_match, name: string) => {
      const setting = env[name]?.replace(/\/$/, '');
      if (!setting) problems.push(`${at}: \${${name}} is not set (set ${name} in the environment or .env)`);
      return setting ?? '';
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => expandSettings(v, env, `${at}.${i}`, problems));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, expandSettings(v, env, at ? `${at}.${k}` : k, problems)]),
    );
  }
  return value;
}

/**
 * Reads a `.json`, `.yaml` or `.yml` channel config, fills in `${SETTING}`s, and validates it; every problem is
 * reported at once.
 */
export function readChannelConfig(file: string, env: NodeJS.ProcessEnv = withDotEnv(process.env)): ChannelConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ChannelConfigError(file, [
      `cannot read the file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    ]);
  }
  let data: unknown;
  try {
    data = /\.ya?ml$/i.test(path.extname(file)) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new ChannelConfigError(file, [
      `cannot parse it as ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}: ${(error as Error).message.split('\n')[0]}`,
    ]);
  }
  const unset: string[] = [];
  const expanded = expandSettings(data, env, '', unset);
  if (unset.length) throw new ChannelConfigError(file, unset);
  const parsed = channelConfigSchema.safeParse(expanded);
  if (!parsed.success) throw new ChannelConfigError(file, parsed.error.issues.map(formatIssue));
  return parsed.data;
}

/** The config file's names → HubSpot's `PublicChannelIntegrationChannelCreate`. */
export function toChannelDefinition(config: ChannelConfig): ChannelDefinition {
  return {
    name: config.name,
    ...(config.description ? { channelDescription: config.description } : {}),
    ...(config.logoUrl ? { channelLogoUrl: config.logoUrl } : {}),
    webhookUrl: config.webhookUrl,
    channelAccountConnectionRedirectUrl: config.channelAccountConnectionRedirectUrl,
    capabilities: config.capabilities,
  };
}
