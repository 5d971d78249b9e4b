import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { LocalState } from '../../packages/dev-tools/src/cli/start.js';
import { freshClone, newcomerEnv, runCommand, type FreshClone, type RunningCommand } from '../helpers/fresh-clone.js';
import { startEnv } from '../helpers/start-process.js';
import { waitFor } from '../helpers/temporal.js';

interface SandboxThread {
  readonly id: string;
}
interface SandboxThreadView {
  readonly messages: readonly { readonly text?: string }[];
}

const getJson = async <T>(url: string): Promise<T> => {
  const res = await fetch(url);
  assert.equal(res.status, 200, `GET ${url}`);
  return (await res.json()) as T;
};

/** The README's first command, run where a newcomer runs it: a clone with nothing beside it, no SPECS_DIR. */
describe('a fresh clone with nothing beside it', { timeout: 300_000 }, () => {
  let clone: FreshClone;
  let start: RunningCommand;
  let env: NodeJS.ProcessEnv;

  before(() => {
    clone = freshClone();
  });
  after(async () => {
    await start?.interrupt();
    clone?.remove();
  });

  it('sits alone in its folder', () => {
    assert.deepEqual(fs.readdirSync(clone.parent), ['channel-bridge']);
    assert.ok(!fs.existsSync(path.join(clone.parent, 'shared')));
  });

  it('npm start runs the whole system and prints the pages to open', { timeout: 240_000 }, async () => {
    const ports = await startEnv(path.join(clone.dir, '.data'));
    delete ports.BRIDGE_DATA_DIR; // the README's default: .data inside the clone
    env = newcomerEnv(ports);
    start = runCommand('npm start', clone.dir, env);
    await waitFor(
      () => {
        if (start.child.exitCode !== null)
          throw new Error(`npm start exited with ${start.child.exitCode}:\n${start.output()}`);
        return start.output().includes('Press Ctrl-C to stop everything.') ? true : undefined;
      },
      200_000,
      'the start banner',
    );
    assert.match(start.output(), /HubSpot inbox \(sandbox\)\s+http:\/\/127\.0\.0\.1:\d+\//);
  });

  it('answers /readyz and carries a demo message into the HubSpot sandbox inbox', { timeout: 120_000 }, async () => {
    const state = JSON.parse(fs.readFileSync(path.join(clone.dir, '.data/local.json'), 'utf8')) as LocalState;
    assert.equal((await fetch(`${state.urls.api}/readyz`)).status, 200);

    const text = `Hello from a fresh clone ${Date.now()}`;
    const demo = runCommand(`npm run demo -- "${text}"`, clone.dir, env);
    assert.equal(await demo.exited, 0, demo.output());

    const inbox = state.urls.hubspotInbox!.replace(/\/$/, '');
    const found = await waitFor(
      async () => {
        const { threads } = await getJson<{ threads: SandboxThread[] }>(`${inbox}/_sandbox/threads`);
        for (const thread of threads) {
          const view = await getJson<SandboxThreadView>(`${inbox}/_sandbox/threads/${thread.id}`);
          if (view.messages.some((m) => m.text === text)) return thread.id;
        }
        return undefined;
      },
      60_000,
      'the demo message in the sandbox inbox',
    );
    assert.ok(found);
  });
});
