import v8 from 'node:v8';
import vm from 'node:vm';

/**
 * A full collection when the runtime lets us have one (the flag can be set at run time), so heap numbers mean
 * something.
 */
function collector(): (() => void) | undefined {
  if (typeof globalThis.gc === 'function') return globalThis.gc;
  try {
    v8.setFlagsFromString('--expose-gc');
    return vm.runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}

const MiB = 1024 * 1024;
/**
 * Generous: the api holds nothing per request once answered; a leak of even 1 KiB a case over thousands of cases shows.
 */
export const MAX_HEAP_GROWTH_MIB = 48;
export const MAX_RSS_GROWTH_MIB = 256;

/**
 * Heap and RSS at the start (after the world is up and warm) and at the end of a fuzz file, checked against the bounds.
 */
export function heapMeter() {
  const gc = collector();
  const sample = () => {
    gc?.();
    const { heapUsed, rss } = process.memoryUsage();
    return { heapUsed, rss };
  };
  let start: { heapUsed: number; rss: number } | undefined;
  let end: { heapUsed: number; rss: number } | undefined;
  return {
    /** Call once the world is warm (after the first property). */
    start() {
      start = sample();
    },
    check() {
      end = sample();
      if (!start) throw new Error('heapMeter.start() was not called');
      const heap = (end.heapUsed - start.heapUsed) / MiB;
      const rss = (end.rss - start.rss) / MiB;
      if (heap > MAX_HEAP_GROWTH_MIB)
        throw new Error(`heap grew by ${heap.toFixed(1)} MiB (bound ${MAX_HEAP_GROWTH_MIB})`);
      if (rss > MAX_RSS_GROWTH_MIB) throw new Error(`RSS grew by ${rss.toFixed(1)} MiB (bound ${MAX_RSS_GROWTH_MIB})`);
    },
    print() {
      if (!start || !end) return;
      const f = (n: number) => `${(n / MiB).toFixed(1)} MiB`;
      console.log(
        `fuzz: memory${gc ? ' (after a full gc)' : ' (no gc available)'}: heapUsed ${f(start.heapUsed)} → ${f(end.heapUsed)}, rss ${f(start.rss)} → ${f(end.rss)}`,
      );
    },
  };
}
