/** The `mkg` command as a user runs it: a real child process, real files, a real SQLite file. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteVectorStore } from '../../graph/sqlite/sqlite-vector-store.ts';
import { MKG, mkg } from '../fixtures/mkg-cli.ts';
import { SAMPLE_BLOCKS_DIR, SAMPLE_DIR, tempDir } from '../fixtures/paths.ts';

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

  describe('documents', () => {
    const offline = { OPENAI_BASE_URL: '', OPENAI_API_KEY: '' };
    const attacker = '0x7d3a5c0e9b1f2a4468c1d2e3f405162738495a6b';
    const md = join(tmp.dir, 'notes.md');
    const jsonl = join(tmp.dir, 'notes.jsonl');
    writeFileSync(md, [
      '---', 'id: larkspur-incident', 'title: Larkspur incident notes', 'published_at: 2024-03-04', '---',
      '# Larkspur incident notes', '',
      `On 3 March 2024 the attacker ${attacker} exploited Larkspur through`,
      'a rounding error in its share price.', '',
      `The attacker ${attacker} drained 812 ETH from Larkspur in two transactions.`, '',
    ].join('\n'));
    writeFileSync(jsonl, [
      // "Larkspur" as a sender is an organisation, as a victim a protocol: resolution has a pair to join.
      JSON.stringify({ id: 'wire-1', title: 'Larkspur refunds', published_at: '2024-03-05',
        text: 'Larkspur moved 40 ETH to 0x00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee to start refunding its depositors.' }),
      JSON.stringify({ id: 'wire-2-de', title: 'Larkspur angegriffen', published_at: '2024-03-05',
        text: `Am 3. März 2024 wurde Larkspur angegriffen; der Angreifer ${attacker} erbeutete 812 ETH.` }),
      JSON.stringify({ id: 'wire-3', text: '   ' }),
      '{"id": "wire-4", "text": "cut off',
      '',
    ].join('\n'));
    const chunkVectors = async (file: string): Promise<number> => {
      const vectors = SqliteVectorStore.open(file, { dimensions: 256 });
      try {
        return await vectors.count();
      } finally {
        await vectors.close();
      }
    };

    it('reads markdown and JSONL notes into chunks, induces the schema, resolves, and rejects bad lines', async () => {
      const docs = join(tmp.dir, 'docs.db');
      const r = await mkg(['ingest', md, jsonl, '--db', docs], offline);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`${md} [documents] 1 records (1 chunks), 0 rejected`);
      expect(r.stdout).toContain(`${jsonl} [documents] 4 records (2 chunks), 2 rejected`);
      expect(r.stdout).toMatch(/, chunks 3\), updated/);
      expect(r.stdout).toContain('Text: 3 chunks read by the offline rule extractor');
      expect(r.stdout).toMatch(/^Schema induction \(offline taxonomy\): \d+ items without concepts read, [1-9]\d* concepts/m);
      expect(r.stdout).toMatch(/^Resolution: \d+ named entities compared, SAME_AS added [1-9]/m);
      expect(await chunkVectors(docs)).toBe(3);

      const listed = await mkg(['rejects', '--db', docs, '--json']);
      const rows = JSON.parse(listed.stdout).rejects as { file: string; line: number; reason: string }[];
      expect(rows.filter((x) => x.file === jsonl).map((x) => [x.line, x.reason]).sort()).toEqual([
        [3, 'empty document'],
        [4, expect.stringMatching(/^invalid JSON/)],
      ]);
      expect((await mkg(['rejects', '--db', docs])).stdout).toContain(`${jsonl}:4`);

      const again = await mkg(['ingest', md, jsonl, '--db', docs], offline);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toMatch(/^Added 0 \(nodes 0, events 0, facts 0, chunks 0\)/m);
      expect(again.stdout).toMatch(/SAME_AS added 0/);
      expect(await chunkVectors(docs)).toBe(3);

      // The vectors of chunks are the graph's: reconciling keeps every one.
      const reconciled = await mkg(['reconcile-vectors', '--db', docs]);
      expect(reconciled.code, reconciled.stderr).toBe(0);
      expect(reconciled.stdout).toMatch(/checked 3, retracted 0, restored 0, deleted 0\.\n$/);
      expect(await chunkVectors(docs)).toBe(3);
    });

    it('reports chunks, the schema step and no LLM with --json', async () => {
      const r = await mkg(['ingest', md, jsonl, '--db', join(tmp.dir, 'docs-json.db'), '--json'], offline);
      expect(r.code, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout);
      expect(report.chunks).toBe(3);
      expect(report.write.chunks.added).toBe(3);
      expect(report.llm).toBeNull();
      expect(report.schema.induction.write.nodes.added).toBeGreaterThan(0);
      expect(report.schema.resolution.byMethod.name).toBeGreaterThan(0);
    });

    it('skips induction and resolution with --no-schema and chunk vectors with --no-vectors', async () => {
      const noSchema = await mkg(['ingest', md, jsonl, '--db', join(tmp.dir, 'no-schema.db'), '--no-schema'], offline);
      expect(noSchema.code, noSchema.stderr).toBe(0);
      expect(noSchema.stdout).toContain('Text: 3 chunks');
      expect(noSchema.stdout).not.toMatch(/Schema induction|Resolution:/);
      const noVectorsDb = join(tmp.dir, 'no-vectors.db');
      const noVectors = await mkg(['ingest', md, jsonl, '--db', noVectorsDb, '--no-vectors'], offline);
      expect(noVectors.code, noVectors.stderr).toBe(0);
      expect(noVectors.stdout).toContain('Text: 3 chunks');
      expect(await chunkVectors(noVectorsDb)).toBe(0);
    });

    it('induces the schema and resolves entities as commands of their own, idempotently', async () => {
      const file = join(tmp.dir, 'schema-steps.db');
      expect((await mkg(['ingest', md, jsonl, '--db', file, '--no-schema'], offline)).code).toBe(0);
      const induced = await mkg(['induce-schema', '--db', file], offline);
      expect(induced.code, induced.stderr).toBe(0);
      expect(induced.stdout).toMatch(/^Schema induction \(offline taxonomy\): \d+ items without concepts read, [1-9]\d* concepts and [1-9]\d* INSTANCE_OF\/BROADER facts added, 0 issues in SQLite file .*schema-steps\.db\.\n$/);
      const inducedAgain = await mkg(['induce-schema', '--db', file], offline);
      expect(inducedAgain.stdout).toMatch(/ 0 concepts and 0 INSTANCE_OF\/BROADER facts added/);
      const inducedJson = JSON.parse((await mkg(['induce-schema', '--db', file, '--json'], offline)).stdout);
      expect(inducedJson).toMatchObject({ llm: null, issues: 0, write: { nodes: { added: 0 }, facts: { added: 0 } } });

      const resolved = await mkg(['resolve', '--db', file], offline);
      expect(resolved.code, resolved.stderr).toBe(0);
      expect(resolved.stdout).toMatch(/^Resolution: \d+ named entities compared, SAME_AS added 1 \(by name 1, alias 0, embedding 0\), 0 ambiguous left alone in SQLite file .*schema-steps\.db\.\n$/);
      const resolvedAgain = await mkg(['resolve', '--db', file], offline);
      expect(resolvedAgain.stdout).toMatch(/SAME_AS added 0 /);
      const resolvedJson = JSON.parse((await mkg(['resolve', '--db', file, '--json'], offline)).stdout);
      expect(resolvedJson).toMatchObject({ ambiguous: 0, write: { facts: { added: 0 } } });
      expect(resolvedJson.candidates).toBeGreaterThan(0);
    });

    it('still cannot tell what an unknown extension is, next to documents', async () => {
      const odd = join(tmp.dir, 'notes-too.dat');
      writeFileSync(odd, 'Larkspur was exploited.\n');
      const r = await mkg(['ingest', odd, '--db', join(tmp.dir, 'odd.db')], offline);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/cannot tell what this file is/i);
      expect(r.stdout).not.toContain('[documents]');
    });
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

describe('mkg reextract, jobs and worker', () => {
  const tmp = tempDir('mkg-cli-jobs-');
  const db = join(tmp.dir, 'jobs.db');
  const offline = { OPENAI_BASE_URL: '', OPENAI_API_KEY: '', REDIS_URL: '' };
  afterAll(() => tmp.cleanup());

  it('re-extracts a source as a job that runs in this process: a dry run, then a real one, both 0/0', async () => {
    const ingested = await mkg(['ingest', join(SAMPLE_DIR, 'eth_usd_daily_2017_2019.csv'), '--db', db, '--json'], offline);
    expect(ingested.code, ingested.stderr).toBe(0);
    const source = JSON.parse(ingested.stdout).files[0].sourceId as string;

    const dry = await mkg(['reextract', '--source', source, '--dry-run', '--db', db, '--json'], offline);
    expect(dry.code, dry.stderr).toBe(0);
    const dryJob = JSON.parse(dry.stdout);
    expect(dryJob).toMatchObject({ kind: 'reextract', status: 'completed', counts: { added: 0, retracted: 0, rejected: 0 }, input: { source, dryRun: true } });
    expect(dryJob.counts.unchanged).toBeGreaterThan(0);

    const real = await mkg(['reextract', '--source', source, '--db', db], offline);
    expect(real.code, real.stderr).toBe(0);
    expect(real.stdout).toMatch(/^\S+ reextract completed: added 0, retracted 0, unchanged [1-9]\d*, rejected 0 in \d+\.\d s \(attempt 1\/3\)\n$/);

    const listed = await mkg(['jobs', '--db', db, '--json'], offline);
    const jobs = JSON.parse(listed.stdout);
    expect(jobs.totalCount).toBe(2);
    expect(jobs.jobs.map((j: { status: string }) => j.status)).toEqual(['completed', 'completed']);
    expect((await mkg(['jobs', '--status', 'failed', '--db', db], offline)).stdout).toBe('No jobs.\n');
  });

  it('re-extracts with changed detector parameters: what the old ones found is retracted, the new finds added', async () => {
    const sources = JSON.parse((await mkg(['jobs', '--db', db, '--json'], offline)).stdout).jobs[0].input.source as string;
    const r = await mkg(['reextract', '--source', sources, '--detector', 'priceMove.k=2.5', '--detector', 'drawdown.threshold=0.3', '--db', db, '--json'], offline);
    expect(r.code, r.stderr).toBe(0);
    const job = JSON.parse(r.stdout);
    expect(job.input.detectors).toEqual({ priceMove: { k: 2.5 }, drawdown: { threshold: 0.3 } });
    expect(job.counts.added).toBeGreaterThan(0);
    expect(job.counts.retracted).toBeGreaterThan(0);
    const bad = await mkg(['reextract', '--source', sources, '--detector', 'priceMove.sigma=2', '--db', db], offline);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/detectors\.priceMove/);
    const notNumber = await mkg(['reextract', '--source', sources, '--detector', 'priceMove.k=high', '--db', db], offline);
    expect(notNumber.code).toBe(2);
    expect(notNumber.stderr).toMatch(/--detector/);
  });

  it('names what is wrong with a selection, and a source that does not exist', async () => {
    const none = await mkg(['reextract', '--db', db], offline);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/give at least one of source, extractor, from\/to or entity/);
    const backwards = await mkg(['reextract', '--extractor', 'price-move', '--from', '2019-01-01', '--to', '2018-01-01', '--db', db], offline);
    expect(backwards.code).toBe(2);
    expect(backwards.stderr).toMatch(/from must not be after to/);
    const badDate = await mkg(['reextract', '--extractor', 'price-move', '--from', 'yesterday', '--db', db], offline);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toMatch(/--from/);
    const missing = await mkg(['reextract', '--source', 'src:ohlcv:nope', '--db', db], offline);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/No source with id "src:ohlcv:nope"/);
    const kind = await mkg(['jobs', '--kind', 'compile', '--db', db], offline);
    expect(kind.code).toBe(2);
    expect(kind.stderr).toMatch(/"compile" is not one of ingest, reextract, induceSchema, embed/);
  });

  it('needs REDIS_URL for a worker, and says so when Redis does not answer', async () => {
    const noRedis = await mkg(['worker', '--db', db], offline);
    expect(noRedis.code).toBe(2);
    expect(noRedis.stderr).toMatch(/REDIS_URL/);
    const closed = await mkg(['jobs', '--db', db], { ...offline, REDIS_URL: 'redis://127.0.0.1:1' });
    expect(closed.code).toBe(1);
    expect(closed.stderr).toMatch(/Job queue at redis:\/\/127\.0\.0\.1:1 is unavailable: .*the API still serves reads/);
  });
});

describe('mkg serve with Redis unreachable', () => {
  const tmp = tempDir('mkg-cli-serve-');
  afterAll(() => tmp.cleanup());

  it('says so in one line and still serves reads; job fields answer SERVICE_UNAVAILABLE', async () => {
    const { spawn } = await import('node:child_process');
    const db = join(tmp.dir, 'serve.db');
    expect((await mkg(['ingest', join(SAMPLE_DIR, 'incidents_2023_2024.csv'), '--db', db])).code).toBe(0);
    const serve = spawn(process.execPath, [MKG, 'serve', '--db', db, '--port', '0'], {
      env: { ...process.env, MKG_DB: '', REDIS_URL: 'redis://127.0.0.1:1', OPENAI_BASE_URL: '', OPENAI_API_KEY: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let stderr = '';
      serve.stderr.setEncoding('utf8');
      const url = await new Promise<string>((resolveUrl, reject) => {
        serve.stderr.on('data', (text: string) => {
          stderr += text;
          const m = /GraphQL API on (\S+)/.exec(stderr);
          if (m) resolveUrl(m[1]!);
        });
        serve.on('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
      });
      expect(stderr).toMatch(/^Jobs: unavailable — Job queue at redis:\/\/127\.0\.0\.1:1 is unavailable: .*the API still serves reads\)?\n/m);
      const post = async (query: string) => (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) })).json() as Promise<any>;
      expect((await post('{ stats { events } }')).data.stats.events).toBeGreaterThan(0);
      const jobs = await post('{ jobs { totalCount } }');
      expect(jobs.errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
    } finally {
      serve.kill('SIGTERM');
    }
  });
});
