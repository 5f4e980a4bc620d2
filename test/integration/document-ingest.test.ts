/**
 * Documents through `ingest` with no LLM configured (the offline rule extractor), on a real SQLite
 * file, checked through GraphQL: chunks PART_OF their source, MENTIONED_IN facts, text facts that
 * link to the structured incident's canonical ids, bad documents rejected one by one, and a
 * second ingest that changes nothing.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../api/index.ts';
import { SqliteGraphStore } from '../../graph/sqlite/sqlite-graph-store.ts';
import { ingest, type IngestReport } from '../../pipelines/ingest/ingest.ts';
import { SAMPLE_DIR, tempDir } from '../fixtures/paths.ts';
import { queryData as gql } from '../fixtures/graphql-client.ts';

type Json = Record<string, any>;

const ATTACKER = '0x3cc1edd8a25c912fcb51d7e61893e737c48cd98d';
const ATTACKER_ID = `eip155:8453:${ATTACKER}`;
const NOW = Date.UTC(2026, 10, 21);

const NOTE = `---
id: bizness-postmortem
title: Bizness post-mortem
published_at: 2024-12-28
---
# Bizness

On 27 December 2024 an attacker exploited Bizness on Base through a reentrancy bug in the locker.
The attacker 0x3Cc1eDD8a25c912fCB51d7E61893e737C48Cd98D drained 15.7k USD from Bizness.
Binance listed WIF in March 2024.
`;

const JSONL = [
  JSON.stringify({ id: 'n1', title: 'Flow', text: 'Lazarus Group moved 1,200 ETH to Tornado Cash after the hack.', published_at: '2024-12-29' }),
  JSON.stringify({ id: 'n2', text: '攻击者利用重入漏洞从 Bizness 窃取了资金。0x3cc1edd8a25c912fcb51d7e61893e737c48cd98d 是攻击者地址。', published_at: '2024-12-30' }),
  JSON.stringify({ id: 'n3', text: '   ' }),
  '{"id": "n4", "text": ',
  JSON.stringify({ id: 'n5', text: 42 }),
].join('\n');

describe('ingesting documents offline (rule extractor)', () => {
  const tmp = tempDir();
  let store: SqliteGraphStore;
  let yoga: ReturnType<typeof createApi>;
  let first: IngestReport;
  let paths: string[];

  beforeAll(async () => {
    const docs = join(tmp.dir, 'docs');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(docs);
    writeFileSync(join(docs, 'bizness.md'), NOTE);
    writeFileSync(join(docs, 'news.jsonl'), JSONL);
    writeFileSync(join(docs, 'empty.md'), '---\ntitle: nothing\n---\n\n');
    writeFileSync(join(docs, 'blob.txt'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x10, 0xff]));
    // 50 MB on one line: over the document size cap, rejected with its size, never chunked.
    writeFileSync(join(docs, 'huge.txt'), 'lorem ipsum dolor sit amet '.repeat(Math.ceil(50 * 1024 * 1024 / 27)));
    // 300 KB on one line without a sentence end: under the cap, cut by tokens and read.
    writeFileSync(join(docs, 'long-line.txt'), `${'the quick brown fox jumps over the lazy dog '.repeat(7000)}Lazarus Group exploited Wide Protocol`);
    paths = [join(SAMPLE_DIR, 'incidents_2023_2024.csv'), docs];
    store = SqliteGraphStore.open(join(tmp.dir, 'docs.db'));
    yoga = createApi({ graph: store });
    first = await ingest(store, { paths, now: () => NOW });
  });
  afterAll(async () => {
    await store.close();
    tmp.cleanup();
  });

  it('reads documents after the data files and rejects the bad ones with reasons', async () => {
    const kinds = first.files.map((f) => f.kind);
    expect(kinds[0]).toBe('incidents');
    expect(kinds.slice(1).every((k) => k === 'documents')).toBe(true);
    expect(first.chunks).toBeGreaterThanOrEqual(3);
    const data = await gql(yoga, `{ rejects(severity: "error", first: 50) { edges { node { file line code reason } } } }`);
    const rejects = data.rejects.edges.map((e: Json) => e.node);
    const reasonOf = (file: string, line: number | null) =>
      rejects.find((r: Json) => r.file.endsWith(file) && r.line === line)?.reason ?? '';
    expect(reasonOf('blob.txt', null)).toMatch(/binary/);
    expect(reasonOf('empty.md', 1)).toMatch(/empty document/);
    expect(reasonOf('news.jsonl', 3)).toMatch(/empty/);
    expect(reasonOf('news.jsonl', 4)).toMatch(/JSON/i);
    expect(reasonOf('news.jsonl', 5)).toMatch(/text/);
    expect(reasonOf('huge.txt', 1)).toMatch(/too large: 5242\d{4} characters; the limit is 5000000/);
    const long = first.files.find((f) => f.file.endsWith('long-line.txt'));
    expect(long?.rejected).toBe(0);
    expect(long?.chunks).toBeGreaterThan(100);
  });

  it('stores chunks PART_OF their source, found by full-text search', async () => {
    const data = await gql(yoga, `{ searchChunks(text: "reentrancy locker", first: 3) {
      score chunk { id documentId index text tokens publishedAt source { kind uri } } } }`);
    const hit = data.searchChunks[0];
    expect(hit.chunk.documentId).toBe('bizness-postmortem');
    expect(hit.chunk.id).toMatch(/^chunk:[0-9a-f]{64}$/);
    expect(hit.chunk.text).toContain('reentrancy bug');
    expect(hit.chunk.publishedAt).toBe('2024-12-28T00:00:00.000Z');
    expect(hit.chunk.source.kind).toBe('documents');
    expect(hit.chunk.source.uri).toMatch(/bizness\.md$/);
  });

  it('links an address in text to the structured attacker and shows where it was mentioned', async () => {
    const data = await gql(yoga, `query($id: ID!) { entity(id: $id) {
      id chunks(first: 10) { documentId mentions(first: 50) { id } }
      facts(first: 100) { type extractor chunkId chunk { documentId } } } }`, { id: ATTACKER_ID });
    const e = data.entity;
    // The text names no chain; the graph has this address on Base (the incident row), so the text
    // links there instead of minting a node on the run's default chain: data and text meet on one node.
    expect(e.facts.some((f: Json) => f.extractor === 'incidents' || f.extractor.startsWith('incident'))).toBe(true);
    const docs = e.chunks.map((c: Json) => c.documentId).sort();
    expect(docs).toEqual(['bizness-postmortem', 'n2']);
    const textFacts = e.facts.filter((f: Json) => f.chunkId !== null);
    expect(textFacts.length).toBeGreaterThan(0);
    for (const f of textFacts) expect(f.chunk).not.toBeNull();
  });

  it('keeps text in other languages and extracts what it can', async () => {
    const data = await gql(yoga, `{ searchChunks(text: "Bizness", first: 10) { chunk { documentId text } } }`);
    const zh = data.searchChunks.find((h: Json) => h.chunk.documentId === 'n2');
    expect(zh?.chunk.text).toContain('攻击者');
  });

  it('reads verb patterns into text events with participants and provenance', async () => {
    const data = await gql(yoga, `{ events(filter: {type: TextEvent}, first: 20) { edges { node {
      summary extractor participants { role entity { name } } chunks { documentId } } } } }`);
    const events = data.events.edges.map((e: Json) => e.node);
    const moved = events.find((e: Json) => /Lazarus Group moved/.test(e.summary));
    expect(moved?.extractor).toBe('rules');
    expect(moved?.chunks.map((c: Json) => c.documentId)).toEqual(['n1']);
    expect(moved?.participants.map((p: Json) => p.entity?.name)).toEqual(expect.arrayContaining(['Lazarus Group']));
  });

  it('hides chunks and their mentions before they were published', async () => {
    const data = await gql(yoga, `query($id: ID!) { before: entity(id: $id, asOf: "2024-12-27") { chunks { documentId } }
      after: entity(id: $id, asOf: "2024-12-31") { chunks { documentId } } }`, { id: ATTACKER_ID });
    expect(data.before?.chunks ?? []).toEqual([]);
    expect(data.after.chunks.map((c: Json) => c.documentId)).toContain('n2');
  });

  it('changes nothing when the same documents are ingested again', async () => {
    const again = await ingest(store, { paths, now: () => NOW + 86_400_000 });
    expect(again.added).toBe(0);
    expect(again.updated).toBe(0);
    // Repeated passages (long-line.txt) are one chunk each, so the first run already saw repeats.
    expect(again.write.chunks.unchanged).toBe(first.write.chunks.added + first.write.chunks.unchanged);
    expect(again.write.chunks.unchanged).toBe(first.chunks);
  });
});
