/**
 * The neo4j-admin import files and command: columns per file, rows built by the write path's own
 * builders, write order (`seq`), placeholders, and the command line. The bookkeeping properties
 * that writes.ts builds inline are checked against what it really sends, through a transaction
 * that records the statements' parameters (the driver's seam, not a MarketGraph module).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { ARRAY_DELIMITER } from '../../../graph/neo4j/admin-import-csv.ts';
import { importArguments, importOptions, importScript, shellQuote } from '../../../graph/neo4j/admin-import-command.ts';
import { fileColumns, IMPORT_FILES } from '../../../graph/neo4j/admin-import-files.ts';
import { Neo4jAdminImportWriter, type AdminImportFile } from '../../../graph/neo4j/admin-import.ts';
import { rejectProps, sourceProps } from '../../../graph/neo4j/writes.ts';
import type { Scope } from '../../../graph/neo4j/runner.ts';
import { nodeProps, WriteClock } from '../../../graph/neo4j/write-plan.ts';
import { addRejects, rejectId, upsertSource } from '../../../graph/neo4j/writes.ts';
import type { FactInput, FactRecord, RejectInput, SourceRecord } from '../../../schema/graph.ts';
import { fact, participant, T0 } from '../../contract/graph-fixtures.ts';
import { useTempFiles } from '../../fixtures/temp-files.ts';

const SOURCE: SourceRecord = {
  id: 'src:a', uri: 'file:///a, b.csv', kind: 'ohlcv', contentHash: 'sha256:1', version: 'v1', recordedAt: T0, records: 3,
  rejected: 1, factDigest: null,
};
const REJECT: RejectInput = {
  sourceId: null, file: 'a.csv', line: 4, code: 'INVALID_RECORD', reason: 'bad', raw: null, severity: 'error', recordedAt: T0,
};

/** A transaction that records what each statement was sent, and answers like an empty server. */
function recordingScope(): { scope: Scope; params: Record<string, unknown>[] } {
  const params: Record<string, unknown>[] = [];
  const tx = {
    run: async (_cypher: string, p: Record<string, unknown>) => {
      params.push(p);
      return { records: [], summary: { counters: { updates: () => ({ nodesCreated: 0, relationshipsCreated: 0, propertiesSet: 0 }) } } };
    },
  };
  return { scope: { tx: tx as unknown as Scope['tx'], ns: '' }, params };
}

const retracted = (f: FactInput, at: number | null = null): FactRecord => ({ ...f, retractedAt: at });

describe('Neo4jAdminImportWriter', () => {
  const tmp = useTempFiles('mkg-admin-');
  const read = (name: string): Record<string, string>[] =>
    parse(readFileSync(join(tmp.dir(), name), 'utf8'), { columns: true }) as Record<string, string>[];

  it('writes one file per kind, each with its header, in import order', async () => {
    const writer = await Neo4jAdminImportWriter.open(tmp.dir());
    const files = await writer.close();
    expect(files.map((f) => f.file)).toEqual(Object.values(IMPORT_FILES).map((s) => s.file));
    expect(files.every((f) => f.rows === 0 && !f.multiline)).toBe(true);
    for (const spec of Object.values(IMPORT_FILES)) {
      const header = readFileSync(join(tmp.dir(), spec.file), 'utf8').trimEnd();
      expect(header).toBe(fileColumns(spec).map((c) => c.header).join(','));
    }
    expect(fileColumns(IMPORT_FILES.entities).slice(0, 3).map((c) => c.header)).toEqual(['id:ID(Thing)', ':LABEL', 'ns']);
    expect(fileColumns(IMPORT_FILES.partOf).map((c) => c.header)).toEqual([':START_ID(Thing)', ':END_ID(Source)', ':TYPE']);
    expect(fileColumns(IMPORT_FILES.rejects)[0]!.header).toBe('id:ID(Reject)');
  });

  it('writes entities with the properties nodeProps builds, plus validTo and retractedAt', async () => {
    const writer = await Neo4jAdminImportWriter.open(tmp.dir(), 'ns-1');
    const n = {
      id: 'ent:organization:acme', kind: 'Organization' as const, name: 'Acme, Inc.', namePriority: 2, aliases: ['ACME', 'a;b'],
      attrs: { x: '"y"' }, validFrom: T0, validTo: T0 + 5, recordedAt: T0, retractedAt: T0 + 9, sourceId: 'src:a',
    };
    await writer.entities([n, { ...n, id: 'acct', kind: 'Account', aliases: [], validFrom: null, validTo: null, retractedAt: null }]);
    const files = await writer.close();
    const [row, bare] = read('nodes-entities.csv');
    const props = nodeProps({ ...n });
    expect(row).toMatchObject({
      'id:ID(Thing)': n.id, ':LABEL': ['Thing', 'Entity', 'Organization'].join(ARRAY_DELIMITER), ns: 'ns-1', kind: 'Organization',
      name: 'Acme, Inc.', 'namePriority:long': '2', 'aliases:string[]': `ACME${ARRAY_DELIMITER}a;b`,
      nameTerms: props.nameTerms, aliasTerms: props.aliasTerms, searchKey: props.searchKey, attrs: '{"x":"\\"y\\""}',
      'validFrom:long': String(T0), 'validTo:long': String(T0 + 5), 'retractedAt:long': String(T0 + 9), sourceId: 'src:a',
    });
    expect(bare).toMatchObject({ 'aliases:string[]': '', 'validFrom:long': '', aliasTerms: '' });
    // searchKey joins name and aliases with line breaks, so the file must be read as multi-line.
    expect(files.find((f) => f.file === 'nodes-entities.csv')).toMatchObject({ rows: 2, multiline: true });
  });

  it('numbers facts in write order across pages, keeps retraction, and links chunks to their sources', async () => {
    const writer = await Neo4jAdminImportWriter.open(tmp.dir());
    const facts = [participant('evt:e', 'to', 'b'), participant('evt:e', 'from', 'a'), fact('z', 'HOLDS', 'a', { confidence: 0.5 })];
    await writer.facts([retracted(facts[0]!), retracted(facts[1]!, T0 + 1)]);
    await writer.facts([retracted(facts[2]!)]);
    await writer.chunks([{
      id: 'chunk:1', sourceId: 'src:gone', documentId: 'd', index: 2, text: 'a\nb', span: { start: 0, end: 3 }, tokens: 2,
      publishedAt: null, recordedAt: T0, retractedAt: null,
    }]);
    await writer.placeholders(['z']);
    await writer.sourcePlaceholders(['src:gone']);
    await writer.close();
    const rows = read('relationships-facts.csv');
    const seq = Object.fromEntries(rows.map((r) => [r.factId, r['seq:long']]));
    expect(facts.map((f) => seq[f.id])).toEqual(['0', '1', '2']);
    const from = rows.find((r) => r.factId === facts[1]!.id)!;
    expect(from).toMatchObject({ ':START_ID(Thing)': 'evt:e', ':END_ID(Thing)': 'a', ':TYPE': 'PARTICIPANT', role: 'from',
      'retractedAt:long': String(T0 + 1), 'confidence:double': '1', attrs: '{}' });
    expect(rows.find((r) => r.factId === facts[2]!.id)).toMatchObject({ 'confidence:double': '0.5', role: '', chunkId: '' });
    expect(read('relationships-part-of.csv')).toEqual([{ ':START_ID(Thing)': 'chunk:1', ':END_ID(Source)': 'src:gone', ':TYPE': 'PART_OF' }]);
    expect(read('nodes-chunks.csv')[0]).toMatchObject({ name: 'd#2', 'index:long': '2', text: 'a\nb', textTerms: 'a b', 'publishedAt:long': '' });
    expect(read('nodes-placeholders.csv')).toEqual([{ 'id:ID(Thing)': 'z', ':LABEL': 'Thing', ns: '', name: 'z' }]);
    expect(read('nodes-source-placeholders.csv')).toEqual([{ 'id:ID(Source)': 'src:gone', ':LABEL': 'Source', ns: '', name: 'src:gone' }]);
  });

  it('refuses kinds, types and predicates outside the ontology (labels come only from closed sets)', async () => {
    const writer = await Neo4jAdminImportWriter.open(tmp.dir());
    await expect(writer.facts([retracted(fact('a', 'LIKES' as never, 'b'))])).rejects.toThrow(/unknown type "LIKES"/);
    await expect(writer.events([{
      id: 'evt:x', type: 'Party' as never, occurredAt: T0, summary: 's', amounts: [], attrs: {}, recordedAt: T0, retractedAt: null,
      sourceId: 's', extractor: 'e', extractorVersion: '1',
    }])).rejects.toThrow(/unknown type "Party"/);
    writer.abort();
  });

  it('writes sources and rejects as writes.ts stores them, rejects keyed by its rejectId', async () => {
    const { scope, params } = recordingScope();
    await upsertSource(scope, SOURCE);
    await addRejects(scope, [REJECT], 10, new WriteClock());
    const sent = params[0]!.props as Record<string, unknown>;
    expect(sourceProps(SOURCE)).toEqual(sent);
    const [rejectRow] = (params[1]!.rows as { id: string; props: Record<string, unknown> }[]);
    expect(rejectRow!.id).toBe(rejectId(REJECT));
    const { seq: _sent, ...rest } = rejectRow!.props;
    const { seq: _ours, ...ours } = rejectProps(REJECT, 0);
    expect(ours).toEqual(rest);

    const writer = await Neo4jAdminImportWriter.open(tmp.dir());
    await writer.sources([SOURCE]);
    await writer.rejects([REJECT, { ...REJECT, line: null }]);
    await writer.close();
    expect(read('nodes-sources.csv')[0]).toMatchObject({ 'id:ID(Source)': 'src:a', name: 'file:///a, b.csv', factDigest: '' });
    expect(read('nodes-rejects.csv').map((r) => [r['id:ID(Reject)'], r.name, r['line:long'], r['seq:long']])).toEqual([
      [rejectId(REJECT), 'INVALID_RECORD at a.csv:4', '4', '0'],
      [rejectId({ ...REJECT, line: null }), 'INVALID_RECORD at a.csv', '', '1'],
    ]);
  });
});

describe('the import command', () => {
  const files: AdminImportFile[] = [
    { file: 'nodes-entities.csv', kind: 'nodes', rows: 2, multiline: true },
    { file: 'nodes-events.csv', kind: 'nodes', rows: 5, multiline: false },
    { file: 'relationships-facts.csv', kind: 'relationships', rows: 7, multiline: false },
  ];

  it('names the database before the file options, states the dialect, and lists only multi-line files', () => {
    const args = importArguments(files);
    expect(args.slice(0, 4)).toEqual(['database', 'import', 'full', 'neo4j']);
    expect(args).toEqual(expect.arrayContaining([
      '--id-type=string', '--array-delimiter=U+001F', '--quote="', '--delimiter=,', '--bad-tolerance=0',
      '--multiline-fields-format=v2', '--multiline-fields=nodes-entities.csv',
    ]));
    expect(args.slice(-3)).toEqual(['--nodes=nodes-entities.csv', '--nodes=nodes-events.csv', '--relationships=relationships-facts.csv']);
    expect(importOptions(files.map((f) => ({ ...f, multiline: false }))).some((o) => o.startsWith('--multiline'))).toBe(false);
  });

  it('writes a script that runs exactly those options from its own directory', () => {
    const script = importScript(files, { from: 'SQLite file x.db', at: '2024-01-01T00:00:00.000Z', namespace: 'prod', nodes: 7, relationships: 7 });
    expect(script.startsWith('#!/bin/sh\n')).toBe(true);
    expect(script).toContain('cd "$(dirname "$0")"');
    expect(script).toContain('exec "${NEO4J_ADMIN:-neo4j-admin}" database import full "${NEO4J_DATABASE:-neo4j}" \\');
    for (const option of importOptions(files)) expect(script).toContain(`  ${shellQuote(option)} \\\n`);
    expect(script).toContain('MKG_NEO4J_NAMESPACE=prod mkg migrate');
    expect(shellQuote('--quote="')).toBe(`'--quote="'`);
    expect(shellQuote("it's")).toBe(`'it'"'"'s'`);
  });
});
