/**
 * `npm run env-example`: writes `.env.example` from the settings' own list (src/config-settings.ts), so every setting
 * is
 * there with its default and meaning. test/config-env-example.test.ts fails when the committed file drifts from it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { z } from 'zod';
import { COMPOSE_SECTION, SETTINGS_SECTIONS, type Setting } from '../packages/bridge/src/config-settings.js';

const WIDTH = 118;

/** The default a schema applies, unwrapping the validations around it; undefined when it has none. */
function defaultOf(schema: z.ZodTypeAny): unknown {
  let s: z.ZodTypeAny | undefined = schema;
  while (s) {
    const def = s._def as {
      typeName?: string;
      defaultValue?: () => unknown;
      innerType?: z.ZodTypeAny;
      schema?: z.ZodTypeAny;
    };
    if (def.typeName === 'ZodDefault' && def.defaultValue) return def.defaultValue();
    s = def.innerType ?? def.schema;
  }
  return undefined;
}

/** `# ` comment lines, wrapped at word boundaries. */
function comment(text: string): string[] {
  const lines: string[] = [];
  let line = '#';
  for (const word of text.split(/\s+/)) {
    if (line.length + 1 + word.length > WIDTH && line !== '#') {
      lines.push(line);
      line = '#';
    }
    line += ` ${word}`;
  }
  return [...lines, line];
}

/** One setting: its meaning, then `NAME=` to fill in, or `# NAME=default` when the default will do. */
function settingLines(name: string, setting: Setting): string[] {
  const fallback = defaultOf(setting.schema);
  const line =
    fallback === undefined
      ? `${name}=${setting.secret ? '' : (setting.example ?? '')}`
      : `# ${name}=${String(fallback)}`;
  return [...comment(setting.doc), line];
}

export function renderEnvExample(): string {
  const header = [
    "channel-bridge's settings, every one, generated from src/config-settings.ts by `npm run env-example`: change them there.",
    'Copy this file to .env and fill it in. The api, the worker, the CLI and `npm start` read .env from the folder they run in;',
    'a variable set in the environment wins over the file. A line left empty or commented out takes the default shown. Until',
    'HUBSPOT_CLIENT_ID is set, `npm start` runs the local sandbox instead. docs/GOING_LIVE.md walks through a real portal.',
  ];
  const out = header.map((l) => `# ${l}`);
  for (const section of [...SETTINGS_SECTIONS, COMPOSE_SECTION]) {
    out.push('', ...comment(`== ${section.title}`), '');
    out.push(...Object.entries(section.settings).flatMap(([name, setting]) => settingLines(name, setting)));
  }
  return `${out.join('\n')}\n`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const file = path.resolve(import.meta.dirname, '..', '.env.example');
  fs.writeFileSync(file, renderEnvExample());
  process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
}
