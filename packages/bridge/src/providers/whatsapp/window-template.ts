import { ProviderError, type OutboundMessage } from '../types.js';

/**
 * What a rep's reply does once WhatsApp's customer service window has closed (the customer last wrote more than
 * 24 hours ago): Meta then takes only an approved template ("Re-engagement message", 131047), see
 * https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/ and docs/OUTBOUND.md.
 */
export type WindowMode = 'fail' | 'template';

export interface WindowTemplate {
  /** An approved template's name, e.g. `support_follow_up`. */
  readonly name: string;
  /** Its language or locale code, e.g. `en_US`. */
  readonly language: string;
}

export interface WhatsAppWindowPolicy {
  /**
   * `fail` (default): the reply fails with a reason the rep can read. `template`: it goes as `template`, the text as
   * {{1}}.
   */
  readonly mode: WindowMode;
  /** Required for `template`. */
  readonly template?: WindowTemplate;
}

export const DEFAULT_WINDOW_POLICY: WhatsAppWindowPolicy = { mode: 'fail' };
export const DEFAULT_TEMPLATE_LANGUAGE = 'en_US';

/** Meta's template names: lowercase letters, digits and underscores, up to 512 characters. */
export const TEMPLATE_NAME = /^[a-z0-9_]{1,512}$/;
/** Language codes as in Meta's supported-languages list: `en`, `en_US`, `zh_HK`, `es_MX`… [INFERRED pattern] */
export const TEMPLATE_LANGUAGE = /^[a-z]{2,3}(_[A-Z]{2,3})?$/;
/** Longest body parameter the bridge puts into a template [INFERRED from the 1024-character template body]. */
export const MAX_TEMPLATE_PARAMETER_CHARS = 1024;

/** The reason the rep reads when the window has closed and no template is configured. */
export function windowClosedReason(): string {
  return (
    'the customer last wrote more than 24 hours ago; WhatsApp only lets a business start a conversation with an approved template; ' +
    'configure one with WHATSAPP_WINDOW_MODE=template and WHATSAPP_WINDOW_TEMPLATE=<template name> (see docs/OUTBOUND.md), ' +
    'or wait until the customer writes again (131047)'
  );
}

/**
 * The reply's text as a body parameter. Meta refuses parameter text with new lines, tabs or more than four
 * consecutive spaces (error 132000 family; [INFERRED] from Meta's error text "Param text cannot have new-line/tab
 * characters or more than 4 consecutive spaces"), so line breaks become " · " and runs of spaces shrink to one.
 */
export function templateParameterText(text: string): string {
  return text
    .split(/\r?\n+/)
    .map((line) => line.replace(/[\t ]+/g, ' ').trim())
    .filter(Boolean)
    .join(' · ');
}

/** The `type: template` fields of a send request: the configured template with the reply's text as {{1}}. */
export function templateFields(
  template: WindowTemplate,
  text: string,
): { type: 'template'; template: Record<string, unknown> } {
  return {
    type: 'template',
    template: {
      name: template.name,
      language: { code: template.language },
      components: [{ type: 'body', parameters: [{ type: 'text', text }] }],
    },
  };
}

/**
 * The body parameter for a part that must go as a template, or a ProviderError saying why it cannot: a file
 * (a template carries no file of the rep's choosing), an empty text, or a text too long for a template.
 */
export function templateTextFor(message: OutboundMessage): string {
  if (message.attachments.length > 0) {
    throw new ProviderError(
      'the customer last wrote more than 24 hours ago, so WhatsApp takes only a template, and a template cannot carry the files of a reply; ' +
        'send the text on its own, or wait until the customer writes again (131047)',
      { retryable: false, code: 131047 },
    );
  }
  const text = templateParameterText(message.text ?? '');
  if (!text)
    throw new ProviderError('the reply has no text to put into the template', {
      retryable: false,
      code: 'empty_message',
    });
  if (text.length > MAX_TEMPLATE_PARAMETER_CHARS) {
    throw new ProviderError(
      `the customer last wrote more than 24 hours ago, so the reply must go as a template, and its text is ${text.length} characters; ` +
        `a template takes at most ${MAX_TEMPLATE_PARAMETER_CHARS}: shorten it (131047)`,
      { retryable: false, code: 131047 },
    );
  }
  return text;
}
