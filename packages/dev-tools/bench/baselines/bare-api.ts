import { Client, Connection } from '@temporalio/client';
import express from 'express';
import {
  AccountIdKey,
  ConversationKeyKey,
  DirectionKey,
  ProviderKey,
  ProviderMessageIdKey,
  StatusKey,
} from '../../../bridge/src/domain/search-attributes.js';

// Baseline (a), api side: a tiny Express endpoint that starts the bare workflow for each request and answers once
// Temporal accepted the start. No signature, no store, no conversation: the engine's cost alone. The profile's variant
// (`/webhook?searchAttributes=1`) adds the bridge's six search attributes at start and its upsert of two at the end;
// `/webhook?localActivity=1` runs the no-op as a local activity (the "one local activity, one workflow task" shape).
const client = new Client({ connection: await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! }) });
const app = express();
app.post('/webhook', express.json(), async (req, res) => {
  const id = (req.body as { data?: { messageId?: string } }).data?.messageId;
  if (!id) return void res.status(400).json({ error: 'data.messageId is required' });
  const workflowId = `bare:${id}`;
  const withSearchAttributes = req.query.searchAttributes === '1';
  const localActivity = req.query.localActivity === '1';
  try {
    await client.workflow.start('bareWorkflow', {
      workflowId,
      taskQueue: process.env.BARE_TASK_QUEUE!,
      args: [{ withSearchAttributes, localActivity }],
      ...(withSearchAttributes
        ? {
            typedSearchAttributes: [
              { key: AccountIdKey, value: 'bench' },
              { key: ConversationKeyKey, value: `bench:${id}` },
              { key: ProviderMessageIdKey, value: id },
              { key: ProviderKey, value: 'generic' },
              { key: DirectionKey, value: 'inbound' },
              { key: StatusKey, value: 'ACCEPTED' },
            ],
          }
        : {}),
    });
    res.json({ workflowId });
  } catch (error) {
    res.status(503).json({ error: (error as Error).message });
  }
});
app.listen(Number(process.env.BARE_API_PORT), '127.0.0.1', () =>
  console.log(JSON.stringify({ msg: 'bare api listening' })),
);
