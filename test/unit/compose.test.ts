/**
 * docker-compose.yml, Dockerfile and .dockerignore, checked without Docker (none runs in CI).
 * No YAML parser is installed, so the compose file is read by indentation: it is written in plain
 * block style (two-space indent, no anchors), which these helpers rely on and the first test pins.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HEALTH_PATH } from '../../api/index.ts';
import { parseConfig } from '../../schema/config.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const read = (name: string): string => readFileSync(resolve(ROOT, name), 'utf8');

const compose = read('docker-compose.yml');
const lines = compose.split('\n').filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));

const indentOf = (line: string): number => line.length - line.trimStart().length;
const stripComment = (value: string): string => value.replace(/\s+#.*$/, '').trim();
const unquote = (value: string): string => value.replace(/^(["'])(.*)\1$/, '$2');

/** The lines nested under the `key:` line found at `indent` within `within`. */
function block(within: string[], key: string, indent: number): string[] | null {
  const start = within.findIndex((l) => indentOf(l) === indent && l.trim().startsWith(`${key}:`));
  if (start < 0) return null;
  const body: string[] = [];
  for (const line of within.slice(start + 1)) {
    if (indentOf(line) <= indent) break;
    body.push(line);
  }
  return body;
}

/** The keys directly under a block whose own lines sit at `indent`. */
const keysAt = (body: string[], indent: number): string[] =>
  body.filter((l) => indentOf(l) === indent && /^[\w.-]+:/.test(l.trim())).map((l) => l.trim().split(':')[0]!);

/** `key: value` on one line directly under a block. */
function scalar(body: string[], key: string, indent: number): string | null {
  const line = body.find((l) => indentOf(l) === indent && l.trim().startsWith(`${key}:`));
  return line === undefined ? null : unquote(stripComment(line.trim().slice(key.length + 1)));
}

/** A block sequence (`- item` lines) or a one-line flow sequence (`[a, b]`) under `key`. */
function list(body: string[], key: string, indent: number): string[] {
  const inline = scalar(body, key, indent);
  if (inline !== null && inline.startsWith('[')) {
    return inline.slice(1, -1).split(',').map((s) => unquote(s.trim())).filter((s) => s !== '');
  }
  return (block(body, key, indent) ?? []).filter((l) => l.trim().startsWith('- ')).map((l) => unquote(stripComment(l.trim().slice(2))));
}

/** A mapping of one-line scalars under `key` (environment), with `${VAR:-default}` resolved to defaults. */
function mapping(body: string[], key: string, indent: number): Record<string, string> {
  const inner = block(body, key, indent) ?? [];
  return Object.fromEntries(
    inner
      .filter((l) => indentOf(l) === indent + 2)
      .map((l) => {
        const [k, ...rest] = l.trim().split(':');
        const value = unquote(stripComment(rest.join(':'))).replace(/\$\{[A-Z0-9_]+:-([^}]*)\}/g, '$1');
        return [k!, value];
      }),
  );
}

const services = block(lines, 'services', 0) ?? [];
const service = (name: string): string[] => {
  const body = block(services, name, 2);
  if (body === null) throw new Error(`docker-compose.yml has no service "${name}"`);
  return body;
};
const healthcheck = (name: string): string => (block(service(name), 'healthcheck', 4) ?? []).join('\n');
const dependsOn = (name: string): Record<string, string> => {
  const body = block(service(name), 'depends_on', 4) ?? [];
  return Object.fromEntries(keysAt(body, 6).map((dep) => [dep, scalar(block(body, dep, 6) ?? [], 'condition', 8) ?? '']));
};

describe('docker-compose.yml', () => {
  it('is plain block YAML this test can read: spaces only, no anchors or merge keys', () => {
    expect(compose).not.toMatch(/\t/);
    expect(compose).not.toMatch(/(^|\s)[&*][\w-]+(\s|$)|<<:/m);
    expect(lines.every((l) => indentOf(l) % 2 === 0)).toBe(true);
    expect(keysAt(lines, 0).sort()).toEqual(['name', 'services', 'volumes']);
  });

  it('runs Neo4j, Qdrant, Redis, a one-shot migration, the API and the worker', () => {
    expect(keysAt(services, 2).sort()).toEqual(['api', 'migrate', 'neo4j', 'qdrant', 'redis', 'worker']);
    expect(scalar(service('neo4j'), 'image', 4)).toBe('neo4j:5.26.30-community');
    expect(scalar(service('qdrant'), 'image', 4)).toBe('qdrant/qdrant:v1.19.0');
    expect(scalar(service('redis'), 'image', 4)).toBe('redis:7.4.5');
  });

  it('pins each store to the version the tests run against, or to an exact supported one', () => {
    const pom = readFileSync(resolve(import.meta.dirname, '../../scripts/neo4j-test-server/pom.xml'), 'utf8');
    const tested = /<neo4j\.version>([^<]+)<\/neo4j\.version>/.exec(pom)?.[1];
    expect(scalar(service('neo4j'), 'image', 4)).toBe(`neo4j:${tested}-community`);
    const [major, minor] = /:v(\d+)\.(\d+)\.\d+$/.exec(scalar(service('qdrant'), 'image', 4) ?? '')!.slice(1).map(Number) as [number, number];
    expect(major === 1 && minor >= 11).toBe(true);
    const client = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../node_modules/@qdrant/js-client-rest/package.json'), 'utf8')) as { version: string };
    expect(Math.abs(Number(client.version.split('.')[1]) - minor)).toBeLessThanOrEqual(1);
    expect(scalar(service('redis'), 'image', 4)).toMatch(/^redis:7\.\d+\.\d+$/);
  });

  it('publishes Browser 7474, Bolt 7687, Qdrant 6333, Redis 6379 and the API on 4000', () => {
    const ports = (name: string): string[] => list(service(name), 'ports', 4).map((p) => p.replace(/\$\{[A-Z0-9_]+:-(\d+)\}/, '$1'));
    expect(ports('neo4j')).toEqual(['7474:7474', '7687:7687']);
    expect(ports('qdrant')).toEqual(['6333:6333']);
    expect(ports('redis')).toEqual(['6379:6379']);
    expect(ports('api')).toEqual(['4000:4000']);
  });

  it('keeps every store on a declared named volume', () => {
    const declared = keysAt(block(lines, 'volumes', 0) ?? [], 2);
    const mounts = { neo4j: '/data', qdrant: '/qdrant/storage', redis: '/data' } as const;
    for (const [name, target] of Object.entries(mounts)) {
      const volumes = list(service(name), 'volumes', 4).map((v) => v.split(':'));
      const data = volumes.find(([, t]) => t === target);
      expect(data, `${name} mounts ${target}`).toBeDefined();
      expect(declared).toContain(data![0]);
    }
  });

  it('sets NEO4J_AUTH from NEO4J_PASSWORD with a documented default, and logs in with the same password', () => {
    const neo4j = mapping(service('neo4j'), 'environment', 4);
    expect(compose).toMatch(/NEO4J_AUTH: "neo4j\/\$\{NEO4J_PASSWORD:-marketgraph\}"/);
    const password = neo4j.NEO4J_AUTH!.split('/')[1]!;
    expect(password.length).toBeGreaterThanOrEqual(8); // Neo4j 5 refuses shorter initial passwords
    for (const name of ['migrate', 'api', 'worker']) {
      expect(mapping(service(name), 'environment', 4).NEO4J_PASSWORD).toBe(password);
    }
    expect(read('README.md')).toContain('`marketgraph`');
  });

  it('health-checks every long-running store the way its image allows', () => {
    expect(healthcheck('neo4j')).toMatch(/cypher-shell .*'RETURN 1'/);
    expect(healthcheck('neo4j')).toContain('$${NEO4J_AUTH#*/}'); // $$: the container's shell expands it, not compose
    // The qdrant image has no curl or wget: bash's /dev/tcp against the readiness endpoint.
    expect(healthcheck('qdrant')).toMatch(/bash.*\/dev\/tcp\/127\.0\.0\.1\/6333.*\/readyz/);
    expect(healthcheck('qdrant')).not.toMatch(/curl|wget/);
    expect(healthcheck('redis')).toMatch(/"redis-cli", "ping"/);
  });

  it('runs the API from the Dockerfile on Neo4j and Qdrant, once they are healthy and migrated', () => {
    const api = service('api');
    expect(scalar(api, 'build', 4)).toBe('.');
    const env = mapping(api, 'environment', 4);
    const config = parseConfig(env);
    expect(config.graph).toMatchObject({ adapter: 'neo4j', uri: 'bolt://neo4j:7687', user: 'neo4j', database: 'neo4j' });
    expect(config.vectors).toMatchObject({ adapter: 'qdrant', url: 'http://qdrant:6333' });
    expect(dependsOn('api')).toEqual({
      neo4j: 'service_healthy', qdrant: 'service_healthy', redis: 'service_healthy', migrate: 'service_completed_successfully',
    });
    expect(list(api, 'command', 4)).toEqual(['serve', '--host', '0.0.0.0', '--port', '4000']);
    // Its health comes from the image's HEALTHCHECK; nothing here may switch it off.
    expect(block(api, 'healthcheck', 4)).toBeNull();
  });

  it('migrates once before the API starts, with the same image and settings', () => {
    const migrate = service('migrate');
    expect(list(migrate, 'command', 4)).toEqual(['migrate']);
    expect(scalar(migrate, 'image', 4)).toBe(scalar(service('api'), 'image', 4));
    const { REDIS_URL: _queue, ...apiStores } = mapping(service('api'), 'environment', 4);
    expect(mapping(migrate, 'environment', 4)).toEqual(apiStores);
    expect(dependsOn('migrate')).toEqual({ neo4j: 'service_healthy', qdrant: 'service_healthy' });
    expect(scalar(migrate, 'restart', 4)).toBe('no');
    expect(scalar(block(migrate, 'healthcheck', 4) ?? [], 'disable', 6)).toBe('true');
  });

  it('runs the BullMQ worker by default, from the same image and settings as the api', () => {
    const worker = service('worker');
    expect(list(worker, 'profiles', 4)).toEqual([]);
    expect(list(worker, 'command', 4)).toEqual(['worker']);
    expect(scalar(worker, 'build', 4)).toBe('.');
    expect(scalar(worker, 'image', 4)).toBe(scalar(service('api'), 'image', 4));
    const env = mapping(worker, 'environment', 4);
    expect(env.REDIS_URL).toBe('redis://redis:6379');
    expect(env).toEqual(mapping(service('api'), 'environment', 4));
    expect(dependsOn('worker')).toMatchObject({ redis: 'service_healthy', migrate: 'service_completed_successfully' });
  });

  it('lets `docker compose up --wait` finish: every default service is healthy-checked or an adopted one-shot', () => {
    const byDefault = keysAt(services, 2).filter((name) => list(service(name), 'profiles', 4).length === 0);
    expect(byDefault.sort()).toEqual(['api', 'migrate', 'neo4j', 'qdrant', 'redis', 'worker']);
    const adopted = new Set(
      byDefault.flatMap((name) => Object.entries(dependsOn(name)).filter(([, c]) => c === 'service_completed_successfully').map(([d]) => d)),
    );
    for (const name of byDefault) {
      const own = block(service(name), 'healthcheck', 4);
      // A service with its own check, or built from the Dockerfile and so checked by its HEALTHCHECK.
      const checked = own === null ? scalar(service(name), 'build', 4) !== null : scalar(own, 'disable', 6) !== 'true';
      // The worker serves no HTTP: `--wait` waits for it to be running, which is its whole health.
      expect(checked || adopted.has(name) || name === 'worker', name).toBe(true);
    }
    expect([...adopted]).toEqual(['migrate']);
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const instructions = dockerfile.replace(/\\\n\s*/g, ' ').split('\n').filter((l) => /^[A-Z]+\s/.test(l));

  it('builds in two stages from Node 24 and installs production dependencies from the lockfile', () => {
    const froms = instructions.filter((l) => l.startsWith('FROM '));
    expect(froms.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/ARG NODE_IMAGE=node:24-bookworm-slim/);
    expect(instructions.some((l) => /^RUN npm ci --omit=dev\b/.test(l))).toBe(true);
    expect(instructions).toContain('COPY --from=deps /app/node_modules ./node_modules');
  });

  it('copies every runtime folder and nothing for tests or benchmarks', () => {
    const copied = instructions.filter((l) => l.startsWith('COPY ') && !l.includes('--from')).map((l) => l.split(/\s+/)[1]);
    expect(copied).toEqual(expect.arrayContaining(['schema', 'extraction', 'graph', 'pipelines', 'api', 'cli']));
    expect(copied).not.toContain('test');
    expect(copied).not.toContain('bench');
  });

  it('runs as a non-root user, checks /health, and starts `mkg serve` on all interfaces', () => {
    expect(instructions).toContain('USER node');
    const health = instructions.find((l) => l.startsWith('HEALTHCHECK '));
    expect(health).toContain(HEALTH_PATH);
    expect(instructions).toContain('ENTRYPOINT ["node", "cli/mkg.ts"]');
    expect(instructions).toContain('CMD ["serve", "--host", "0.0.0.0"]');
  });
});

describe('.dockerignore', () => {
  const patterns = read('.dockerignore').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));

  it('sends only the package files and the runtime folders, never local stores or .env', () => {
    expect(patterns[0]).toBe('*');
    const included = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
    expect(included.sort()).toEqual(['api', 'cli', 'extraction', 'graph', 'package-lock.json', 'package.json', 'pipelines', 'schema']);
    expect(patterns).toEqual(expect.arrayContaining(['**/.env', '**/*.db', '**/node_modules']));
  });
});
