/**
 * One Cypher statement the adapter can send, with the Cypher type of every parameter it reads
 * (besides `$ns`, which every data statement reads and the runner always binds). The parameter
 * list is what the linter checks the text against (test/unit/neo4j/cypher-lint.test.ts) and what
 * the runner checks each call against, so a statement and its callers cannot drift apart.
 */
export interface CypherStatement {
  readonly name: string;
  readonly cypher: string;
  /** Parameter name → Cypher type, e.g. `{ rows: 'LIST<MAP>', asOf: 'INTEGER' }`. */
  readonly params: Readonly<Record<string, string>>;
}

/** The namespace parameter: a STRING bound to the store's namespace on every data statement. */
export const NS = { ns: 'STRING' } as const;

/** `asOf` (INTEGER epoch ms, or null for "currently believed"). */
export const AS_OF = { asOf: 'INTEGER' } as const;

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Builds a statement, removing the indentation a template literal gives its later lines. */
export function statement(name: string, cypher: string, params: Record<string, string> = {}): CypherStatement {
  const [first = '', ...rest] = cypher
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '');
  const leading = (line: string) => line.length - line.trimStart().length;
  // Generated lines (FOREACH branches) carry no indentation; only template lines are shifted.
  const indent = Math.min(...rest.map(leading).filter((n) => n > 0));
  return Object.freeze({
    name,
    cypher: [first.trim(), ...rest.map((line) => line.slice(Math.min(indent, leading(line))))].join('\n'),
    params: Object.freeze({ ...params }),
  });
}

/**
 * One FOREACH branch per member of a closed set: the classic way to choose a label or relationship
 * type per row in a single statement. `body(member)` is the update for that member; `test` is the
 * row expression compared with the member (members are identifiers, so quoting them is safe).
 */
export function branches(members: readonly string[], test: string, body: (member: string) => string): string {
  const odd = members.find((member) => !IDENTIFIER.test(member));
  if (odd !== undefined) throw new Error(`not a label or relationship type: ${JSON.stringify(odd)}`);
  return members
    .map((member) => `FOREACH (hit IN CASE WHEN ${test} = '${member}' THEN [1] ELSE [] END | ${body(member)})`)
    .join('\n');
}

/** One statement per combination of optional filters, built ahead of time (and so registered and linted). */
export interface Variants<F extends string> {
  /** Every variant, for the registry. */
  readonly all: readonly CypherStatement[];
  /** The variant for the filters that are set. */
  pick(on: Readonly<Record<F, boolean>>): CypherStatement;
}

/**
 * Builds a statement per combination of `flags` (2^n of them). A filter written as
 * `$x IS NULL OR n.p = $x` keeps the planner from using an index on `p` (it must plan for both
 * cases), so each combination gets a statement with exactly its own predicates instead.
 */
export function variants<const F extends string>(
  flags: readonly F[],
  build: (on: Readonly<Record<F, boolean>>) => CypherStatement,
): Variants<F> {
  const byMask = new Map<number, CypherStatement>();
  for (let mask = 0; mask < 1 << flags.length; mask++) {
    const on = Object.fromEntries(flags.map((flag, i) => [flag, (mask & (1 << i)) !== 0])) as Record<F, boolean>;
    byMask.set(mask, build(on));
  }
  return {
    all: [...byMask.values()],
    pick(on) {
      const mask = flags.reduce((m, flag, i) => (on[flag] ? m | (1 << i) : m), 0);
      return byMask.get(mask)!;
    },
  };
}

const GENERATED = new Set<CypherStatement>();

/**
 * Marks a statement generated at run time from closed sets (e.g. a relationship type pattern
 * `[f:HAS_LABEL|INSTANCE_OF]` for the types a caller asked for) as one the runner may send. Only
 * generator functions in this folder call it; their output is linted through samples.
 */
export function generated(s: CypherStatement): CypherStatement {
  GENERATED.add(s);
  return s;
}

/** How many statements one generator keeps (the variants callers use are few: one per call site). */
const MAX_KEPT = 512;

/**
 * A generator of statements from closed sets: `build(input)` once per distinct `key(input)`, kept
 * (up to MAX_KEPT) and marked {@link generated}.
 */
export function generatedBy<I>(key: (input: I) => string, build: (input: I) => CypherStatement): (input: I) => CypherStatement {
  const kept = new Map<string, CypherStatement>();
  return (input) => {
    const k = key(input);
    let s = kept.get(k);
    if (s === undefined) {
      s = generated(build(input));
      if (kept.size < MAX_KEPT) kept.set(k, s);
    }
    return s;
  };
}

/** Whether `s` came from a generator (see {@link generated}). */
export function isGenerated(s: CypherStatement): boolean {
  return GENERATED.has(s);
}
