/**
 * Graph signals for a Mean-CVaR portfolio optimizer (INTEROP.md §B, cufolio), in its own shapes:
 * view tilts for `mean`, exclusions as `w_max[ticker] = 0.0`, `group_constraints`, and stress
 * scenarios to append to `R` as extra columns. Every read is as of `asOf` and the window is
 * [asOf − lookbackDays, asOf]: nothing recorded or happening after `asOf` is used.
 *
 * Rules (documented here, pinned by test/unit/signals):
 * - tilt = Σ TILT_SCALE (0.1) × move × 2^(−ageDays / (lookbackDays / 2)) over the ticker's events,
 *   move = PriceMove pctChange / 100 (signed), −Drawdown depth (fraction), −0.5 for an Incident
 *   where the asset, its token or a protocol linked to it (RELATED_TO / SAME_AS) is victim, token,
 *   asset, protocol or vulnerable contract; VolumeSpike has no direction and adds 0.
 * - exclusion: any such Incident in the window → `w_max[ticker] = 0.0`, with the reason.
 * - group: Token tickers ON_CHAIN the same chain, at least 2 of them in the universe → a group
 *   `chain:<chain id>` with weight bounds 0.0..GROUP_W_MAX (0.6).
 * - stress scenario: one per Incident (shock −0.5), Drawdown (shock −depth) or down PriceMove
 *   (shock pctChange / 100) in the window; tickers not named in `shocks` are unshocked (0.0).
 *
 * Weights are JSON numbers: `0.0` serialises as `0` and Python's json reads it as int, so callers
 * feeding cufolio should cast with `float()` (the API documents the same).
 */
import type { GraphStore } from '../../graph/graph-store.ts';
import { InvalidArgumentError } from '../../schema/errors.ts';
import { DAY_MS, signalsOf, type Signal, type Window } from './event-signals.ts';
import { isResolved, resolveTicker, type ResolvedTicker, type UnknownTicker } from './resolve-tickers.ts';

export type { Signal } from './event-signals.ts';
export type { UnknownTicker } from './resolve-tickers.ts';

export const MAX_UNIVERSE = 500;
export const MAX_LOOKBACK_DAYS = 3650;
export const DEFAULT_LOOKBACK_DAYS = 90;
/** Upper weight bound of a group of related tickers. */
export const GROUP_W_MAX = 0.6;

export interface PortfolioSignalsRequest {
  /** Tickers as the optimizer's prices table names them (case-insensitive), 1..500. */
  universe: string[];
  /** Epoch ms; null or absent is now. */
  asOf?: number | null;
  /** Look-back window in days, 1..3650. @default 90 */
  lookbackDays?: number;
}

export interface TickerSignals {
  ticker: string;
  /** The ticker's Asset, else its first Token; null when unknown. */
  entityId: string | null;
  entityIds: string[];
  /** Added to the ticker's mean return view; 0.0 without signals. */
  tilt: number;
  signals: Signal[];
  /** Event and fact ids behind the tilt. */
  evidence: string[];
}

export interface Exclusion {
  ticker: string;
  reason: string;
  evidence: string[];
}

export interface GroupConstraint {
  group_name: string;
  tickers: string[];
  weight_bounds: { w_min: number; w_max: number };
  evidence: string[];
}

export interface StressScenario {
  name: string;
  eventId: string;
  occurredAt: number;
  /** Ticker → return as a fraction in this scenario. */
  shocks: Record<string, number>;
  evidence: string[];
}

export interface PortfolioSignals {
  asOf: number;
  lookbackDays: number;
  /** Start of the window (epoch ms). */
  from: number;
  /** One per distinct ticker of the universe, in its order, unknown ones with entityId null. */
  tickers: TickerSignals[];
  w_min: Record<string, number>;
  w_max: Record<string, number>;
  exclusions: Exclusion[];
  group_constraints: GroupConstraint[];
  stress_scenarios: StressScenario[];
  unknown: UnknownTicker[];
}

/**
 * @throws InvalidArgumentError for an empty or over-long universe, a non-finite asOf or
 *   lookbackDays outside 1..3650
 * @example
 * const s = await portfolioSignals(graph, { universe: ['ETH', 'MSFT'], asOf: Date.UTC(2018, 8, 10), lookbackDays: 30 });
 * s.w_max // { others: 1.0 }
 */
export async function portfolioSignals(graph: GraphStore, request: PortfolioSignalsRequest, now: () => number = Date.now): Promise<PortfolioSignals> {
  const { universe, asOf: requested = null, lookbackDays = DEFAULT_LOOKBACK_DAYS } = request;
  validate(universe, requested, lookbackDays);
  const asOf = requested ?? now();
  const window: Window = { asOf, from: asOf - lookbackDays * DAY_MS, lookbackDays };
  const seen = new Set<string>();
  const resolved: (ResolvedTicker | UnknownTicker)[] = [];
  for (const raw of universe) {
    const r = await resolveTicker(graph, raw, asOf);
    if (seen.has(r.ticker)) continue;
    seen.add(r.ticker);
    resolved.push(r);
  }

  const tickers: TickerSignals[] = [];
  const exclusions: Exclusion[] = [];
  const scenarios = new Map<string, StressScenario>();
  const w_max: Record<string, number> = { others: 1.0 };
  for (const r of resolved) {
    if (!isResolved(r)) {
      tickers.push({ ticker: r.ticker, entityId: null, entityIds: [], tilt: 0.0, signals: [], evidence: [] });
      continue;
    }
    const signals = await signalsOf(graph, r.entityIds, window);
    const used = signals.filter((s) => s.contribution !== 0);
    const tilt = used.reduce((sum, s) => sum + s.contribution, 0);
    tickers.push({ ...r, tilt: tilt === 0 ? 0.0 : tilt, signals, evidence: evidenceOf(used) });
    const incidents = signals.filter((s) => s.type === 'Incident');
    if (incidents.length) {
      const latest = incidents[0]!;
      const reason = `${latest.role} in Incident on ${isoDay(latest.occurredAt)}: ${latest.summary}`
        + (incidents.length > 1 ? ` (and ${incidents.length - 1} more)` : '');
      exclusions.push({ ticker: r.ticker, reason, evidence: evidenceOf(incidents) });
      w_max[r.ticker] = 0.0;
    }
    for (const s of signals) addScenario(scenarios, r.ticker, s);
  }
  return {
    asOf, lookbackDays, from: window.from, tickers,
    w_min: { others: 0.0 }, w_max, exclusions,
    group_constraints: await chainGroups(graph, resolved.filter(isResolved), asOf),
    stress_scenarios: [...scenarios.values()].sort((a, b) => b.occurredAt - a.occurredAt || a.eventId.localeCompare(b.eventId)),
    unknown: resolved.filter((r): r is UnknownTicker => !isResolved(r)),
  };
}

function addScenario(into: Map<string, StressScenario>, ticker: string, s: Signal): void {
  const stress = s.type === 'Incident' || s.type === 'Drawdown' || (s.type === 'PriceMove' && s.move < 0);
  if (!stress) return;
  let scenario = into.get(s.eventId);
  if (scenario === undefined) {
    scenario = { name: `${s.type} ${isoDay(s.occurredAt)}: ${s.summary}`, eventId: s.eventId, occurredAt: s.occurredAt, shocks: {}, evidence: [s.eventId] };
    into.set(s.eventId, scenario);
  }
  scenario.shocks[ticker] = Math.min(scenario.shocks[ticker] ?? 0, s.move);
  for (const id of [s.factId, ...s.via]) if (!scenario.evidence.includes(id)) scenario.evidence.push(id);
}

/** Token tickers sharing a chain (ON_CHAIN facts), at least two per chain. */
async function chainGroups(graph: GraphStore, resolved: ResolvedTicker[], asOf: number): Promise<GroupConstraint[]> {
  const chains = new Map<string, { tickers: Set<string>; evidence: string[] }>();
  for (const r of resolved) {
    for (const id of r.entityIds) {
      for (const f of await graph.factsOf(id, { asOf, direction: 'out', types: ['ON_CHAIN'], limit: 20 })) {
        const group = chains.get(f.object) ?? { tickers: new Set<string>(), evidence: [] };
        group.tickers.add(r.ticker);
        group.evidence.push(f.id);
        chains.set(f.object, group);
      }
    }
  }
  return [...chains].filter(([, g]) => g.tickers.size >= 2).sort(([a], [b]) => a.localeCompare(b)).map(([chain, g]) => ({
    group_name: `chain:${chain}`, tickers: [...g.tickers], weight_bounds: { w_min: 0.0, w_max: GROUP_W_MAX }, evidence: g.evidence,
  }));
}

function evidenceOf(signals: readonly Signal[]): string[] {
  return [...new Set(signals.flatMap((s) => [s.eventId, s.factId, ...s.via]))];
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function validate(universe: unknown, asOf: number | null, lookbackDays: number): void {
  if (!Array.isArray(universe) || universe.length === 0 || universe.some((t) => typeof t !== 'string')) {
    throw new InvalidArgumentError('universe', 'must be a non-empty list of tickers');
  }
  if (universe.length > MAX_UNIVERSE) throw new InvalidArgumentError('universe', `at most ${MAX_UNIVERSE} tickers, got ${universe.length}`);
  if (asOf !== null && !Number.isFinite(asOf)) throw new InvalidArgumentError('asOf', 'must be epoch milliseconds');
  if (!Number.isInteger(lookbackDays) || lookbackDays < 1 || lookbackDays > MAX_LOOKBACK_DAYS) {
    throw new InvalidArgumentError('lookbackDays', `must be an integer from 1 to ${MAX_LOOKBACK_DAYS}, got ${lookbackDays}`);
  }
}
