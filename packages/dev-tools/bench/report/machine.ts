import { execFileSync } from 'node:child_process';
import os from 'node:os';

export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGb: number;
  readonly os: string;
  readonly node: string;
  readonly temporal: string;
  /** 1-minute load average when the run started and ended: other work on the machine skews every figure. */
  readonly loadAverage: { start: number; end?: number };
}

export function describeMachine(temporalCli: string): MachineInfo {
  let temporal = 'unknown';
  try {
    temporal = execFileSync(temporalCli, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    // keep 'unknown'
  }
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    node: process.version,
    temporal,
    loadAverage: { start: Math.round(os.loadavg()[0]! * 100) / 100 },
  };
}

export const loadNow = () => Math.round(os.loadavg()[0]! * 100) / 100;
