import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { DirectionCount } from '../../packages/dev-tools/chaos/count.js';
import { mergeReliabilityDoc } from '../../packages/dev-tools/chaos/report-merge.js';
import { writeReliabilityDoc } from '../../packages/dev-tools/chaos/report.js';
import type { ScenarioResult } from '../../packages/dev-tools/chaos/scenario.js';

const count = (sent: number): DirectionCount => ({
  sent,
  published: sent,
  lost: 0,
  duplicated: 0,
  outOfOrder: 0,
  outOfOrderBySender: 0,
  arrivedOutOfOrder: 0,
  failed: 0,
  wrongStatus: 0,
  reasons: {},
  lostKeys: [],
  duplicatedByProvider: {},
  outOfOrderByProvider: {},
  outOfOrderExamples: [],
});
const result = (name: string, sent: number, event: string): ScenarioResult => ({
  name,
  title: `the ${name} scenario`,
  size: { conversations: 3, inboundPerConversation: 2, outboundPerConversation: 1, ratePerSecond: 1, settleMs: 1 },
  inbound: count(sent),
  outbound: count(sent / 2),
  events: [event],
  skipped: 0,
  trafficErrors: [],
  trafficSeconds: 1,
  settleSeconds: 1,
  startedAt: new Date(0).toISOString(),
});

describe('writing the results of some scenarios into docs/RELIABILITY.md', () => {
  it("replaces only their rows and details, keeps the others and the text around, in the scenarios' order", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'reliability-')), 'RELIABILITY.md');
    fs.writeFileSync(
      file,
      '# Reliability\n\nhand-written\n\n<!-- chaos:results:begin (written by npm run chaos) -->\n<!-- chaos:results:end -->\n\nafter\n',
    );
    writeReliabilityDoc(
      file,
      [result('baseline', 10, 'full run'), result('deploy', 20, 'old deploy')],
      new Date('2026-11-25T03:26:00Z'),
    );
    mergeReliabilityDoc(
      file,
      [result('long-hold', 40, 'held for long'), result('deploy', 30, 'new deploy')],
      new Date('2026-12-06T20:00:00Z'),
      ['baseline', 'deploy', 'long-hold'],
    );
    const doc = fs.readFileSync(file, 'utf8');
    assert.match(doc, /^# Reliability\n\nhand-written\n/);
    assert.match(doc, /\nafter\n$/);
    assert.match(doc, /Last full run: 2026-11-25 03:26 UTC/);
    assert.match(doc, /long-hold, deploy: run on their own at full size on 2026-12-06 20:00 UTC/);
    const rows = doc
      .split('\n')
      .filter((l) => /^\| [a-z-]+ \| (inbound|outbound)/.test(l))
      .map((l) => l.split(' | ').slice(0, 3).join(' ').replace('| ', ''));
    assert.deepEqual(rows, [
      'baseline inbound 10',
      'baseline outbound 5',
      'deploy inbound 30',
      'deploy outbound 15',
      'long-hold inbound 40',
      'long-hold outbound 20',
    ]);
    assert.deepEqual(doc.match(/^### [a-z-]+/gm), ['### baseline', '### deploy', '### long-hold']);
    assert.ok(doc.includes('- new deploy') && !doc.includes('- old deploy') && doc.includes('- full run'));
    assert.equal(doc.match(/\| scenario \|/g)?.length, 1);
  });
});
