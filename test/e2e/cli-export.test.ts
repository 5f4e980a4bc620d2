/** `mkg export` as a user runs it: a real child process, a real SQLite file, real files out. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkg } from '../fixtures/mkg-cli.ts';
import { SAMPLE_DIR, tempDir } from '../fixtures/paths.ts';

describe('mkg export', () => {
  const tmp = tempDir();
  const db = join(tmp.dir, 'graph.db');
  beforeAll(async () => {
    const r = await mkg(['ingest', join(SAMPLE_DIR, 'address_labels_subset.json'), join(SAMPLE_DIR, 'chains.json'), '--db', db, '--no-vectors']);
    expect(r.code, r.stderr).toBe(0);
  }, 60_000);
  afterAll(() => tmp.cleanup());

  it('needs a known --format and an --out directory', async () => {
    const out = join(tmp.dir, 'never');
    const noFormat = await mkg(['export', '--db', db, '--out', out]);
    expect(noFormat.code).toBe(2);
    expect(noFormat.stderr).toMatch(/Invalid argument --format: required \(one of: neo4j-admin\)/);
    const unknown = await mkg(['export', '--format', 'csv', '--db', db, '--out', out]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown format "csv" \(one of: neo4j-admin\)/);
    const noOut = await mkg(['export', '--format', 'neo4j-admin', '--db', db]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toMatch(/Invalid argument --out: required/);
    expect(existsSync(out)).toBe(false);
  });

  it('says when the SQLite file does not exist, and does not create it', async () => {
    const missing = join(tmp.dir, 'missing.db');
    const r = await mkg(['export', '--format', 'neo4j-admin', '--out', join(tmp.dir, 'x')], { MKG_DB: missing });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Cannot read ${missing}: no such file`);
    expect(existsSync(missing)).toBe(false);
  });

  it('writes the files and the import script, and prints the rows and the commands', async () => {
    const out = join(tmp.dir, 'out');
    const r = await mkg(['export', '--format', 'neo4j-admin', '--out', out], { MKG_DB: db });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/nodes-entities\.csv\s+[\d,]+ nodes/);
    expect(r.stdout).toMatch(/relationships-facts\.csv\s+[\d,]+ relationships/);
    expect(r.stdout).toContain(`sh ${join(out, 'neo4j-admin-import.sh')}`);
    expect(r.stdout).toContain('neo4j-admin database import full neo4j --id-type=string');
    expect(r.stdout).toContain('MKG_GRAPH=neo4j');
    const script = join(out, 'neo4j-admin-import.sh');
    expect(statSync(script).mode & 0o111).not.toBe(0);
    expect(readFileSync(script, 'utf8')).toContain('--nodes=nodes-entities.csv');
  });

  it('refuses a directory that is not empty unless --force, and reports as JSON with --json', async () => {
    const out = join(tmp.dir, 'out');
    const refused = await mkg(['export', '--format', 'neo4j-admin', '--out', out, '--db', db]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/Invalid argument --out: .* is not empty .*use --force/);
    const forced = await mkg(['export', '--format', 'neo4j-admin', '--out', out, '--db', db, '--force', '--json', '--namespace', 'prod']);
    expect(forced.code, forced.stderr).toBe(0);
    const report = JSON.parse(forced.stdout);
    expect(report).toMatchObject({ dir: out, namespace: 'prod', script: join(out, 'neo4j-admin-import.sh') });
    expect(report.files.find((f: { file: string }) => f.file === 'nodes-entities.csv').rows).toBeGreaterThan(50);
    expect(report.nodes).toBe(report.files.filter((f: { kind: string }) => f.kind === 'nodes').reduce((s: number, f: { rows: number }) => s + f.rows, 0));
    expect(report.command.slice(0, 4)).toEqual(['database', 'import', 'full', 'neo4j']);
    expect(report.migrate).toContain('MKG_NEO4J_NAMESPACE=prod');
    expect(readFileSync(join(out, 'nodes-entities.csv'), 'utf8').split('\n')[1]).toMatch(/^[^,]+,Thing\u001fEntity\u001f\w+,prod,/);
  });
});
