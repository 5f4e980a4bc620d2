/** The `mkg` command as a user runs it: a real child process, real files, a real SQLite file. */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteVectorStore } from '../../graph/sqlite/sqlite-vector-store.ts';
import { SAMPLE_BLOCKS_DIR, SAMPLE_DIR, tempDir } from '../fixtures/paths.ts';

const MKG = resolve(import.meta.dirname, '../../cli/mkg.ts');
const run = promisify(execFile);

async function mkg(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [MKG, ...args], { env: { ...process.env, MKG_DB: '', ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('mkg', () => {
  const tmp = tempDir();
  const db = join(tmp.dir, 'cli.db');
  afterAll(() => tmp.cleanup());

  it('ingests files and prints a JSON summary with --json', async () => {
    const r = await mkg(['ingest', join(SAMPLE_BLOCKS_DIR, 'expected_blocks.json'), join(SAMPLE_BLOCKS_DIR, 'expected_token_transfers.json'),
      join(SAMPLE_DIR, 'address_labels_subset.json'), '--db', db, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.files.map((f: { kind: string }) => f.kind)).toEqual(['address-labels', 'eth-blocks', 'eth-token-transfers']);
    expect(report.write.events.added).toBe(291);
    expect(report.rejected).toBe(0);
    const again = JSON.parse((await mkg(['ingest', join(SAMPLE_BLOCKS_DIR, 'expected_token_transfers.json'), '--db', db, '--json'])).stdout);
    expect(again.added).toBe(0);
  });

  it('rejects bad records with file, line and reason, keeps the rest, and lists them with `mkg rejects`', async () => {
    const bad = join(tmp.dir, 'prices.csv');
    writeFileSync(bad, 'date,open,high,low,close,adjclose,volume\r\n2020-01-01,1,2,1,1.5,1.5,10\r\n2020-01-02,1,2,1,NaN,1,10\r\n2020-01-03,1,2,1,-4,1,10\r\n2020-01-04,1,2,1,1.6,1.6,10\r\n');
    const r = await mkg(['ingest', bad, '--db', db, '--symbol', 'TEST', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.files[0]).toMatchObject({ kind: 'ohlcv', records: 4, rejected: 2 });
    const listed = await mkg(['rejects', '--db', db, '--json']);
    const rows = JSON.parse(listed.stdout).rejects as { file: string; line: number; reason: string }[];
    expect(rows.filter((x) => x.file === bad).map((x) => x.line).sort()).toEqual([3, 4]);
    expect(rows.find((x) => x.line === 3)?.reason).toMatch(/close/i);
    const text = await mkg(['rejects', '--db', db]);
    expect(text.stdout).toContain(`${bad}:4`);
  });

  it('says what it cannot tell about a file, with the candidates tried', async () => {
    const odd = join(tmp.dir, 'notes.dat');
    writeFileSync(odd, 'just some words\n');
    const r = await mkg(['ingest', odd, '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/cannot tell what this file is/i);
    expect(r.stdout).toMatch(/tried .*eth-logs/);
  });

  it('reconciles the vectors with the graph and prints the counts', async () => {
    // A vector for an id the graph never had (the default MKG_VECTOR_DIM is 256).
    const vectors = SqliteVectorStore.open(db, { dimensions: 256 });
    await vectors.upsert([{ id: 'ent:never-written', vector: [1, ...new Array<number>(255).fill(0)], kind: 'Account' }]);
    await vectors.close();
    const r = await mkg(['reconcile-vectors', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/checked 1, retracted 0, restored 0, deleted 1\.\n$/);
    const again = await mkg(['reconcile-vectors', '--db', db]);
    expect(again.stdout).toMatch(/checked 0, retracted 0, restored 0, deleted 0\.\n$/);
  });

  it('embeds entities and non-bulk events with the offline embedder and prints the counts', async () => {
    const offline = { OPENAI_BASE_URL: '', OPENAI_API_KEY: '' };
    const r = await mkg(['embed', '--db', db], offline);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/hashing-v1-d256 \(offline hashing embedder\)/);
    const counts = /: (\d+) entities, (\d+) events, (\d+) batches\.\n$/.exec(r.stdout);
    expect(counts, r.stdout).not.toBeNull();
    expect(Number(counts![1])).toBeGreaterThan(0);
    const vectors = SqliteVectorStore.open(db, { dimensions: 256 });
    try {
      expect(await vectors.count()).toBe(Number(counts![1]) + Number(counts![2]));
    } finally {
      await vectors.close();
    }
    const again = await mkg(['embed', '--db', db], offline);
    expect(again.stdout).toContain(`: ${counts![1]} entities, ${counts![2]} events,`);
  });

  it('explains bad command lines instead of failing with a stack trace', async () => {
    const none = await mkg(['ingest', '--db', db]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/at least one file/);
    const missing = await mkg(['ingest', join(tmp.dir, 'nope.json'), '--db', db]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.json: no such file/);
    const cols = await mkg(['ingest', SAMPLE_DIR, '--label-columns', 'addr=A', '--db', db]);
    expect(cols.code).toBe(2);
    expect(cols.stderr).toMatch(/--label-columns/);
    const unknown = await mkg(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command/);
  });
});
