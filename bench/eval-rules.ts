/**
 * Precision / recall / F1 of the offline rule extractor on the hand-written gold set
 * (test/fixtures/gold/text-gold.jsonl). Run: `node bench/eval-rules.ts`; writes bench/out/eval-rules.json.
 *
 * Triples match on (normalised subject name, canonical predicate, normalised object name); event
 * participation on (role, normalised entity name) per gold line, all events of the line pooled.
 * Names are compared after normalizeName(), so an address matches in any case and a graph id
 * matches too. Micro-averaged over the whole set.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { hashParts } from '../schema/hash.ts';
import { normalizeName } from '../schema/ids.ts';
import { extractWithRules } from '../extraction/text/rules/extract-rules.ts';

const ROOT = resolve(import.meta.dirname, '..');
const GOLD = resolve(ROOT, 'test/fixtures/gold/text-gold.jsonl');
const OUT = resolve(ROOT, 'bench/out/eval-rules.json');

interface GoldLine {
  id: string;
  text: string;
  publishedAt?: string;
  triples: { subject: string; predicate: string; object: string }[];
  events: { type: string; participants: { role: string; entity: string }[] }[];
}

interface Score { tp: number; fp: number; fn: number; precision: number; recall: number; f1: number }

function score(tp: number, fp: number, fn: number): Score {
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  const r = (x: number): number => Math.round(x * 1000) / 1000;
  return { tp, fp, fn, precision: r(precision), recall: r(recall), f1: r(f1) };
}

function compare(gold: Set<string>, got: Set<string>, misses: string[], extras: string[], id: string): [number, number, number] {
  let tp = 0;
  for (const g of gold) if (got.has(g)) tp++; else misses.push(`${id} ${g}`);
  for (const p of got) if (!gold.has(p)) extras.push(`${id} ${p}`);
  return [tp, got.size - tp, gold.size - tp];
}

export function evaluate(lines: readonly GoldLine[]): { triples: Score; participation: Score; misses: string[]; extras: string[] } {
  const t = [0, 0, 0];
  const p = [0, 0, 0];
  const misses: string[] = [];
  const extras: string[] = [];
  for (const line of lines) {
    const publishedAt = line.publishedAt ? Date.parse(line.publishedAt) : null;
    const out = extractWithRules(
      { id: `chunk:${hashParts([line.text], 64)}`, documentId: line.id, index: 0, text: line.text, span: { start: 0, end: line.text.length }, tokens: 0, publishedAt },
      { sourceId: 'src:gold', ingestedAt: 0 },
    );
    const names = new Map(out.nodes.map((n) => [n.id, normalizeName(n.name)]));
    const name = (id: string): string => names.get(id) ?? normalizeName(id);
    const eventIds = new Set(out.events.map((e) => e.id));
    const goldTriples = new Set(line.triples.map((x) => `${normalizeName(x.subject)}|${x.predicate}|${normalizeName(x.object)}`));
    const gotTriples = new Set(out.facts.filter((f) => f.type !== 'PARTICIPANT').map((f) => `${name(f.subject)}|${f.type}|${name(f.object)}`));
    const goldPart = new Set(line.events.flatMap((e) => e.participants.map((x) => `${x.role}|${normalizeName(x.entity)}`)));
    const gotPart = new Set(out.facts.filter((f) => f.type === 'PARTICIPANT' && eventIds.has(f.subject)).map((f) => `${f.role}|${name(f.object)}`));
    compare(goldTriples, gotTriples, misses, extras, line.id).forEach((v, i) => { t[i]! += v; });
    compare(goldPart, gotPart, misses, extras, line.id).forEach((v, i) => { p[i]! += v; });
  }
  return { triples: score(t[0]!, t[1]!, t[2]!), participation: score(p[0]!, p[1]!, p[2]!), misses, extras };
}

export function loadGold(path = GOLD): GoldLine[] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as GoldLine);
}

if (import.meta.main) {
  const lines = loadGold();
  const result = evaluate(lines);
  const report = { extractor: 'rules', version: '1', sentences: lines.length, triples: result.triples, participation: result.participation, misses: result.misses, extras: result.extras };
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, `${JSON.stringify(report, null, 2)}\n`);
  const fmt = (s: Score): string => `P=${s.precision} R=${s.recall} F1=${s.f1} (tp ${s.tp}, fp ${s.fp}, fn ${s.fn})`;
  process.stdout.write(`rule extractor on ${lines.length} gold sentences\n  triples:       ${fmt(result.triples)}\n  participation: ${fmt(result.participation)}\n`);
  process.stdout.write(`  false positives:\n${result.extras.map((e) => `    ${e}`).join('\n') || '    (none)'}\nwritten to ${OUT}\n`);
}
