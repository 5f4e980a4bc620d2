/** Sources (upsert by id), rejects (filters, newest first, pagination) and stats. */
import { expect, it } from 'vitest';
import type { RejectInput, SourceRecord } from '../../schema/graph.ts';
import type { PageArgs } from '../../schema/pagination.ts';
import type { GraphContractContext } from './graph-store.contract.ts';
import { batch, event, fact, HOUR, merged, node, T0, transfer } from './graph-fixtures.ts';

function source(id: string, over: Partial<SourceRecord> = {}): SourceRecord {
  return {
    id, uri: `file:///data/${id}.jsonl`, kind: 'eth-logs', contentHash: 'sha256:aa', version: 'r1',
    recordedAt: T0, records: 10, rejected: 0, factDigest: null, ...over,
  };
}

function reject(n: number, over: Partial<RejectInput> = {}): RejectInput {
  return {
    sourceId: 'src:a', file: 'logs.jsonl', line: n, code: 'BAD_HEX', reason: `bad row ${n}`, raw: `{"n":${n}}`,
    severity: 'error', recordedAt: T0 + n * HOUR, ...over,
  };
}

export function adminContract(ctx: GraphContractContext): void {
  it('upserts sources by id and lists them by id', async () => {
    const store = ctx.store();
    await store.upsertSource(source('src:b'));
    await store.upsertSource(source('src:a'));
    await store.upsertSource(source('src:b', { contentHash: 'sha256:bb', records: 99, rejected: 3, version: 'r2' }));
    expect(await store.listSources()).toEqual([
      source('src:a'),
      source('src:b', { contentHash: 'sha256:bb', records: 99, rejected: 3, version: 'r2' }),
    ]);
  });

  it('keeps a source\'s fact digest; one upserted without a digest has none (null), not the old one', async () => {
    const store = ctx.store();
    const digest = '3:00000000deadbeef';
    await store.upsertSource(source('src:d', { factDigest: digest }));
    expect(await store.listSources()).toEqual([source('src:d', { factDigest: digest })]);
    await store.upsertSource(source('src:d', { factDigest: '4:0000000000000001', records: 11 }));
    expect((await store.listSources())[0]).toEqual(source('src:d', { factDigest: '4:0000000000000001', records: 11 }));
    // A writer that computes none (resolve-entities, induce-schema) leaves none behind.
    const { factDigest: _, ...withoutDigest } = source('src:d');
    await store.upsertSource(withoutDigest);
    expect((await store.listSources())[0]!.factDigest).toBeNull();
    await store.upsertSource(source('src:d', { factDigest: digest }));
    await store.upsertSource(source('src:d', { factDigest: null }));
    expect((await store.listSources())[0]!.factDigest).toBeNull();
  });

  it('lists rejects newest first, filters by source and severity, and pages through them', async () => {
    const store = ctx.store();
    await store.addRejects([
      reject(1), reject(2, { severity: 'warning' }), reject(3, { sourceId: 'src:b' }), reject(4),
      reject(5, { sourceId: null, line: null, raw: null }), reject(4, { reason: 'same time, written later' }),
    ]);
    await store.addRejects([]);
    const all = await store.listRejects({}, { first: 50 });
    expect(all.totalCount).toBe(6);
    expect(all.edges.map((e) => e.node.reason)).toEqual([
      'bad row 5', 'same time, written later', 'bad row 4', 'bad row 3', 'bad row 2', 'bad row 1',
    ]);
    expect(new Set(all.edges.map((e) => e.node.id)).size).toBe(6);
    expect(all.edges[0]?.node).toMatchObject({ sourceId: null, line: null, raw: null, file: 'logs.jsonl', code: 'BAD_HEX' });
    const reasons = async (filter: Parameters<typeof store.listRejects>[0]) =>
      (await store.listRejects(filter, { first: 50 })).edges.map((e) => e.node.line);
    expect(await reasons({ sourceId: 'src:b' })).toEqual([3]);
    expect(await reasons({ severity: 'warning' })).toEqual([2]);
    expect(await reasons({ sourceId: 'src:a', severity: 'error' })).toEqual([4, 4, 1]);
    const seen: string[] = [];
    let page: PageArgs = { first: 3 };
    for (;;) {
      const p = await store.listRejects({ sourceId: 'src:a' }, page);
      expect(p.totalCount).toBe(4);
      seen.push(...p.edges.map((e) => e.node.id));
      if (!p.hasNextPage) break;
      page = { first: 1, after: p.edges.at(-1)!.cursor };
    }
    expect(seen).toEqual(all.edges.filter((e) => e.node.sourceId === 'src:a').map((e) => e.node.id));
  });

  it('does not store the same reject twice when a source is ingested again', async () => {
    const store = ctx.store();
    await store.addRejects([reject(1), reject(2), reject(3, { sourceId: null, line: null })]);
    await store.addRejects([
      reject(1, { recordedAt: T0 + 50 * HOUR }), reject(3, { sourceId: null, line: null }), reject(2, { reason: 'new reason' }),
    ]);
    const page = await store.listRejects({}, { first: 50 });
    expect(page.totalCount).toBe(4);
    expect(page.edges.map((e) => e.node.reason).sort()).toEqual(['bad row 1', 'bad row 2', 'bad row 3', 'new reason']);
  });

  it('counts entities by kind, events by type and facts by type', async () => {
    const store = ctx.store();
    await store.writeBatch(merged(
      transfer(1, 'acct:a', 'acct:b', 'tok:x', T0),
      transfer(2, 'acct:b', 'acct:c', 'tok:x', T0 + HOUR),
      batch({
        nodes: [node('pool:1', { kind: 'Pool', recordedAt: T0 + 2 * HOUR })],
        events: [event('evt:swap', { type: 'Swap', occurredAt: T0 + 2 * HOUR, recordedAt: T0 + 2 * HOUR })],
        facts: [fact('pool:1', 'HOLDS', 'tok:x', { recordedAt: T0 + 2 * HOUR })],
      }),
    ));
    await store.upsertSource(source('src:a'));
    await store.addRejects([reject(0), reject(1)]);
    const stats = await store.stats();
    expect(stats).toMatchObject({ entities: 5, events: 3, facts: 7, sources: 1, rejects: 2 });
    const asMap = (xs: { key: string; count: number }[]) => Object.fromEntries(xs.map((x) => [x.key, x.count]));
    expect(asMap(stats.entitiesByKind)).toEqual({ Account: 3, Token: 1, Pool: 1 });
    expect(asMap(stats.eventsByType)).toEqual({ Transfer: 2, Swap: 1 });
    expect(asMap(stats.factsByType)).toEqual({ PARTICIPANT: 6, HOLDS: 1 });
    const before = await store.stats({ asOf: T0 + 30 * 60_000 });
    expect(before).toMatchObject({ entities: 3, events: 1, facts: 3, sources: 1, rejects: 1 });
    expect(asMap(before.entitiesByKind)).toEqual({ Account: 2, Token: 1 });
  });
}
