import { proxyActivities, proxyLocalActivities, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { HubSpotMessageIdKey, StatusKey } from '../../../bridge/src/domain/search-attributes.js';

/** The engine's limit: what one workflow with one activity costs, with nothing of the bridge in it. */
const { noop } = proxyActivities<{ noop(key: string): Promise<void> }>({ startToCloseTimeout: '30 seconds' });
/** The same no-op as a local activity: it runs inside the first workflow task, so the workflow needs only that one. */
const local = proxyLocalActivities<{ noop(key: string): Promise<void> }>({ startToCloseTimeout: '30 seconds' });

/**
 * `localActivity` (the "one local activity" workflow shape): the no-op runs as a local activity instead.
 * `withSearchAttributes` (the profile's variant): after the activity it upserts the two attributes the bridge's
 * inbound workflow sets when it publishes, to price the visibility writes apart from the bridge's own logic.
 */
export async function bareWorkflow(
  options: { withSearchAttributes?: boolean; localActivity?: boolean } = {},
): Promise<void> {
  await (options.localActivity ? local.noop : noop)(workflowInfo().workflowId);
  if (options.withSearchAttributes) {
    upsertSearchAttributes([
      { key: HubSpotMessageIdKey, value: '1' },
      { key: StatusKey, value: 'PUBLISHED' },
    ]);
  }
}
