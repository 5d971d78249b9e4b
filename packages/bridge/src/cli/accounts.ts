import { Command } from 'commander';
import type { AdminAccount } from '../api/routes/connect-admin.js';
import { adminApiOptions, callAdminApi, runAdminCall, type ApiOptions } from './admin-api.js';

/**
 * `channel-bridge accounts list|show`: the connected channel accounts, through the running api's admin API
 * (`GET /admin/accounts`), which answers ids, names and states only: no credential ever reaches this command.
 */

const onOff = (a: AdminAccount) => (a.authorized ? 'on' : 'off');

function formatList(accounts: readonly AdminAccount[]): string {
  if (accounts.length === 0) return 'no accounts are connected';
  const header = ['ACCOUNT', 'PROVIDER', 'PORTAL', 'ON/OFF', 'NAME'];
  const rows = accounts.map((a) => [a.accountId, a.provider, a.portalId, onOff(a), a.name]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows]
    .map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '))
    .join('\n');
}

function formatOne(a: AdminAccount): string {
  const field = (label: string, value: string | undefined) => (value ? [`${label.padEnd(20)}${value}`] : []);
  return [
    ...field('account', a.accountId),
    ...field('provider', a.provider),
    ...field('portal', a.portalId),
    ...field('channel', a.channelId),
    ...field('name', a.name),
    ...field('on/off', `${onOff(a)}${a.authorized ? '' : ' (turned off in HubSpot: its messages are held)'}`),
    ...field('speaks as', `${a.deliveryIdentifier.value} (${a.deliveryIdentifier.type})`),
    ...field('inbox', a.inboxId),
  ].join('\n');
}

const PREFIX = 'channel-bridge accounts';
const call = (options: ApiOptions, path: string) => callAdminApi(options, 'GET', path, 'accounts');

export function accountsCommand(): Command {
  const accounts = new Command('accounts').description(
    'the connected channel accounts (through the admin API; never a credential)',
  );
  adminApiOptions(accounts.command('list'))
    .description('every connected account: id, provider, portal, on or off, name')
    .action(async (options: ApiOptions) => {
      process.exitCode = await runAdminCall(
        PREFIX,
        options,
        async () => ((await call(options, '/admin/accounts')) as { accounts: AdminAccount[] }).accounts,
        formatList,
      );
    });
  adminApiOptions(accounts.command('show').argument('<accountId>', "HubSpot's channel account id, from the list"))
    .description('one account: its ids, name, on or off, and what it speaks as')
    .action(async (id: string, options: ApiOptions) => {
      process.exitCode = await runAdminCall(
        PREFIX,
        options,
        () => call(options, `/admin/accounts/${encodeURIComponent(id)}`),
        formatOne,
      );
    });
  return accounts;
}
