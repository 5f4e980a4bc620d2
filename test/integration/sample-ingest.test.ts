/**
 * Acceptance on the real sample: ingest ../shared/data/sample and the project's example notes
 * (examples/notes, written for this project) end to end into a fresh SQLite file, then induce the
 * schema and resolve as `mkg ingest` does, and check the facts through the GraphQL API
 * (yoga.fetch, no port): sample-acceptance.ts, which the Neo4j run shares.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../api/index.ts';
import { SqliteGraphStore } from '../../graph/sqlite/sqlite-graph-store.ts';
import { ingest } from '../../pipelines/ingest/ingest.ts';
import { SAMPLE_BLOCKS_DIR, tempDir } from '../fixtures/paths.ts';
import { ingestSample, SAMPLE_PATHS } from '../fixtures/sample.ts';
import { sampleAcceptance, type SampleRun } from './sample-acceptance.ts';

describe('ingesting the whole sample', () => {
  const tmp = tempDir();
  let run: SampleRun;

  beforeAll(async () => {
    const store = SqliteGraphStore.open(join(tmp.dir, 'sample.db'));
    run = { store, yoga: createApi({ graph: store }), paths: SAMPLE_PATHS, ...(await ingestSample(store)) };
  });
  afterAll(async () => {
    await run?.store.close();
    tmp.cleanup();
  });

  sampleAcceptance(() => run);
});

describe('one transfer, whichever ethereum-etl file says so', () => {
  const variants: [string, string[]][] = [
    ['logs only', ['expected_blocks.json', 'expected_logs.json']],
    ['token_transfers only', ['expected_blocks.json', 'expected_token_transfers.json']],
    ['both', ['expected_blocks.json', 'expected_logs.json', 'expected_token_transfers.json']],
  ];
  for (const [name, files] of variants) {
    it(`gives 291 Transfer and the same event ids from ${name}`, async () => {
      const tmp = tempDir();
      const store = SqliteGraphStore.open(join(tmp.dir, 'g.db'));
      try {
        await ingest(store, { paths: files.map((f) => join(SAMPLE_BLOCKS_DIR, f)) });
        const page = await store.findEvents({ type: 'Transfer' }, { first: 500 });
        expect(page.totalCount).toBe(291);
        expect(page.edges.every((e) => e.node.id.startsWith('evt:transfer:eip155:1:0x'))).toBe(true);
      } finally {
        await store.close();
        tmp.cleanup();
      }
    });
  }
});
