import path from 'node:path';
import type { LocalState } from '../cli/start.js';

/** What `npm start` prints once everything answers: the pages to open first. `world`: sandbox mode only. */
export function banner(state: LocalState, stateFile: string, world?: 'new' | 'reused'): string {
  const pad = (label: string) => label.padEnd(26);
  const customerPages = state.accounts
    .filter((a) => a.customerPage)
    .map((a) => `  ${pad(`${a.provider} customer page`)}${a.customerPage}`);
  return [
    '',
    `channel-bridge is running (${state.mode} mode).`,
    '',
    'Open:',
    ...(state.urls.hubspotInbox ? [`  ${pad('HubSpot inbox (sandbox)')}${state.urls.hubspotInbox}`] : []),
    ...customerPages,
    `  ${pad('Temporal UI')}${state.urls.temporalUi}`,
    `  ${pad('Bridge api health')}${state.urls.api}/readyz`,
    '',
    ...(state.accounts.some((a) => a.provider === 'generic')
      ? ['Or send a customer message from the shell:  npm run demo -- "Hello"', '']
      : []),
    ...worldLine(world, path.dirname(stateFile)),
    `State (URLs, credentials, accounts): ${stateFile}`,
    `Logs: ${path.dirname(Object.values(state.logs)[0] ?? stateFile)}`,
    'Press Ctrl-C to stop everything.',
    '',
  ].join('\n');
}

function worldLine(world: 'new' | 'reused' | undefined, dataDir: string): string[] {
  if (world === 'reused')
    return [`Sandbox world: the one saved in ${dataDir}, as you left it (npm start -- --fresh starts a new one).`];
  if (world === 'new')
    return [`Sandbox world: new; kept in ${dataDir} for the next start (npm start -- --fresh starts over).`];
  return [];
}
