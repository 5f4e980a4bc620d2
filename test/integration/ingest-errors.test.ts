/** A file that cannot be read is reported and skipped; the rest of the run goes on. */
import { copyFileSync, mkdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteGraphStore } from '../../graph/sqlite/sqlite-graph-store.ts';
import { ingest } from '../../pipelines/ingest/ingest.ts';
import { SAMPLE_DIR, tempDir } from '../fixtures/paths.ts';

describe('a file that disappears mid-run', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('is reported with its reason while the other files are ingested', async () => {
    const data = join(tmp.dir, 'data');
    mkdirSync(data);
    const a = join(data, 'a_eth.csv');
    const b = join(data, 'b_eth.csv');
    const c = join(data, 'c_eth.csv');
    for (const f of [a, b, c]) copyFileSync(join(SAMPLE_DIR, 'eth_usd_daily_2017_2019.csv'), f);
    const store = SqliteGraphStore.open(join(tmp.dir, 'g.db'));
    try {
      const report = await ingest(store, {
        paths: [data],
        // Files are planned up front; b vanishes once a is done.
        onProgress: (p) => { if (p.done && p.file === a) unlinkSync(b); },
      });
      expect(report.files.map((f) => [f.file, f.error])).toEqual([
        [a, null],
        [b, `Cannot read ${b}: no such file or directory`],
        [c, null],
      ]);
      expect(report.files[1]!.kind).toBe('ohlcv');
      const rejects = await store.listRejects({}, { first: 10 });
      expect(rejects.edges.map((e) => [e.node.file, e.node.code])).toEqual([[b, 'FILE_UNREADABLE']]);
      expect(report.files[2]!.records).toBe(783);
    } finally {
      await store.close();
    }
  });
});
