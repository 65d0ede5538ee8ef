import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { NGINX_BIN, NGINX_CONFIG, nginxArgs, writeNginxConfig } from '../../support/cluster';
import { freePort } from '../../support/stack';

// compose.yaml is not run here (no Docker engine): it is parsed with a real YAML parser (PyYAML,
// installed by .ci/run) and held to the topology the cluster tests run.
const root = resolve(import.meta.dirname, '..', '..', '..');

interface Service {
  build?: string;
  image?: string;
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, unknown> | string[];
  stop_grace_period?: string;
}

function parseYaml(file: string): { services: Record<string, Service>; volumes: Record<string, unknown> } {
  const json = execFileSync(
    'python3',
    ['-c', 'import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))', file],
    { encoding: 'utf8' },
  );
  return JSON.parse(json);
}

test('compose.yaml: two BFF instances on PostgreSQL behind nginx with deploy/nginx/gatehouse.conf', () => {
  const compose = parseYaml(join(root, 'compose.yaml'));
  const { bff1, bff2, postgres, nginx } = compose.services;
  expect(Object.keys(compose.services).sort()).toEqual(['bff1', 'bff2', 'nginx', 'postgres']);
  if (!bff1 || !bff2 || !postgres || !nginx) throw new Error('missing service');

  // The two instances are the same image with the same settings, on one database and one
  // attachments volume, trusting one proxy, with time to drain.
  expect(bff2).toEqual(bff1);
  expect(bff1.build).toBe('.');
  expect(existsSync(join(root, 'Dockerfile'))).toBe(true);
  const env = bff1.environment ?? {};
  expect(env.TRUST_PROXY).toBe('1');
  expect(env.DATABASE_URL).toMatch(/^postgres:\/\/[^@]+@postgres:5432\//);
  expect(env.ATTACHMENTS_DIR).toMatch(/^\/app\/data\//);
  expect(bff1.volumes).toContain('attachments:/app/data');
  expect(Object.keys(compose.volumes)).toContain('attachments');
  expect(bff1.stop_grace_period).toBe('10s');
  expect(bff1.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });

  // nginx: the tests' config file, as a template the image fills in; every placeholder has a value.
  expect(nginx.volumes).toContain(
    './deploy/nginx/gatehouse.conf:/etc/nginx/templates/default.conf.template:ro',
  );
  const placeholders = new Set(
    [...readFileSync(NGINX_CONFIG, 'utf8').matchAll(/\$\{(GATEHOUSE_[A-Z0-9_]+)\}/g)].map((m) => m[1]),
  );
  const nginxEnv = nginx.environment ?? {};
  for (const name of placeholders) expect(nginxEnv[name as string], name).toBeTruthy();
  expect(nginxEnv.NGINX_ENVSUBST_FILTER).toBe('^GATEHOUSE_');
  const upstreams = [...(nginxEnv.GATEHOUSE_UPSTREAM_SERVERS ?? '').matchAll(/server (\S+)/g)].map(
    (m) => m[1],
  );
  expect(upstreams).toEqual([`bff1:${env.PORT}`, `bff2:${env.PORT}`]);
});

test("compose.yaml's nginx values make a configuration nginx accepts", async () => {
  const nginxEnv = parseYaml(join(root, 'compose.yaml')).services.nginx?.environment ?? {};
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-nginx-t-'));
  try {
    // The service names only resolve inside compose's network: here they stand for loopback.
    const values = Object.fromEntries(
      Object.entries(nginxEnv).filter(([name]) => name.startsWith('GATEHOUSE_')),
    );
    values.GATEHOUSE_UPSTREAM_SERVERS = (values.GATEHOUSE_UPSTREAM_SERVERS ?? '').replace(
      /bff\d+:/g,
      '127.0.0.1:',
    );
    values.GATEHOUSE_LISTEN = `127.0.0.1:${await freePort()}`;
    values.GATEHOUSE_ACCESS_LOG = join(dir, 'logs', 'access.log');
    const main = writeNginxConfig(dir, values);
    const check = spawnSync(NGINX_BIN, [...nginxArgs(dir, main), '-t'], { encoding: 'utf8' });
    expect(check.status, check.stderr).toBe(0);
    expect(check.stderr).toContain('test is successful');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
