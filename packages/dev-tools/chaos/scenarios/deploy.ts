import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowsAt, previousWorkflowVersion, workflowTypesAt } from '../../../../scripts/histories/code-at.js';
import { describeHeld, heldCount, setAccountActive, untilHeld, untilThreads } from '../accounts.js';
import type { ChaosContext, Scenario } from '../scenario.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * Why this scenario cannot run here, or undefined: it needs the git history of a clone (scripts/histories/code-at.ts).
 */
export function deployUnavailable(): string | undefined {
  const previous = previousWorkflowVersion(ROOT);
  return 'unavailable' in previous ? previous.unavailable : undefined;
}

/**
 * A rolling deploy of the working tree's workflow code over the previous version's (the code before the newest commit
 * that changed src/workflows/) in the middle of traffic, with one account turned off so its messages are held on the
 * old code: a worker on the new bundle starts beside the old one, then the old one gets SIGTERM (its activities
 * finish), and the account is turned back on. Every held message finishes on the new code (docs/UPGRADING.md). The api
 * starts the types the previous version's api started (BRIDGE_START_WORKFLOW_TYPES), as in a rolling upgrade whose
 * workers go first: an old worker has no function for a type that came with the new code.
 */
export const deploy: Scenario = {
  name: 'deploy',
  title: 'A deploy of the new workflow code mid-traffic, over messages held on the old',
  get bridgeEnv() {
    const previous = previousWorkflowVersion(ROOT);
    if ('unavailable' in previous) return undefined;
    const types = workflowTypesAt(ROOT, previous.commit);
    return { BRIDGE_START_WORKFLOW_TYPES: `${types.inbound},${types.outbound}` };
  },
  async startOn(bundlePath: string) {
    const previous = previousWorkflowVersion(ROOT);
    if ('unavailable' in previous)
      throw new Error(`no previous workflow version to deploy over: ${previous.unavailable}`);
    await bundleWorkflowsAt(ROOT, previous.commit, { bundlePath });
  },
  async inject({ world, system, traffic, bundles, note }: ChaosContext) {
    const previous = previousWorkflowVersion(ROOT);
    if (!('unavailable' in previous))
      note(
        `the worker runs the previous version: ${previous.commit.slice(0, 7)} (before ${previous.changedBy.slice(0, 7)})`,
      );
    const account = system.account('whatsapp').channelAccountId;
    await traffic.reached(0.2);
    await untilThreads(world, account);
    await setAccountActive(world, account, false);
    note(`WhatsApp account turned off; ${describeHeld(await untilHeld(world, account))} soon after`);
    await traffic.reached(0.5);
    note(`deploying with ${describeHeld(await heldCount(world, account))}`);
    // The worker reads its bundle when it starts: the new code goes where the deploy's workers load it from.
    fs.copyFileSync(bundles.current, bundles.loaded);
    await system.start('worker-1');
    note('a worker on the new code is polling beside the old one');
    await system.kill('worker', 'SIGTERM');
    note('the old worker stopped (SIGTERM): only the new code runs from here');
    await traffic.reached(0.7);
    note(`WhatsApp account turned on with ${describeHeld(await heldCount(world, account))}`);
    await setAccountActive(world, account, true);
  },
};
