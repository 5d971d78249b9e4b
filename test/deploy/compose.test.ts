import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { ALL_SEARCH_ATTRIBUTE_KEYS } from '../../packages/bridge/src/domain/search-attributes.js';
import { temporalAddress } from '../helpers/temporal.js';
import { ROOT } from './built-app.js';
import { composeConfig, findComposeCli, type ComposeCli } from './compose-cli.js';

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  entrypoint?: string[];
  env_file?: (string | { path: string; required?: boolean })[];
  environment?: Record<string, string | null>;
  ports?: (string | { published?: string | number; target?: number; host_ip?: string })[];
  expose?: string[];
  healthcheck?: { test?: string[] };
  restart?: string;
  volumes?: (string | { target: string })[];
  container_name?: string;
  profiles?: string[];
}
interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const BRIDGE = ['api', 'worker'];
const COMPOSE_TEXT = fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
/** The file as written, YAML merge keys (`<<: *bridge`) applied. */
const compose = parse(COMPOSE_TEXT, { merge: true }) as ComposeFile;
const NAMESPACE_SCRIPT = path.join(ROOT, 'deploy/temporal/setup-namespace.sh');
const CADDYFILE = fs.readFileSync(path.join(ROOT, 'deploy/Caddyfile'), 'utf8');

/** "host_ip:published:target[/proto]" or the rendered long form → what the host publishes. */
function published(port: NonNullable<Service['ports']>[number]): { hostIp: string; published: string } {
  if (typeof port !== 'string') return { hostIp: port.host_ip ?? '', published: String(port.published ?? '') };
  const parts = port.split('/')[0]!.split(':');
  return parts.length === 3
    ? { hostIp: parts[0]!, published: parts[1]! }
    : { hostIp: '', published: parts.length === 2 ? parts[0]! : '' };
}

/** Long-running services (not the one-shot jobs, which restart only on failure or never, and exit 0). */
const longRunning = (services: Record<string, Service>) =>
  Object.entries(services).filter(([, s]) => !s.restart?.startsWith('on-failure') && s.restart !== 'no');

function checkTopology(services: Record<string, Service>, where: string) {
  for (const [name, service] of Object.entries(services)) {
    assert.doesNotMatch(service.image ?? '', /auto-setup/, `${where}: ${name} runs the deprecated auto-setup image`);
    for (const port of service.ports ?? []) {
      const { hostIp, published: p } = published(port);
      if (name === 'caddy') continue;
      assert.ok(!['80', '443'].includes(p), `${where}: ${name} publishes ${p}; only caddy does`);
      assert.ok(hostIp === '127.0.0.1', `${where}: ${name} publishes ${p} beyond the host's loopback`);
    }
  }
  const caddyPorts = (services.caddy?.ports ?? []).map((p) => published(p));
  for (const port of ['80', '443'])
    assert.ok(
      caddyPorts.some((p) => p.published === port && p.hostIp === ''),
      `${where}: caddy publishes ${port}`,
    );
  for (const name of BRIDGE) {
    assert.ok(services[name], `${where}: the ${name} service`);
    assert.deepEqual(
      services[name]!.ports ?? [],
      [],
      `${where}: ${name} publishes no port (caddy and the network reach it)`,
    );
    assert.equal(
      services[name]!.container_name,
      undefined,
      `${where}: ${name} has no fixed container name, so it scales`,
    );
  }
  for (const [name, service] of longRunning(services))
    assert.ok(service.healthcheck?.test?.length, `${where}: ${name} has a health check`);
}

describe('docker-compose.yml, as written', () => {
  it('runs current Temporal images: the server, and admin-tools one-shots for the schema and the namespace', () => {
    const { services } = compose;
    assert.match(services.temporal!.image!, /^temporalio\/server:/);
    const schema = Object.entries(services).find(([, s]) => s.entrypoint?.join(' ').includes('setup-schema.sh'));
    const setup = Object.entries(services).find(([, s]) => s.entrypoint?.join(' ').includes('setup-namespace.sh'));
    for (const [job, found] of [
      ['schema setup', schema],
      ['namespace setup', setup],
    ] as const) {
      assert.ok(found, `a ${job} job`);
      assert.match(found[1].image!, /^temporalio\/admin-tools:/);
    }
    assert.doesNotMatch(COMPOSE_TEXT, /auto-setup|tctl/);
  });

  it('keeps Temporal on PostgreSQL and the bridge on its own PostgreSQL', () => {
    const { services } = compose;
    assert.equal(services.temporal!.environment!.DB, 'postgres12');
    assert.match(services['temporal-db']!.image!, /^postgres:/);
    assert.match(services['bridge-db']!.image!, /^postgres:/);
    assert.match(String(services.api!.environment!.BRIDGE_DATABASE_URL), /@bridge-db:5432\//);
  });

  it('passes every bridge setting from .env to the api and the worker, with no fixed Temporal address', () => {
    for (const name of BRIDGE) {
      const service = compose.services[name]!;
      const envFiles = (service.env_file ?? []).map((f) => (typeof f === 'string' ? f : f.path));
      assert.ok(envFiles.includes('.env'), `${name} reads .env`);
      assert.match(
        String(service.environment?.TEMPORAL_ADDRESS),
        /^\$\{TEMPORAL_ADDRESS(:-[^}]*)?\}$/,
        `${name}'s TEMPORAL_ADDRESS comes from the environment`,
      );
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (
          /^(TEMPORAL_(ADDRESS|NAMESPACE|API_KEY|TLS|UI_URL)|HUBSPOT_|BRIDGE_(ENCRYPTION|ADMIN|PUBLIC|DATABASE))/.test(
            key,
          )
        )
          assert.match(String(value), /^\$\{/, `${name}: ${key} is interpolated, not fixed`);
      }
    }
    assert.deepEqual(compose.services.api!.command, ['node', 'dist/server.js']);
    assert.deepEqual(compose.services.worker!.command, ['node', 'dist/worker.js']);
    assert.doesNotMatch(COMPOSE_TEXT, /\btsx\b/);
  });

  it('registers the channel first, by a one-shot service outside the normal start (profile setup) that reads .env', () => {
    const register = compose.services.register!;
    assert.deepEqual(register.profiles, ['setup'], '`docker compose up` does not start it');
    assert.deepEqual(register.command, ['channel-bridge', 'channel', 'register', '--config', 'examples/channel.json']);
    assert.equal(register.restart, 'no');
    assert.deepEqual(
      register.env_file?.map((f) => (typeof f === 'string' ? f : f.path)),
      ['.env'],
    );
    assert.equal(
      (register as { depends_on?: unknown }).depends_on,
      undefined,
      'it needs neither Temporal nor a database',
    );
    const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    assert.match(dockerfile, /^COPY examples \.\/examples$/m, 'the image holds the channel definition it registers');
    assert.doesNotMatch(fs.readFileSync(path.join(ROOT, '.dockerignore'), 'utf8'), /^examples$/m);
  });

  it('publishes 80 and 443 from caddy alone; nothing publishes the api or worker ports; every long-running service has a health check', () => {
    checkTopology(compose.services, 'as written');
    const caddyVolumes = (compose.services.caddy!.volumes ?? []).map((v) => (typeof v === 'string' ? v : v.target));
    assert.ok(
      caddyVolumes.some((v) => /^caddy-data:\/data\b/.test(v)),
      'caddy keeps its certificates in a named volume',
    );
    assert.ok(
      caddyVolumes.some((v) => v.startsWith('./deploy/Caddyfile:')),
      'caddy reads deploy/Caddyfile',
    );
    assert.ok(compose.volumes && 'caddy-data' in compose.volumes);
  });

  it('sets the namespace retention (default 30 days) and registers exactly the search attributes the code uses', () => {
    const setup = compose.services['temporal-setup']!;
    assert.match(String(setup.environment!.TEMPORAL_RETENTION), /^\$\{TEMPORAL_RETENTION:-30d\}$/);
    const script = fs.readFileSync(NAMESPACE_SCRIPT, 'utf8');
    assert.match(script, /--retention "\$retention"/);
    const listed = /attributes="([^"]+)"/.exec(script)![1]!.split(/\s+/).sort();
    assert.deepEqual(listed, ALL_SEARCH_ATTRIBUTE_KEYS.map((k) => k.name).sort());
  });

  it('serves BRIDGE_PUBLIC_URL through caddy and refuses /metrics and /admin before proxying', () => {
    assert.match(CADDYFILE, /^\{\$BRIDGE_PUBLIC_URL\} \{$/m);
    const internal = /@internal path ([^\n]+)/.exec(CADDYFILE)?.[1]?.split(/\s+/) ?? [];
    for (const p of ['/metrics', '/metrics/*', '/admin', '/admin/*'])
      assert.ok(internal.includes(p), `${p} is refused`);
    assert.ok(
      CADDYFILE.indexOf('respond @internal 404') < CADDYFILE.indexOf('reverse_proxy'),
      'refused before the proxy',
    );
    assert.match(CADDYFILE, /dynamic a \{\s*name api\s*port 3000/, 'every api replica');
  });
});

describe('docker-compose.yml, rendered by Docker Compose', () => {
  let cli: ComposeCli | string;
  let dir: string;
  before(() => {
    cli = findComposeCli();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-compose-'));
    fs.copyFileSync(path.join(ROOT, 'docker-compose.yml'), path.join(dir, 'docker-compose.yml'));
    fs.cpSync(path.join(ROOT, 'deploy'), path.join(dir, 'deploy'), { recursive: true });
  });

  it('is accepted without a .env (`compose config -q`)', (t) => {
    if (typeof cli === 'string') return t.skip(`not rendered: ${cli}`);
    t.diagnostic(`Docker Compose ${cli.version} (${cli.argv.join(' ')})`);
    const run = composeConfig(cli, dir, ['-q']);
    assert.equal(run.status, 0, run.stderr);
  });

  it('hands every .env setting to the api and the worker, TEMPORAL_ADDRESS and BRIDGE_PUBLIC_URL included', (t) => {
    if (typeof cli === 'string') return t.skip(`not rendered: ${cli}`);
    const env = {
      TEMPORAL_ADDRESS: 'bridge.a1b2c.tmprl.cloud:7233',
      TEMPORAL_NAMESPACE: 'bridge.a1b2c',
      TEMPORAL_API_KEY: 'key-from-env-file',
      BRIDGE_PUBLIC_URL: 'https://bridge.example.com',
      HUBSPOT_CHANNEL_ID: '4242',
      OUTBOUND_DELIVERY_WINDOW_HOURS: '12',
      INBOUND_NEW_THREAD_AFTER_IDLE_MINUTES: '90',
      WHATSAPP_WINDOW_MODE: 'template',
    };
    fs.writeFileSync(
      path.join(dir, '.env'),
      Object.entries(env)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n'),
    );
    try {
      const run = composeConfig(cli, dir, ['--format', 'json']);
      assert.equal(run.status, 0, run.stderr);
      const rendered = JSON.parse(run.stdout) as ComposeFile;
      for (const name of BRIDGE) {
        const environment = rendered.services[name]!.environment!;
        for (const [key, value] of Object.entries(env)) assert.equal(environment[key], value, `${name} gets ${key}`);
      }
      assert.equal(rendered.services.caddy!.environment!.BRIDGE_PUBLIC_URL, env.BRIDGE_PUBLIC_URL);
      checkTopology(rendered.services, 'rendered');
    } finally {
      fs.rmSync(path.join(dir, '.env'));
    }
  });
});

describe('deploy/temporal/setup-namespace.sh (the temporal-setup job) against a real Temporal server', () => {
  const cliPath = process.env.TEMPORAL_CLI_PATH;
  const skip = cliPath ? false : 'TEMPORAL_CLI_PATH is unset (npm test provides it)';
  const run = (namespace: string, retention: string) =>
    spawnSync('sh', [NAMESPACE_SCRIPT], {
      encoding: 'utf8',
      timeout: 180_000,
      // The admin-tools image has the CLI on PATH as `temporal`; TEMPORAL_ADDRESS is read by the CLI itself.
      env: {
        PATH: `${path.dirname(cliPath ?? '')}:${process.env.PATH}`,
        HOME: os.tmpdir(),
        TEMPORAL_ADDRESS: temporalAddress(),
        TEMPORAL_NAMESPACE: namespace,
        TEMPORAL_RETENTION: retention,
      },
    });
  const describeNamespace = (namespace: string) => {
    const out = spawnSync(
      cliPath!,
      [
        'operator',
        'namespace',
        'describe',
        '--namespace',
        namespace,
        '--address',
        temporalAddress(),
        '--output',
        'json',
      ],
      { encoding: 'utf8' },
    );
    assert.equal(out.status, 0, out.stderr);
    return JSON.parse(out.stdout) as { config: { workflowExecutionRetentionTtl: string } };
  };

  it(
    'creates the namespace with its retention and search attributes, and is safe to run again',
    { skip, timeout: 400_000 },
    () => {
      const namespace = `deploy-${randomUUID()}`;
      const first = run(namespace, '30d');
      assert.equal(first.status, 0, `${first.stdout}\n${first.stderr}`);
      assert.equal(describeNamespace(namespace).config.workflowExecutionRetentionTtl, `${30 * 86_400}s`);
      const list = spawnSync(
        cliPath!,
        ['operator', 'search-attribute', 'list', '--namespace', namespace, '--address', temporalAddress()],
        { encoding: 'utf8' },
      );
      for (const key of ALL_SEARCH_ATTRIBUTE_KEYS)
        assert.match(list.stdout, new RegExp(`\\b${key.name}\\b\\s+Keyword`), `${key.name} registered as Keyword`);

      const again = run(namespace, '45d');
      assert.equal(again.status, 0, `${again.stdout}\n${again.stderr}`);
      assert.equal(describeNamespace(namespace).config.workflowExecutionRetentionTtl, `${45 * 86_400}s`);
    },
  );
});
