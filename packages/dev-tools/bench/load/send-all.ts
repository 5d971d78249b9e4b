import { Pool } from 'undici';
import type { PlannedRequest } from './open-loop.js';

export interface SendAllResult {
  /** The answer's message key per accepted request, by the request's index. */
  readonly keys: Map<number, string>;
  /** Requests still refused after every attempt, with the last answer. */
  readonly refused: { index: number; status: number; error: string }[];
  readonly retries: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Posts `count` requests, `concurrency` at a time, retrying a refused or failed one with backoff as a provider
 * would (each attempt freshly made, so signatures stay fresh). For building a backlog, where every message must
 * get in and the answer time is not what is measured. Loopback only.
 */
export async function sendAll(
  origin: string,
  count: number,
  make: (index: number) => PlannedRequest,
  concurrency = 32,
  attempts = 8,
): Promise<SendAllResult> {
  if (new URL(origin).hostname !== '127.0.0.1') throw new Error(`sendAll targets loopback only, not ${origin}`);
  const pool = new Pool(origin, { connections: concurrency, headersTimeout: 30_000, bodyTimeout: 30_000 });
  const keys = new Map<number, string>();
  const refused: SendAllResult['refused'] = [];
  let retries = 0;
  let next = 0;
  const lane = async () => {
    for (let index = next++; index < count; index = next++) {
      let last = { status: 0, error: '' };
      for (let attempt = 1; attempt <= attempts; attempt++) {
        if (attempt > 1) {
          retries += 1;
          await sleep(Math.min(5_000, 100 * 2 ** attempt));
        }
        const planned = make(index);
        try {
          const res = await pool.request({
            method: 'POST',
            path: planned.path,
            headers: planned.headers,
            body: planned.body,
          });
          const text = await res.body.text();
          if (res.statusCode >= 200 && res.statusCode < 300) {
            const key = (JSON.parse(text) as { accepted?: { workflowId?: string }[] }).accepted?.[0]?.workflowId;
            if (key) keys.set(index, key);
            last = { status: res.statusCode, error: '' };
            break;
          }
          last = { status: res.statusCode, error: text.slice(0, 200) };
          if (res.statusCode < 500 && res.statusCode !== 429 && res.statusCode !== 408) break; // would stay refused
        } catch (error) {
          last = { status: 0, error: (error as Error).message };
        }
      }
      if (!keys.has(index)) refused.push({ index, ...last });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  await pool.close();
  return { keys, refused, retries };
}
