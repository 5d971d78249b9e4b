import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WorkflowNotFoundError } from '@temporalio/client';
import { signedGenericRequest, messageCreated } from '../helpers/generic-sender.js';
import { startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { INBOUND_WORKFLOW_TYPE } from '../../packages/bridge/src/domain/workflow-types.js';

// No worker here: these tests look only at what the api accepts and which workflows it starts.
describe('POST /webhooks/generic/:accountId', () => {
  let bridge: TestBridge;
  before(async () => {
    bridge = await startTestBridge({ worker: false });
  });
  after(() => bridge.stop());

  const url = () => `${bridge.apiUrl}/webhooks/generic/${bridge.account.accountId}`;
  const post = (request: { body: string; headers: Record<string, string> }, target = url()) =>
    fetch(target, { method: 'POST', headers: request.headers, body: request.body });
  const workflowExists = async (messageId: string) => {
    try {
      await bridge.client.workflow.getHandle(`inbound:${bridge.account.accountId}:${messageId}`).describe();
      return true;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false;
      throw error;
    }
  };

  it('starts inbound:{accountId}:{messageId} and answers 200 once the start is durable', async () => {
    const payload = messageCreated();
    const res = await post(signedGenericRequest(bridge.signingSecret, payload));
    assert.equal(res.status, 200);
    const workflowId = `inbound:${bridge.account.accountId}:${payload.data.messageId}`;
    assert.deepEqual(await res.json(), { ok: true, accepted: [{ workflowId, duplicate: false }] });
    const description = await bridge.client.workflow.getHandle(workflowId).describe();
    assert.equal(description.type, INBOUND_WORKFLOW_TYPE);
    assert.equal(description.taskQueue, bridge.taskQueue);
  });

  it('absorbs a redelivered webhook: same workflow, reported as a duplicate', async () => {
    const payload = messageCreated();
    await post(signedGenericRequest(bridge.signingSecret, payload));
    const again = await post(signedGenericRequest(bridge.signingSecret, payload));
    assert.equal(again.status, 200);
    const body = (await again.json()) as { accepted: { duplicate: boolean }[] };
    assert.equal(body.accepted[0]?.duplicate, true);
  });

  it('acknowledges an unknown but valid event type without starting anything', async () => {
    const res = await post(signedGenericRequest(bridge.signingSecret, { type: 'conversation.typing', data: {} }));
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { ok: true, accepted: [] });
  });

  const refusals: [string, () => { body: string; headers: Record<string, string> }, number, RegExp][] = [
    [
      'a missing signature',
      () => {
        const r = signedGenericRequest(bridge.signingSecret, messageCreated({ messageId: 'no-sig' }));
        delete (r.headers as Record<string, string>)['webhook-signature'];
        return r;
      },
      401,
      /signature rejected: missing/,
    ],
    [
      'a signature by the wrong secret',
      () =>
        signedGenericRequest(
          'whsec_' + Buffer.from('wrong').toString('base64'),
          messageCreated({ messageId: 'bad-sig' }),
        ),
      401,
      /no webhook-signature matches/,
    ],
    [
      'a stale timestamp',
      () =>
        signedGenericRequest(bridge.signingSecret, messageCreated({ messageId: 'stale' }), {
          at: new Date(Date.now() - 600_000),
        }),
      401,
      /window is 300s/,
    ],
    [
      'a body that is not JSON',
      () => signedGenericRequest(bridge.signingSecret, '{"type":"message.created","data":{"messageId":"not-json"'),
      400,
      /not valid JSON/,
    ],
    [
      'a payload with a wrong type',
      () =>
        signedGenericRequest(bridge.signingSecret, {
          ...messageCreated({ messageId: 'wrong-type' }),
          data: { ...messageCreated({ messageId: 'wrong-type' }).data, sender: 'jane' },
        }),
      400,
      /sender: Expected object/,
    ],
    [
      'a body over the size limit',
      () =>
        signedGenericRequest(
          bridge.signingSecret,
          messageCreated({ messageId: 'too-big', text: 'x'.repeat(70 * 1024) }),
        ),
      413,
      /larger than the limit/,
    ],
    [
      'a non-JSON content type',
      () => ({
        ...signedGenericRequest(bridge.signingSecret, messageCreated({ messageId: 'form' })),
        headers: {
          ...signedGenericRequest(bridge.signingSecret, {}).headers,
          'content-type': 'application/x-www-form-urlencoded',
        },
      }),
      415,
      /content-type must be application\/json/,
    ],
  ];
  for (const [name, build, status, reason] of refusals) {
    it(`refuses ${name} with ${status} and a reason, and starts no workflow`, async () => {
      const request = build();
      const res = await post(request);
      assert.equal(res.status, status);
      assert.match(((await res.json()) as { error: string }).error, reason);
      const messageId = (
        JSON.parse(
          request.body.startsWith('{"type":"message.created","data":{"messageId":"not-json"') ? '{}' : request.body,
        ) as { data?: { messageId?: string } }
      ).data?.messageId;
      if (messageId) assert.equal(await workflowExists(messageId), false);
    });
  }

  it('refuses an unknown account with 404', async () => {
    const res = await post(
      signedGenericRequest(bridge.signingSecret, messageCreated()),
      `${bridge.apiUrl}/webhooks/generic/999999999`,
    );
    assert.equal(res.status, 404);
    assert.match(((await res.json()) as { error: string }).error, /no generic account 999999999/);
  });
});
