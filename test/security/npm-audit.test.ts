import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

const root = path.resolve(import.meta.dirname, '../..');

interface AuditReport {
  readonly metadata?: {
    readonly vulnerabilities?: Record<'info' | 'low' | 'moderate' | 'high' | 'critical' | 'total', number>;
  };
  readonly vulnerabilities?: Record<
    string,
    { readonly severity: string; readonly via: readonly unknown[]; readonly fixAvailable: unknown }
  >;
  readonly message?: string;
  readonly statusCode?: number;
  readonly error?: { readonly summary?: string };
}

/** `npm audit --omit=dev --json`: npm exits 1 when it finds anything, so the JSON is read either way. */
async function audit(): Promise<AuditReport> {
  const run = await promisify(execFile)('npm', ['audit', '--omit=dev', '--json'], {
    cwd: root,
    maxBuffer: 32 * 1024 * 1024,
    timeout: 120_000,
  }).catch((error: { stdout?: string; stderr?: string }) => ({
    stdout: error.stdout ?? '',
    stderr: error.stderr ?? '',
  }));
  try {
    return JSON.parse(run.stdout) as AuditReport;
  } catch {
    return { message: `npm audit printed no JSON: ${run.stderr.trim().split('\n').at(-1) ?? ''}` };
  }
}

/**
 * Security check 8: no high or critical advisory in the runtime dependencies. The advisories come from
 * the registry's audit endpoint (a POST); where it cannot be reached the check cannot be made, and the
 * test says so: it fails when BRIDGE_REQUIRE_AUDIT=1, and is otherwise reported as skipped with the
 * reason, never passed (docs/SECURITY.md, check 8).
 */
describe('security: npm audit finds no high or critical advisory in runtime dependencies', { timeout: 180_000 }, () => {
  it('audits the runtime dependency tree', async (t) => {
    const report = await audit();
    const counts = report.metadata?.vulnerabilities;
    if (!counts) {
      const why = `the npm audit endpoint could not be used from this machine, so the dependencies were NOT audited: ${report.message ?? report.error?.summary ?? 'no answer'}${report.statusCode ? ` (HTTP ${report.statusCode})` : ''}`;
      if (process.env.BRIDGE_REQUIRE_AUDIT === '1') assert.fail(why);
      t.skip(why);
      return;
    }
    const serious = Object.entries(report.vulnerabilities ?? {}).filter(
      ([, v]) => v.severity === 'high' || v.severity === 'critical',
    );
    assert.deepEqual(
      serious.map(([name, v]) => `${name}: ${v.severity}`),
      [],
      `high or critical advisories: ${JSON.stringify(Object.fromEntries(serious), null, 2)}`,
    );
    assert.equal(counts.high + counts.critical, 0);
  });
});
