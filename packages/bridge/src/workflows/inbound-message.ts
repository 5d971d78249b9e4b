import { patched } from '@temporalio/workflow';
import type { InboundMessage } from '../domain/messages.js';
import {
  carryInboundMessage,
  type InboundMessageResult,
  type InboundShape,
  type InboundWorkflowOptions,
} from './inbound-carry.js';

export type { InboundMessageResult, InboundResume, InboundWorkflowOptions } from './inbound-carry.js';

/** Runs that began before the one sequencer wait in the old turns and the api's global catch-up hold. */
const CONVERSATION_SEQUENCER = 'conversation-sequencer';

/** Versions 2 to 4: the conversation's line, and the common case in one local activity first, each with its choices. */
const sequencedOneStep =
  (shape: Pick<InboundShape, 'publishedByCompletion' | 'oneStepAfterWait'>) =>
  (message: InboundMessage, options: InboundWorkflowOptions = {}): Promise<InboundMessageResult> =>
    carryInboundMessage(message, options, { sequenced: true, oneStep: true, ...shape });

/**
 * One customer message into the HubSpot inbox (docs/INBOUND.md). The api starts this type. Version 3's shape, but a
 * message its one step finds in line waits for its wake-up and tries the one step again, instead of claiming the turn
 * and taking the durable steps (they remain for a one step that stops short of the publish).
 */
export const inboundMessageWorkflowV4 = sequencedOneStep({ publishedByCompletion: true, oneStepAfterWait: true });

/**
 * The type the api started before version 4, kept unchanged for the runs still open at the upgrade. Version 2's shape,
 * but a published run upserts no search attribute: its completion says PUBLISHED (src/domain/message-visibility.ts),
 * which saves the Temporal server a history event and a visibility write per message. FAILED and HELD are still
 * upserted.
 */
export const inboundMessageWorkflowV3 = sequencedOneStep({ publishedByCompletion: true, oneStepAfterWait: false });

/**
 * The type the api started before version 3, kept unchanged for the runs still open at the upgrade: the common case is
 * one workflow task with one local activity (the turn, the thread, the publish, the record and the hand-over), and the
 * durable steps take over wherever that stops. It calls no `patched()`: each patch costs a marker and a search
 * attribute upsert on every run, so changes to this shape come as a new workflow type, as V3 came.
 */
export const inboundMessageWorkflowV2 = sequencedOneStep({ publishedByCompletion: false, oneStepAfterWait: false });

/**
 * The type the api started before version 2: kept, unchanged in what it does, for the runs still open when the bridge
 * was upgraded (and their recorded histories, which replay against it). No new run starts as this type.
 */
export async function inboundMessageWorkflow(
  message: InboundMessage,
  options: InboundWorkflowOptions = {},
): Promise<InboundMessageResult> {
  const sequenced = options.resumed !== undefined || patched(CONVERSATION_SEQUENCER);
  return carryInboundMessage(message, options, {
    sequenced,
    oneStep: false,
    publishedByCompletion: false,
    oneStepAfterWait: false,
  });
}
