import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomically } from '../../../sandbox/src/persistence.js';
import { DEMO_PROVIDERS, type DemoAccount } from './demo-seed.js';
import type { WhatsAppDemoSecrets } from './demo-accounts.js';

/**
 * What the local run seeded into the sandbox world, so the next `npm start` on the same data folder reuses it: the
 * channel, the demo accounts and the secrets the emulators and the bridge share (the bridge's store holds them
 * encrypted; the emulators need them in the clear). `<dataDir>/demo-world.json`, mode 0600.
 */
export interface DemoWorld {
  readonly channelId: string;
  readonly botToken: string;
  readonly whatsapp: WhatsAppDemoSecrets;
  /** As last started; webhook URLs and customer pages are worked out again from this run's ports. */
  readonly accounts: readonly DemoAccount[];
}

const schema = z.object({
  channelId: z.string().min(1),
  botToken: z.string().min(1),
  whatsapp: z.object({
    accessToken: z.string(),
    appSecret: z.string(),
    verifyToken: z.string(),
    phoneNumberId: z.string(),
    displayPhoneNumber: z.string(),
  }),
  accounts: z.array(
    z.object({
      provider: z.enum(DEMO_PROVIDERS),
      name: z.string(),
      channelAccountId: z.string().min(1),
      webhookUrl: z.string(),
      secret: z.string().min(1),
      customerPage: z.string().optional(),
    }),
  ),
});

/** The saved world cannot be reused; the message says why and what to do, for a person to read. */
export class UnusableWorldError extends Error {
  constructor(dataDir: string, why: string) {
    super(`the sandbox world saved in ${dataDir} cannot be reused: ${why}. Start a new one with: npm start -- --fresh`);
  }
}

export const demoWorldFile = (dataDir: string) => path.join(dataDir, 'demo-world.json');

/** The saved world, or undefined on a first start. Throws UnusableWorldError when the file is unreadable. */
export function readDemoWorld(dataDir: string): DemoWorld | undefined {
  const file = demoWorldFile(dataDir);
  if (!fs.existsSync(file)) return undefined;
  let parsed;
  try {
    parsed = schema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch (error) {
    throw new UnusableWorldError(dataDir, `${file} is not JSON (${(error as Error).message})`);
  }
  if (!parsed.success)
    throw new UnusableWorldError(
      dataDir,
      `${file} is not a saved demo world (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message})`,
    );
  return parsed.data;
}

export function saveDemoWorld(dataDir: string, world: DemoWorld): void {
  writeFileAtomically(demoWorldFile(dataDir), JSON.stringify(world, null, 2));
}
