import { randomUUID } from 'node:crypto';
import {
  type MediaKind,
  genericMessageSchema,
  genericStatusSchema,
  INLINE_MAX_BYTES,
  type GenericAttachment,
} from '../../../bridge/src/providers/generic/published-contract.js';
import { deliverToBridge, type RetryPolicy } from './deliver.js';
import { nextSeq, type GenericSandboxState, type OutgoingDelivery } from './state.js';

export interface SandboxDeps {
  readonly fetch: typeof fetch;
  readonly retry: RetryPolicy;
}

/** What the control API and the page accept to send as the customer. */
export interface CustomerAttachmentInput {
  readonly kind: MediaKind;
  readonly contentType: string;
  readonly filename?: string;
  readonly durationSec?: number;
  readonly dataBase64: string;
  /** Send the bytes inside the webhook instead of as a URL the emulator serves. */
  readonly inline?: boolean;
}

export interface CustomerMessageInput {
  readonly threadKey?: string;
  readonly sender?: { id: string; name?: string; phone?: string; email?: string };
  readonly text?: string;
  readonly inReplyTo?: string;
  readonly attachments?: readonly CustomerAttachmentInput[];
  /** A place to share, as the contract's `location`. */
  readonly location?: {
    readonly latitude: number;
    readonly longitude: number;
    readonly name?: string;
    readonly address?: string;
  };
  /** Contact cards to share, as the contract's `contacts`. */
  readonly contacts?: readonly {
    readonly name: string;
    readonly phones?: readonly string[];
    readonly emails?: readonly string[];
  }[];
}

/** A control request the emulator cannot turn into a valid event: the caller gets a 400. */
export class SandboxInputError extends Error {}

const EXTENSIONS: Record<MediaKind, string> = {
  image: 'bin',
  audio: 'bin',
  voice: 'ogg',
  video: 'mp4',
  sticker: 'webp',
  file: 'bin',
};

function stageAttachment(
  state: GenericSandboxState,
  publicUrl: string,
  input: CustomerAttachmentInput,
): GenericAttachment {
  const data = Buffer.from(input.dataBase64, 'base64');
  const filename = input.filename ?? `${input.kind}.${EXTENSIONS[input.kind]}`;
  const base = {
    kind: input.kind,
    contentType: input.contentType,
    filename,
    sizeBytes: data.length,
    ...(input.durationSec !== undefined ? { durationSec: input.durationSec } : {}),
  };
  if (input.inline) {
    if (data.length > INLINE_MAX_BYTES)
      throw new SandboxInputError(
        `${filename} is ${data.length} bytes; inline attachments are limited to ${INLINE_MAX_BYTES}`,
      );
    return { ...base, dataBase64: input.dataBase64 };
  }
  const id = randomUUID();
  state.media.set(id, { contentType: input.contentType, filename, data });
  return { ...base, url: `${publicUrl}/_sandbox/generic/media/${id}/${encodeURIComponent(filename)}` };
}

/** Builds a `message.created` as the customer, checks it against the contract, and delivers it. */
export async function sendAsCustomer(
  state: GenericSandboxState,
  deps: SandboxDeps,
  publicUrl: string,
  input: CustomerMessageInput,
  options: { wait: boolean },
): Promise<{ messageId: string; delivery: Promise<OutgoingDelivery> }> {
  const now = new Date().toISOString();
  const data = {
    messageId: `cust-${nextSeq(state)}-${randomUUID().slice(0, 8)}`,
    threadKey: input.threadKey ?? 'customer-1',
    sender: input.sender ?? { id: 'customer-1', name: 'Sandbox Customer' },
    ...(input.text !== undefined ? { text: input.text } : {}),
    attachments: (input.attachments ?? []).map((a) => stageAttachment(state, publicUrl, a)),
    ...(input.location ? { location: input.location } : {}),
    ...(input.contacts?.length ? { contacts: input.contacts } : {}),
    ...(input.inReplyTo ? { inReplyTo: input.inReplyTo } : {}),
    sentAt: now,
  };
  const checked = genericMessageSchema.safeParse(data);
  if (!checked.success)
    throw new SandboxInputError(
      checked.error.issues.map((i) => `${i.path.join('.') || 'message'}: ${i.message}`).join('; '),
    );
  state.sent.push(checked.data);
  const delivery = deliverToBridge(
    state,
    { type: 'message.created', messageId: data.messageId, body: { type: 'message.created', timestamp: now, data } },
    deps,
  );
  if (options.wait) await delivery;
  return { messageId: data.messageId, delivery };
}

/** Tells the bridge what happened to one of its messages (a receipt). */
export async function sendStatus(
  state: GenericSandboxState,
  deps: SandboxDeps,
  input: unknown,
): Promise<OutgoingDelivery> {
  const checked = genericStatusSchema.safeParse(input);
  if (!checked.success)
    throw new SandboxInputError(
      checked.error.issues.map((i) => `${i.path.join('.') || 'status'}: ${i.message}`).join('; '),
    );
  const body = { type: 'message.status', timestamp: new Date().toISOString(), data: checked.data };
  return deliverToBridge(state, { type: 'message.status', messageId: checked.data.messageId, body }, deps);
}
