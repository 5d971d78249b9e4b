import { proxyActivities, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { HubSpotMessageIdKey, StatusKey } from '../../../bridge/src/domain/search-attributes.js';

/** The engine's limit: what one workflow with one activity costs, with nothing of the bridge in it. */
const { noop } = proxyActivities<{ noop(key: string): Promise<void> }>({ startToCloseTimeout: '30 seconds' });

/**
 * `withSearchAttributes` (the profile's variant): after the activity it upserts the two attributes the bridge's
 * inbound workflow sets when it publishes, to price the visibility writes apart from the bridge's own logic.
 */
export async function bareWorkflow(options: { withSearchAttributes?: boolean } = {}): Promise<void> {
  await noop(workflowInfo().workflowId);
  if (options.withSearchAttributes) {
    upsertSearchAttributes([
      { key: HubSpotMessageIdKey, value: '1' },
      { key: StatusKey, value: 'PUBLISHED' },
    ]);
  }
}
