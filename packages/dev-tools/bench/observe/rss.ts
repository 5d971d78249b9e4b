import fs from 'node:fs';

/** Resident memory of a process in bytes, from /proc (0 when it is gone). */
export function rssOf(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

export interface RssSample {
  readonly at: number;
  readonly bytes: Record<string, number>;
}

/** Samples the resident memory of named processes every `everyMs` until stopped. */
export function sampleRss(pids: () => Record<string, number | undefined>, everyMs = 1000) {
  const samples: RssSample[] = [];
  const take = () =>
    samples.push({
      at: Date.now(),
      bytes: Object.fromEntries(Object.entries(pids()).map(([name, pid]) => [name, rssOf(pid)])),
    });
  take();
  const timer = setInterval(take, everyMs);
  return {
    samples,
    stop(): RssSample[] {
      clearInterval(timer);
      take();
      return samples;
    },
  };
}
