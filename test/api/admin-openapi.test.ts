import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { adminOpenApi } from '../../src/api/openapi/admin.js';
import { adminRouter } from '../../src/api/routes/admin.js';
import type { Client } from '@temporalio/client';

describe('admin API OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(JSON.parse(JSON.stringify(adminOpenApi)) as Record<string, unknown>);
    assert.deepEqual(result.errors ?? [], []);
    assert.equal(result.valid, true);
    assert.equal(validator.version, '3.1');
  });

  it('describes every admin route the router serves, and nothing it does not', () => {
    const router = adminRouter({ client: {} as Client, namespace: 'default', uiUrl: 'http://localhost:8233' });
    const served = router.stack
      .filter((layer) => layer.route && layer.route.path !== '/admin/openapi.json')
      .flatMap((layer) => Object.keys((layer.route as unknown as { methods: Record<string, boolean> }).methods).map((m) => `${m} ${layer.route!.path.replace(/:(\w+)/g, '{$1}')}`))
      .sort();
    const documented = Object.entries(adminOpenApi.paths)
      .flatMap(([path, item]) => Object.keys(item).map((m) => `${m} ${path}`))
      .sort();
    assert.deepEqual(served, documented);
  });

  it('says every operation needs the admin token and answers 401 and 503', () => {
    assert.deepEqual(adminOpenApi.security, [{ adminToken: [] }]);
    for (const item of Object.values(adminOpenApi.paths)) {
      for (const operation of Object.values(item) as { responses: Record<string, unknown> }[]) {
        assert.ok(operation.responses['401'] && operation.responses['503']);
      }
    }
  });
});
