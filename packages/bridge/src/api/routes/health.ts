import { Router } from 'express';

export interface ReadinessCheck {
  readonly name: string;
  readonly check: () => Promise<void>;
}

const CHECK_TIMEOUT_MS = 2000;

function withTimeout(promise: Promise<void>): Promise<void> {
  return Promise.race([
    promise,
    new Promise<void>((_, reject) => setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS).unref()),
  ]);
}

/** `/healthz` answers while the process lives; `/readyz` answers 503 while a dependency is unreachable. */
export function healthRouter(checks: readonly ReadinessCheck[]): Router {
  const router = Router();
  router.get('/healthz', function healthz(_req, res) {
    res.json({ ok: true });
  });
  router.get('/readyz', async function readyz(_req, res) {
    const results = await Promise.all(
      checks.map(async ({ name, check }) => {
        try {
          await withTimeout(check());
          return { name, ok: true };
        } catch (error) {
          return { name, ok: false, error: error instanceof Error ? error.message : String(error) };
        }
      }),
    );
    const ready = results.every((r) => r.ok);
    res.status(ready ? 200 : 503).json({ ok: ready, checks: results });
  });
  return router;
}
