import { describeIdle } from '../observe/idle.js';
import type { BenchResults } from '../results.js';
import { NAMES } from './charts.js';
import { ms, table } from './format.js';
import { shapesTable, workflowShapes } from './shapes.js';
import { engineCpu } from './targets.js';

/** "Workflow shapes": the engine baseline, one local activity and the bridge, measured in this run. */
export function shapesSection(r: BenchResults): string {
  const p = r.profile;
  const rows = workflowShapes(p.cpuPerMessage, r.throughput, {
    bare: p.bareHistory,
    bareLocal: p.localHistory,
    bridge: p.inboundHistory,
  });
  const latency = r.latency
    ? `

With every HubSpot call held ${r.latency.hubspotLatencyMs} ms (the latency pass, its own system; no histories counted there,
they do not change with latency):

${shapesTable(workflowShapes(r.latency.cpuPerMessage, r.latency.throughput))}`
    : '';
  return `## Workflow shapes

What one message costs the engine in each shape, all measured in this run on the same Temporal dev server: history
events per workflow (\`fetchHistory\`), CPU ms per workflow of the Temporal server and of the worker at
${r.plan.profile.ratePerSecond} messages/s (a rate all of them keep up with; from \`/proc\`, idle use subtracted), and the highest
sustained rate of scenario 3's ladder. In brackets, each figure over the engine baseline's. The one-local-activity
shape is the engine baseline's workflow with its no-op run as a local activity (\`/webhook?localActivity=1\`), so the
whole workflow completes in one workflow task.

${shapesTable(rows)}${latency}
`;
}

/** Whether each scenario started from a drained, idle system, and how long it took to get there. */
export function idleSection(r: BenchResults): string {
  const checks = [...(r.idle ?? []), ...(r.latency?.idle ?? [])];
  if (checks.length === 0) return '';
  return `## Starting state of each scenario

Before each scenario and each ladder target the bench waits (up to ${r.plan.idleTimeoutMs / 1000} s) until the system is drained and
idle, and checks it: no workflow Running in the namespace (visibility's count), no task pending on the bridge's or the
engine baseline's task queues (\`DescribeTaskQueue\` with stats, workflow and activity tasks), and no unexpired catch-up
hold in the bridge's store (\`catch_up_holds\`). A reply's workflow waits for read receipts after \`SENT\`; the bench's
bridges wait 5 s (\`OUTBOUND_RECEIPT_WAIT_SECONDS\`) instead of a week, so replies do not stay open. A scenario that
starts without being drained runs anyway; its row says what was still open.

${table(
  ['before', 'drained', 'state'],
  checks.map((c) => [c.label, c.drained ? 'yes' : '**no**', describeIdle(c)]),
)}
`;
}

/** The latency pass: the ladder, CPU per message and the outbound scenario again with HubSpot's latency set. */
export function latencySection(r: BenchResults): string {
  const l = r.latency;
  if (!l) return '';
  const main = (name: 'bridge' | 'bare' | 'bareLocal') => r.throughput.find((t) => t.target === name)?.maxSustained;
  const pass = (name: 'bridge' | 'bare' | 'bareLocal') => l.throughput.find((t) => t.target === name)?.maxSustained;
  const plan = r.plan.latencyPass;
  return `## With ${l.hubspotLatencyMs} ms HubSpot latency

A third system whose HubSpot sandbox holds every call ${l.hubspotLatencyMs} ms, as over the internet; on it the profile's CPU per
message (${plan?.profile.ratePerSecond ?? '?'} messages/s for ${(plan?.profile.durationMs ?? 0) / 1000} s), the outbound scenario and the ladder
(${(plan?.durationMs ?? 0) / 1000} s steps) run again for the bridge, the engine baseline and the one-local-activity shape. The engine's shapes make
no HubSpot call, so their figures should match the main run's; the bridge's show what waiting on HubSpot costs.

${table(
  ['figure', 'main run', `${l.hubspotLatencyMs} ms latency`],
  [
    ...(['bridge', 'bare', 'bareLocal'] as const).map((t) => [
      `${NAMES[t]}: highest sustained rate (msg/s)`,
      main(t),
      pass(t),
    ]),
    ...(['bridge', 'bare', 'bareLocal'] as const).map((t) => [
      `${NAMES[t]}: server + worker CPU ms per message`,
      engineCpu(r.profile.cpuPerMessage, t),
      engineCpu(l.cpuPerMessage, t),
    ]),
    [
      'bridge: HubSpot calls per message (steady)',
      r.profile.hubspotCallsPerMessage?.perMessage,
      l.hubspotCallsPerMessage?.perMessage,
    ],
    ...l.outbound.flatMap((o) => {
      const same = r.outbound.find((x) => x.ratePerSecond === o.ratePerSecond);
      return [
        [`reply → customer p50 / p99 at ${o.ratePerSecond}/s (ms)`, pair(same?.delivery), pair(o.delivery)],
        [
          `delivery → SENT p50 at ${o.ratePerSecond}/s (ms)`,
          ms(same?.deliveryToSent, 'p50'),
          ms(o.deliveryToSent, 'p50'),
        ],
      ];
    }),
  ],
)}

The ladder's steps of the latency pass:

${table(
  ['target', 'rate/s', 'kept up', 'published', 'e2e p50 ms', 'e2e p99 ms', 'ack p99 ms'],
  l.throughput.flatMap((t) =>
    t.steps.map((x) => [
      NAMES[t.target],
      x.ratePerSecond,
      `${Math.round(x.keptUp * 100)} %`,
      `${x.done}/${x.sent}`,
      ms(x.e2e, 'p50'),
      ms(x.e2e, 'p99'),
      ms(x.ack, 'p99'),
    ]),
  ),
)}
`;
}

const pair = (s: { p50: number; p99: number } | undefined) => (s ? `${s.p50} / ${s.p99}` : undefined);
