import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { createApp } from '../../packages/bridge/src/api/app.js';
import { adminOpenApi } from '../../packages/bridge/src/api/openapi/admin.js';
import { createLogger } from '../../packages/bridge/src/logger.js';
import { addFault } from '../../packages/sandbox/src/hubspot/faults.js';
import { listen, startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { messageCreated, signedGenericRequest } from '../helpers/generic-sender.js';
import { waitFor } from '../helpers/temporal.js';

const TOKEN = 'admin-token-for-tests-0123456789';

// Every answer is checked against the schema the OpenAPI document promises.
const ajv = new Ajv2020({ strict: false, allErrors: true });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
ajv.addSchema(JSON.parse(JSON.stringify(adminOpenApi)) as object, 'openapi.json');
function conforms(schema: string, body: unknown): void {
  const validate = ajv.getSchema(`openapi.json#/components/schemas/${schema}`)!;
  assert.ok(validate(body), `${schema}: ${ajv.errorsText(validate.errors)}`);
}

/** The admin API against the whole bridge (sandbox HubSpot, real Temporal, worker). */
describe('admin API /admin/messages', () => {
  let bridge: TestBridge;
  let admin: { url: string; close: () => Promise<void> };
  let disabled: { url: string; close: () => Promise<void> };

  const adminApp = async (adminToken?: string) => {
    const app = createApp({
      store: bridge.store,
      temporal: bridge.client,
      taskQueue: bridge.taskQueue,
      logger: createLogger('test-admin', 'silent'),
      maxBodyBytes: 65536,
      checkTemporal: async () => undefined,
      adminToken,
      inspect: { namespace: 'default', uiUrl: 'http://ui.test:8233' },
    });
    const { server, url } = await listen(app);
    return { url, close: () => new Promise<void>((r) => server.close(() => r())) };
  };
  const get = (path: string, token: string | undefined = TOKEN) =>
    fetch(`${admin.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const post = (path: string) =>
    fetch(`${admin.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
  const send = async (payload: ReturnType<typeof messageCreated>) => {
    const request = signedGenericRequest(bridge.signingSecret, payload);
    const res = await fetch(`${bridge.apiUrl}/webhooks/generic/${bridge.account.accountId}`, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
    });
    assert.equal(res.status, 200);
    return `inbound:${bridge.account.accountId}:${payload.data.messageId}`;
  };
  const publishPath = () => `/custom-channels/${bridge.sandbox.channelId}/messages`;

  before(async () => {
    bridge = await startTestBridge();
    admin = await adminApp(TOKEN);
    disabled = await adminApp(undefined);
  });
  after(async () => {
    await admin.close();
    await disabled.close();
    await bridge.stop();
  });

  it('answers 503 "admin API disabled" when no admin token is configured', async () => {
    const res = await fetch(`${disabled.url}/admin/messages`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(res.status, 503);
    assert.match(((await res.json()) as { error: string }).error, /admin API disabled/);
  });

  it('refuses a missing or wrong token with 401 and a reason', async () => {
    const missing = await get('/admin/messages', '');
    assert.equal(missing.status, 401);
    assert.match(((await missing.json()) as { error: string }).error, /admin token missing/);
    const wrong = await get('/admin/messages/anything', 'not-the-token');
    assert.equal(wrong.status, 401);
    assert.match(((await wrong.json()) as { error: string }).error, /admin token is wrong/);
    assert.equal((await fetch(`${admin.url}/admin/messages/x/retry`, { method: 'POST' })).status, 401);
  });

  it('shows a published message by workflow id, HubSpot message id and provider message id, with its timeline', async () => {
    const payload = messageCreated({ threadKey: 'admin-show' });
    const workflowId = await send(payload);
    const result = (await bridge.client.workflow.getHandle(workflowId).result()) as { hubspotMessageId: string };
    for (const id of [workflowId, result.hubspotMessageId, payload.data.messageId]) {
      const res = await waitFor(
        async () => {
          const r = await get(`/admin/messages/${encodeURIComponent(id)}`);
          return r.status === 200 ? r : undefined;
        },
        20_000,
        `show ${id}`,
      );
      const report = (await res.json()) as {
        workflowId: string;
        status: string;
        executionStatus: string;
        uiUrl: string;
        timeline: { kind: string; name: string; outcome?: string; attempts?: number; durationMs?: number }[];
      };
      conforms('MessageReport', report);
      assert.equal(report.workflowId, workflowId, `resolved from ${id}`);
      assert.equal(report.status, 'PUBLISHED');
      assert.equal(report.executionStatus, 'COMPLETED');
      assert.match(
        report.uiUrl,
        new RegExp(`^http://ui\\.test:8233/namespaces/default/workflows/${encodeURIComponent(workflowId)}/`),
      );
      const publish = report.timeline.find((e) => e.kind === 'activity' && e.name === 'publishInboundInOneStep');
      assert.equal(publish?.outcome, 'completed');
      assert.equal(publish?.attempts, 1);
      assert.ok(typeof publish?.durationMs === 'number');
      assert.deepEqual(
        report.timeline.filter((e) => e.kind === 'status').map((e) => e.name),
        ['PUBLISHED'],
      );
      assert.equal(report.timeline.at(-1)?.outcome, 'completed');
    }
  });

  it('answers 404 with a readable reason for an unknown id', async () => {
    const res = await get('/admin/messages/no-such-message-anywhere');
    assert.equal(res.status, 404);
    assert.match(((await res.json()) as { error: string }).error, /no message found for "no-such-message-anywhere"/);
  });

  it('lists by account, conversation and status, and refuses bad filters with 400', async () => {
    const payload = messageCreated({ threadKey: 'admin-list' });
    const workflowId = await send(payload);
    await bridge.client.workflow.getHandle(workflowId).result();
    const conversation = `${bridge.account.accountId}:admin-list`;
    const listed = await waitFor(
      async () => {
        const res = await get(
          `/admin/messages?account=${bridge.account.accountId}&conversation=${encodeURIComponent(conversation)}&status=published&since=1h`,
        );
        const body = (await res.json()) as { messages: { workflowId: string; status: string }[] };
        return body.messages.length > 0 ? body.messages : undefined;
      },
      20_000,
      'the message in the list',
    );
    assert.deepEqual(
      listed.map((m) => [m.workflowId, m.status]),
      [[workflowId, 'PUBLISHED']],
    );
    for (const message of listed) conforms('MessageSummary', message);
    const none = (await (
      await get(`/admin/messages?conversation=${encodeURIComponent(conversation)}&status=FAILED`)
    ).json()) as { messages: unknown[] };
    assert.deepEqual(none.messages, []);
    for (const [query, reason] of [
      ['status=LOST', /status must be one of/],
      ['since=yesterday', /since must be an ISO time/],
      ['limit=0', /limit must be a whole number/],
      ['account=a"b', /account must be non-empty and contain no quotes/],
      ['since=1h&until=2h', /since must be before until/],
    ] as const) {
      const res = await get(`/admin/messages?${query}`);
      assert.equal(res.status, 400, query);
      assert.match(((await res.json()) as { error: string }).error, reason);
    }
  });

  it('shows a step that is still retrying with its attempt number and last error', async () => {
    addFault(bridge.sandboxState, {
      kind: 'status',
      status: 503,
      pathContains: publishPath(),
      method: 'POST',
      count: 3,
    });
    const workflowId = await send(messageCreated({ threadKey: 'admin-retrying' }));
    const retrying = await waitFor(
      async () => {
        const report = (await (await get(`/admin/messages/${encodeURIComponent(workflowId)}`)).json()) as {
          executionStatus: string;
          timeline: { name: string; outcome?: string; attempts?: number; errors: string[] }[];
        };
        const publish = report.timeline.find((e) => e.name === 'publishInboundMessage');
        return report.executionStatus === 'RUNNING' &&
          publish?.outcome === 'running' &&
          (publish.attempts ?? 0) >= 2 &&
          publish.errors.length > 0
          ? publish
          : undefined;
      },
      30_000,
      'publish shown as retrying',
    );
    assert.match(retrying.errors.at(-1)!, /^attempt \d+: .*503.*Transient|^attempt \d+: .*Transient/);
    await bridge.client.workflow.getHandle(workflowId).result();
  });

  it('shows each failed attempt, then retries the failed step under the same id, publishing exactly once', async () => {
    // The first 503 ends the one step; the durable publish then meets the second, and the 400.
    addFault(bridge.sandboxState, {
      kind: 'status',
      status: 503,
      pathContains: publishPath(),
      method: 'POST',
      count: 2,
    });
    addFault(bridge.sandboxState, {
      kind: 'status',
      status: 400,
      pathContains: publishPath(),
      method: 'POST',
      count: 1,
    });
    const workflowId = await send(messageCreated({ threadKey: 'admin-retry' }));
    await assert.rejects(bridge.client.workflow.getHandle(workflowId).result());

    const failed = (await (await get(`/admin/messages/${encodeURIComponent(workflowId)}`)).json()) as {
      status: string;
      executionStatus: string;
      timeline: { name: string; outcome?: string; attempts?: number; errors: string[] }[];
    };
    conforms('MessageReport', failed);
    assert.equal(failed.status, 'FAILED');
    assert.equal(failed.executionStatus, 'FAILED');
    const publish = failed.timeline.find((e) => e.name === 'publishInboundMessage')!;
    assert.equal(publish.outcome, 'failed');
    assert.equal(publish.attempts, 2);
    assert.match(publish.errors[0]!, /^attempt 1: .*Transient/);
    assert.match(publish.errors[1]!, /^attempt 2: .*HubSpotRejected/);

    const retry = await post(`/admin/messages/${encodeURIComponent(workflowId)}/retry`);
    assert.equal(retry.status, 202);
    const result = (await retry.json()) as {
      workflowId: string;
      fromStep: string;
      runId: string;
      previousRunId: string;
    };
    conforms('RetryResult', result);
    assert.equal(result.workflowId, workflowId);
    assert.equal(result.fromStep, 'publishInboundMessage');
    assert.notEqual(result.runId, result.previousRunId);
    const published = (await bridge.client.workflow.getHandle(workflowId, result.runId).result()) as {
      hubspotMessageId: string;
    };
    assert.equal(bridge.sandboxState.messages.get(published.hubspotMessageId)?.integrationIdempotencyId, workflowId);
    assert.equal(
      [...bridge.sandboxState.messages.values()].filter((m) => m.integrationIdempotencyId === workflowId).length,
      1,
    );

    const again = await post(`/admin/messages/${encodeURIComponent(workflowId)}/retry`);
    assert.equal(again.status, 409);
    assert.match(((await again.json()) as { error: string }).error, /is COMPLETED, not failed: nothing to retry/);
  });
});
