import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { runOpenLoop } from '../../packages/dev-tools/bench/load/open-loop.js';

/** The load generator: a fixed rate whatever the server does, latency from when each request was due. */
describe('open-loop load generator', () => {
  let server: http.Server;
  let origin: string;
  const seen: number[] = [];
  before(async () => {
    server = http.createServer((req, res) => {
      seen.push(Date.now());
      // Every fifth request is slow; an open loop keeps sending meanwhile.
      const slow = req.url === '/slow' && seen.length % 5 === 0;
      setTimeout(
        () =>
          res
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify({ accepted: [{ workflowId: `wf-${seen.length}` }] })),
        slow ? 300 : 0,
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const make = (path: string) => (i: number) => ({
    id: `m-${i}`,
    path,
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });

  it('sends rate × duration requests, each due 1/rate after the one before, and keeps the answer key', async () => {
    const result = await runOpenLoop({ origin, ratePerSecond: 100, durationMs: 500, make: make('/fast') });
    assert.equal(result.records.length, 50);
    const dues = result.records.map((r) => r.dueAt);
    for (let i = 1; i < dues.length; i++) assert.ok(Math.abs(dues[i]! - dues[i - 1]! - 10) < 0.01);
    assert.ok(result.records.every((r) => r.status === 200 && r.workflowId?.startsWith('wf-') && r.doneAt >= r.dueAt));
  });

  it('does not wait for slow answers before sending the next request (no coordinated omission)', async () => {
    seen.length = 0;
    const result = await runOpenLoop({ origin, ratePerSecond: 50, durationMs: 1000, make: make('/slow') });
    assert.equal(result.records.length, 50);
    // 50 requests sent over about a second, though ten answers took 300 ms each: a closed loop would need 3 s or more.
    const sent = result.records.map((r) => r.sentAt);
    assert.ok(
      Math.max(...sent) - Math.min(...sent) < 2500,
      `the last request went out ${Math.max(...sent) - Math.min(...sent)} ms after the first`,
    );
    assert.equal(seen.length, 50);
    // Latency counts from when a request was due, so each slow answer shows in full (a busy machine may add others).
    // Node's timers count from the loop's cached clock, so a 300 ms timer may fire a few ms short of 300 ms.
    const slowAnswers = result.records.filter((r) => r.doneAt - r.dueAt >= 290).length;
    assert.ok(slowAnswers >= 10, `${slowAnswers} answers took 290 ms or more`);
  });

  it('targets loopback only', async () => {
    await assert.rejects(
      runOpenLoop({ origin: 'http://10.0.0.1:80', ratePerSecond: 1, durationMs: 1, make: make('/') }),
      /loopback only/,
    );
  });
});
