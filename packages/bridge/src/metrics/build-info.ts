import fs from 'node:fs';
import path from 'node:path';
import { Gauge, type Registry } from 'prom-client';
import { PACKAGE_ROOT, packageVersion } from '../package-version.js';

/** What a running bridge was built from. `commit` is `unknown` where no git checkout is beside it (the image). */
export interface BuildInfo {
  readonly version: string;
  readonly nodeVersion: string;
  readonly commit: string;
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** The nearest folder at or above `from` holding a `.git`: the bridge is one package of the repository's workspace. */
function checkoutRoot(from: string): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * The checked-out commit, read from .git's files (no `git` binary needed): a detached HEAD, a loose or a packed ref.
 */
export function gitCommit(from: string = PACKAGE_ROOT): string | undefined {
  const root = checkoutRoot(from);
  if (!root) return undefined;
  const head = readText(path.join(root, '.git', 'HEAD'));
  if (!head) return undefined;
  const ref = /^ref: (.+)$/.exec(head)?.[1];
  if (!ref) return /^[0-9a-f]{40}$/.test(head) ? head : undefined;
  const loose = readText(path.join(root, '.git', ref));
  if (loose && /^[0-9a-f]{40}$/.test(loose)) return loose;
  const packed = readText(path.join(root, '.git', 'packed-refs'))
    ?.split('\n')
    .find((line) => line.endsWith(` ${ref}`));
  return packed?.slice(0, 40);
}

export function readBuildInfo(root: string = PACKAGE_ROOT): BuildInfo {
  return { version: packageVersion(root), nodeVersion: process.version, commit: gitCommit(root) ?? 'unknown' };
}

/** `channel_bridge_build_info{version,node_version,commit} 1`, the usual info-gauge shape (join on it in queries). */
export function registerBuildInfo(registry: Registry, info: BuildInfo = readBuildInfo()): void {
  const gauge = new Gauge({
    name: 'channel_bridge_build_info',
    help: 'Always 1; its labels say which bridge version, Node.js version and git commit (unknown outside a checkout) this process runs',
    labelNames: ['version', 'node_version', 'commit'] as const,
    registers: [registry],
  });
  gauge.set({ version: info.version, node_version: info.nodeVersion, commit: info.commit }, 1);
}
