import { ApplicationFailure, Context } from '@temporalio/activity';
import { ErrorType } from '../domain/errors.js';
import type { AccountId } from '../domain/ids.js';
import type { InboundMedia } from '../domain/messages.js';
import type { HubSpotClient } from '../hubspot/client.js';
import { HubSpotApiError } from '../hubspot/errors.js';
import type { FileAttachment } from '../hubspot/types.js';
import { adapterFor } from '../providers/registry.js';
import { ProviderError, type MediaBlob } from '../providers/types.js';
import type { Store } from '../store/types.js';
import { toActivityFailure } from './hubspot-errors.js';
import type { InboundOptions, MediaPolicy } from './inbound-settings.js';
import { describeSize, FILE_USAGE_BY_KIND, fileNameFor, mediaNote, playableInInbox } from './media-notes.js';
import { checkedType, isExecutable, kindForType, peek, withExtension, type CheckedType } from './media-type.js';

/** Refs the api rewrote after staging inline bytes in the store (src/api/inline-media.ts). */
export const STAGED_REF_PREFIX = 'staged:';

export interface CarryMediaInput {
  readonly messageKey: string;
  readonly accountId: AccountId;
  /** Position in `message.media`; also the staged item number. */
  readonly index: number;
  readonly media: InboundMedia;
}

/** Either a HubSpot FILE attachment, or the note that replaces media that cannot be carried. */
export type CarriedMedia = { readonly attachment: FileAttachment } | { readonly note: string };

export interface MediaActivityDeps extends InboundOptions {
  readonly store: Store;
  readonly hubspot: HubSpotClient;
  readonly media: MediaPolicy;
}

/** `inbound:1:wamid.AB+c/=` → `inbound_1_wamid.AB_c__-0`: a folder name HubSpot accepts, unique per item. */
function itemFolder(input: CarryMediaInput): string {
  return `${input.messageKey.replace(/[^A-Za-z0-9._-]/g, '_')}-${input.index}`;
}

/** Counts bytes as they pass and stops the stream past `maxBytes`, so an undeclared size is still bounded. */
function bounded(body: ReadableStream<Uint8Array>, maxBytes: number, onOver: () => void): ReadableStream<Uint8Array> {
  let seen = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > maxBytes) {
          onOver();
          controller.error(new Error(`larger than ${maxBytes} bytes`));
          return;
        }
        controller.enqueue(chunk);
      },
    }),
  );
}

function bytesStream(bytes: Buffer): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(new Uint8Array(bytes));
      controller.close();
    },
  });
}

export function createMediaActivities(deps: MediaActivityDeps) {
  async function download(input: CarryMediaInput): Promise<MediaBlob | string> {
    const { media } = input;
    if (media.ref.startsWith(STAGED_REF_PREFIX)) {
      const staged = await deps.store.getStagedMedia(
        input.messageKey,
        Number(media.ref.slice(STAGED_REF_PREFIX.length)),
      );
      if (!staged) return 'its inline bytes were not kept when the webhook arrived';
      return {
        contentType: media.contentType ?? staged.contentType ?? 'application/octet-stream',
        sizeBytes: staged.bytes.length,
        body: bytesStream(staged.bytes),
      };
    }
    const account = await deps.store.getAccount(input.accountId);
    if (!account)
      throw ApplicationFailure.nonRetryable(`account ${input.accountId} is not connected`, ErrorType.AccountNotFound);
    const adapter = adapterFor(account, deps.providerEndpoints, deps.providerFetch);
    if (!adapter.fetchMedia) return `${account.provider} media cannot be downloaded`;
    return adapter.fetchMedia(media);
  }

  /** A provider error that retrying cannot fix becomes the note; anything else retries. */
  function downloadFailure(input: CarryMediaInput, error: unknown): { readonly note: string } {
    if (error instanceof ProviderError) {
      if (!error.retryable) return { note: mediaNote(input.media, error.reason) };
      throw ApplicationFailure.create({
        message: error.reason,
        type: ErrorType.Transient,
        nextRetryDelay: error.options.retryAfterSeconds ? `${error.options.retryAfterSeconds}s` : undefined,
      });
    }
    throw error;
  }

  /**
   * Downloads the item and checks its declared type against its first bytes (src/activities/media-type.ts):
   * what is uploaded is typed as what it is. A note when it cannot be carried.
   */
  async function downloadChecked(
    input: CarryMediaInput,
  ): Promise<{ readonly blob: MediaBlob; readonly checked: CheckedType } | { readonly note: string }> {
    const { media } = input;
    const policy = deps.media;
    let blob: MediaBlob | string;
    try {
      blob = await download(input);
    } catch (error) {
      return downloadFailure(input, error);
    }
    if (typeof blob === 'string') return { note: mediaNote(media, blob) };
    if (blob.sizeBytes !== undefined && blob.sizeBytes > policy.maxBytes) {
      await blob.body.cancel();
      return {
        note: mediaNote(
          media,
          `it is ${describeSize(blob.sizeBytes)}, and the limit is ${describeSize(policy.maxBytes)}`,
        ),
      };
    }
    let checked: CheckedType;
    let body: ReadableStream<Uint8Array>;
    try {
      const peeked = await peek(blob.body);
      body = peeked.body;
      checked = await checkedType(blob.contentType, peeked.head);
    } catch (error) {
      // A download that fails mid-stream reaches us as fetch's error, with the provider's as its cause.
      return downloadFailure(
        input,
        error instanceof ProviderError ? error : ((error as { cause?: unknown }).cause ?? error),
      );
    }
    const type = checked.contentType.split(';')[0]!.trim().toLowerCase();
    if (isExecutable(type) || policy.refusedContentTypes.includes(type)) {
      await body.cancel();
      const what = checked.changed
        ? `it is ${type}, though it was sent as ${blob.contentType}; files of that type`
        : `files of type ${type}`;
      return { note: mediaNote(media, `${what} are not accepted by HubSpot`) };
    }
    return { blob: { ...blob, body }, checked };
  }

  return {
    /**
     * Downloads one media item from the provider and streams it into HubSpot Files (PRIVATE),
     * heartbeating with the bytes sent. Whatever retrying cannot fix (too large, refused type, expired,
     * refused by HubSpot) comes back as a readable note instead of a failure; transient errors retry.
     */
    async carryInboundMedia(input: CarryMediaInput): Promise<CarriedMedia> {
      const { media } = input;
      const policy = deps.media;
      const contentType = (media.contentType ?? 'application/octet-stream').toLowerCase();
      if (media.sizeBytes !== undefined && media.sizeBytes > policy.maxBytes) {
        return {
          note: mediaNote(
            media,
            `it is ${describeSize(media.sizeBytes)}, and the limit is ${describeSize(policy.maxBytes)}`,
          ),
        };
      }
      if (policy.refusedContentTypes.includes(contentType.split(';')[0]!.trim())) {
        return { note: mediaNote(media, `files of type ${contentType} are not accepted by HubSpot`) };
      }
      const context = Context.current();
      const fetched = await downloadChecked(input);
      if ('note' in fetched) return fetched;
      const { blob, checked } = fetched;
      const named =
        checked.changed && checked.extension
          ? withExtension(fileNameFor(media, checked.contentType), checked.extension)
          : fileNameFor(media, blob.contentType);
      const kind = checked.changed ? kindForType(media.kind, checked.contentType) : media.kind;
      // A voice note goes in as `voice-note.ogg`, audio/ogg: the name and type the inbox plays, not a `voice.opus`
      // download.
      const { fileName, contentType: uploadType } = playableInInbox(
        { kind, filename: media.filename },
        named,
        checked.contentType,
      );

      const account = await deps.store.getAccount(input.accountId);
      if (!account)
        throw ApplicationFailure.nonRetryable(`account ${input.accountId} is not connected`, ErrorType.AccountNotFound);
      let overLimit = false;
      try {
        const uploaded = await deps.hubspot.uploadFile(account.portalId, {
          fileName,
          contentType: uploadType,
          body: bounded(blob.body, policy.maxBytes, () => (overLimit = true)),
          // One folder per message item: a retry after a lost answer finds the file the first try made.
          folderPath: `${policy.folderPath.replace('{accountId}', input.accountId)}/${itemFolder(input)}`,
          duplicateValidationStrategy: 'RETURN_EXISTING',
          onProgress: (bytesSent) => context.heartbeat({ bytesSent }),
          signal: context.cancellationSignal,
        });
        return { attachment: { type: 'FILE', fileId: String(uploaded.id), fileUsageType: FILE_USAGE_BY_KIND[kind] } };
      } catch (error) {
        if (overLimit)
          return { note: mediaNote(media, `it is larger than the limit of ${describeSize(policy.maxBytes)}`) };
        if (error instanceof HubSpotApiError && !error.retryable && error.status !== 401) {
          return {
            note: mediaNote(media, `HubSpot Files refused it (${error.body?.message ?? `HTTP ${error.status}`})`),
          };
        }
        // A download that fails mid-stream reaches us as fetch's error, with the provider's as its cause.
        const providerError = error instanceof ProviderError ? error : (error as { cause?: unknown }).cause;
        if (providerError instanceof ProviderError && !providerError.retryable)
          return { note: mediaNote(media, providerError.reason) };
        throw toActivityFailure(error);
      }
    },
  };
}
