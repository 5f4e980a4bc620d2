/**
 * portfolioSignals on a small handcrafted graph: tilt signs, exclusions, groups, stress scenarios,
 * unknown tickers, no look-ahead and the look-back bounds.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteGraphStore } from '../../../graph/sqlite/sqlite-graph-store.ts';
import { GROUP_W_MAX, portfolioSignals } from '../../../pipelines/signals/portfolio-signals.ts';
import { INCIDENT_SHOCK, TILT_SCALE } from '../../../pipelines/signals/event-signals.ts';
import { InvalidArgumentError } from '../../../schema/errors.ts';
import type { EventInput, FactInput } from '../../../schema/graph.ts';
import type { Role } from '../../../schema/ontology.ts';
import { batch, event, fact, node, participant, T0 } from '../../contract/graph-fixtures.ts';
import { tempDir } from '../../fixtures/paths.ts';

const DAY = 86_400_000;
const USDX = 'eip155:1:0x0000000000000000000000000000000000000001';
const DAIX = 'eip155:1:0x0000000000000000000000000000000000000002';
const LINK = 'ent:protocol:daix-lend';

function at(days: number, ev: EventInput, role: Role, entity: string): { event: EventInput; fact: FactInput } {
  const t = T0 + days * DAY;
  return { event: { ...ev, occurredAt: t, recordedAt: t }, fact: participant(ev.id, role, entity, { validFrom: t, recordedAt: t }) };
}

describe('portfolioSignals', () => {
  const tmp = tempDir();
  let graph: SqliteGraphStore;
  const parts = [
    at(5, event('evt:pm:aaa', { type: 'PriceMove', attrs: { pctChange: -20, direction: 'down' } }), 'asset', 'asset:crypto:AAA'),
    at(-40, event('evt:pm:aaa-old', { type: 'PriceMove', attrs: { pctChange: -30, direction: 'down' } }), 'asset', 'asset:crypto:AAA'),
    at(6, event('evt:pm:bbb', { type: 'PriceMove', attrs: { pctChange: 15, direction: 'up' } }), 'asset', 'asset:crypto:BBB'),
    at(7, event('evt:dd:bbb', { type: 'Drawdown', attrs: { drawdown: 0.25 } }), 'asset', 'asset:crypto:BBB'),
    at(6, event('evt:vs:bbb', { type: 'VolumeSpike', attrs: { ratio: 4 } }), 'asset', 'asset:crypto:BBB'),
    at(8, event('evt:inc:usdx', { type: 'Incident', summary: 'USDX depegged after exploit' }), 'token', USDX),
    at(9, event('evt:inc:lend', { type: 'Incident', summary: 'DaixLend exploited' }), 'protocol', LINK),
  ];
  const onChain = [fact(USDX, 'ON_CHAIN', 'eip155:1'), fact(DAIX, 'ON_CHAIN', 'eip155:1')];
  const related = fact(DAIX, 'RELATED_TO', LINK);

  beforeAll(async () => {
    graph = SqliteGraphStore.open(join(tmp.dir, 'signals.db'));
    await graph.writeBatch(batch({
      nodes: [
        node('asset:crypto:AAA', { kind: 'Asset', name: 'AAA', attrs: { symbol: 'AAA' }, recordedAt: T0 - 60 * DAY }),
        node('asset:crypto:BBB', { kind: 'Asset', name: 'BBB', attrs: { symbol: 'BBB' } }),
        node(USDX, { kind: 'Token', name: 'USDX', attrs: { symbol: 'USDX' } }),
        node(DAIX, { kind: 'Token', name: 'DAIX', attrs: { symbol: 'DAIX' } }),
        node('eip155:1', { kind: 'Chain', name: 'Ethereum' }),
        node(LINK, { kind: 'Protocol', name: 'DaixLend' }),
      ],
      events: parts.map((p) => p.event),
      facts: [...parts.map((p) => p.fact), ...onChain, related],
    }));
  });
  afterAll(async () => {
    await graph.close();
    tmp.cleanup();
  });

  const asOf = T0 + 10 * DAY;

  it('tilts down after a fall or drawdown, up after a rise, with the events as evidence', async () => {
    const s = await portfolioSignals(graph, { universe: ['aaa', 'BBB'], asOf, lookbackDays: 30 });
    const [aaa, bbb] = s.tickers;
    expect(aaa).toMatchObject({ ticker: 'AAA', entityId: 'asset:crypto:AAA' });
    expect(aaa!.tilt).toBeCloseTo(TILT_SCALE * -0.2 * 2 ** (-5 / 15), 12);
    expect(aaa!.evidence).toEqual(['evt:pm:aaa', parts[0]!.fact.id]);
    // +15% four days before asOf and −25% three days before: the drawdown wins; the volume spike adds nothing.
    expect(bbb!.tilt).toBeCloseTo(TILT_SCALE * (0.15 * 2 ** (-4 / 15) - 0.25 * 2 ** (-3 / 15)), 12);
    expect(bbb!.evidence).not.toContain('evt:vs:bbb');
    expect(bbb!.signals.map((x) => x.type)).toContain('VolumeSpike');
    const up = await portfolioSignals(graph, { universe: ['BBB'], asOf: T0 + 6 * DAY + 1, lookbackDays: 30 });
    expect(up.tickers[0]!.tilt).toBeGreaterThan(0);
    expect(s.stress_scenarios.map((x) => [x.eventId, x.shocks])).toEqual([
      ['evt:dd:bbb', { BBB: -0.25 }], ['evt:pm:aaa', { AAA: -0.2 }],
    ]);
  });

  it('excludes a token hit by an incident, directly or through its protocol, and groups tokens on one chain', async () => {
    const s = await portfolioSignals(graph, { universe: ['USDX', 'DAIX', 'AAA'], asOf, lookbackDays: 30 });
    expect(s.w_max).toEqual({ others: 1, USDX: 0, DAIX: 0 });
    expect(s.w_min).toEqual({ others: 0 });
    const usdx = s.exclusions.find((e) => e.ticker === 'USDX')!;
    expect(usdx.reason).toMatch(/^token in Incident on \d{4}-\d\d-\d\d: USDX depegged/);
    expect(usdx.evidence).toEqual(['evt:inc:usdx', parts[5]!.fact.id]);
    expect(s.exclusions.find((e) => e.ticker === 'DAIX')!.evidence).toEqual(['evt:inc:lend', parts[6]!.fact.id, related.id]);
    expect(s.group_constraints).toEqual([{
      group_name: 'chain:eip155:1', tickers: ['USDX', 'DAIX'], weight_bounds: { w_min: 0, w_max: GROUP_W_MAX }, evidence: onChain.map((f) => f.id),
    }]);
    expect(s.stress_scenarios.find((x) => x.eventId === 'evt:inc:usdx')!.shocks).toEqual({ USDX: INCIDENT_SHOCK });
  });

  it('reports an unknown ticker and answers the rest', async () => {
    const s = await portfolioSignals(graph, { universe: ['NOPE', 'AAA', 'bad ticker!', 'AAA'], asOf, lookbackDays: 30 });
    expect(s.unknown.map((u) => u.ticker)).toEqual(['NOPE', 'bad ticker!']);
    expect(s.unknown[1]!.reason).toMatch(/not a ticker/);
    expect(s.tickers.map((t) => [t.ticker, t.entityId])).toEqual([['NOPE', null], ['AAA', 'asset:crypto:AAA'], ['bad ticker!', null]]);
    expect(s.tickers[1]!.tilt).toBeLessThan(0);
  });

  it('uses nothing that happened or was recorded after asOf', async () => {
    const s = await portfolioSignals(graph, { universe: ['USDX', 'AAA'], asOf: T0 + 7 * DAY, lookbackDays: 30 });
    expect(s.exclusions).toEqual([]);
    expect(s.w_max).toEqual({ others: 1 });
    const before = await portfolioSignals(graph, { universe: ['AAA'], asOf: T0 + 5 * DAY - 1, lookbackDays: 30 });
    expect(before.tickers[0]).toMatchObject({ tilt: 0, evidence: [] });
  });

  it('reads only the look-back window', async () => {
    const short = await portfolioSignals(graph, { universe: ['AAA'], asOf, lookbackDays: 30 });
    expect(short.tickers[0]!.evidence).not.toContain('evt:pm:aaa-old');
    expect(short.from).toBe(asOf - 30 * DAY);
    const long = await portfolioSignals(graph, { universe: ['AAA'], asOf, lookbackDays: 50 });
    expect(long.tickers[0]!.evidence).toContain('evt:pm:aaa-old');
    const edge = await portfolioSignals(graph, { universe: ['AAA'], asOf, lookbackDays: 1 });
    expect(edge.tickers[0]!.evidence).toEqual([]);
  });

  it('rejects bad arguments', async () => {
    for (const lookbackDays of [0, 3651, 1.5, Number.NaN]) {
      await expect(portfolioSignals(graph, { universe: ['AAA'], asOf, lookbackDays })).rejects.toThrow(InvalidArgumentError);
    }
    await expect(portfolioSignals(graph, { universe: [], asOf })).rejects.toThrow(/universe/);
    await expect(portfolioSignals(graph, { universe: Array(501).fill('AAA') as string[], asOf })).rejects.toThrow(/at most 500/);
    await expect(portfolioSignals(graph, { universe: ['AAA'], asOf: Number.POSITIVE_INFINITY })).rejects.toThrow(/asOf/);
    const s = await portfolioSignals(graph, { universe: ['AAA'] }, () => asOf);
    expect(s).toMatchObject({ asOf, lookbackDays: 90 });
  });
});
