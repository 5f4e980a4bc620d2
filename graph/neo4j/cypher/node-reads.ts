/**
 * Entity reads. Lists are keyset-paginated on `id`: `n.id > $afterId` (with `''` before the first
 * page, so every page has the same shape) is a range on the last property of the index the list
 * seeks, which also yields id order, so a page stops after `$limit` rows. Each combination of
 * optional filters has a statement of its own (statement.ts `variants`), so each can use its index.
 */
import { CHUNK, ENTITY, EVENT, THING } from '../model.ts';
import { entityVisible, factVisible, rowVisible } from '../visibility.ts';
import { nodeProjection } from './projections.ts';
import { AS_OF, NS, statement, variants, type CypherStatement } from './statement.ts';

/** The visible entities among `$ids` (unknown ids, events and placeholders are left out). */
export const NODES_BY_IDS = statement(
  'nodes by ids',
  `UNWIND $ids AS id
   MATCH (n:${THING} {ns: $ns, id: id})
   USING INDEX SEEK n:${THING}(ns, id)
   WHERE ${entityVisible('n')}
   RETURN ${nodeProjection('n')} AS node`,
  { ...NS, ...AS_OF, ids: 'LIST<STRING>' },
);

/**
 * The stored entities, events and chunks among `$ids`, retracted or not (no visibility rule). A bare
 * placeholder `:Thing` that a fact named before anything described it does not count.
 */
export const EXISTING_IDS = statement(
  'existing ids',
  `UNWIND $ids AS id
   MATCH (n:${THING} {ns: $ns, id: id})
   USING INDEX SEEK n:${THING}(ns, id)
   WHERE n:${ENTITY} OR n:${EVENT} OR n:${CHUNK}
   RETURN n.id AS id`,
  { ...NS, ids: 'LIST<STRING>' },
);

/** The optional filters of a node list; each combination has a statement of its own. */
export const NODE_FILTERS = ['ids', 'kind', 'needle', 'label'] as const;
export type NodeFilterFlag = (typeof NODE_FILTERS)[number];

/**
 * Where a node list starts, so that the planner can seek instead of scanning:
 * - `label`: from the label's concept node, over its HAS_LABEL facts (as many as it has members);
 * - `ids`: a unique-index seek per id;
 * - `kind`: the `(ns, kind, id)` index, which also yields id order, so a page stops after `$limit`;
 * - otherwise the `(ns, id)` constraint index (or, with only `needle`, the text index on searchKey).
 */
function nodeList(on: Readonly<Record<NodeFilterFlag, boolean>>, count: boolean): CypherStatement {
  const filters = [
    ...(on.ids ? ['n.id IN $ids'] : []),
    ...(on.kind ? ['n.kind = $kind'] : []),
    // A composite index is only sought with a predicate on each of its properties.
    count ? 'n.id IS NOT NULL' : 'n.id > $afterId',
    rowVisible('n'),
    ...(on.needle ? ['n.searchKey CONTAINS $needle'] : []),
  ];
  const match = on.label
    ? `MATCH (c:${THING} {ns: $ns, id: $label})<-[f:HAS_LABEL]-(n:${THING}:${ENTITY})
       WHERE ${factVisible('f', 'n', 'c')}
       WITH DISTINCT n
       WHERE ${filters.join('\n         AND ')}`
    : `MATCH (n:${THING}:${ENTITY})
       WHERE n.ns = $ns
         AND ${filters.join('\n         AND ')}`;
  const tail = count
    ? 'RETURN count(n) AS total'
    : `RETURN ${nodeProjection('n')} AS node
       ORDER BY n.id
       LIMIT $limit`;
  const flags = NODE_FILTERS.filter((flag) => on[flag]);
  return statement(
    `find nodes${flags.length > 0 ? ` by ${flags.join(', ')}` : ''} (${count ? 'count' : 'page'})`,
    `${match}
     ${tail}`,
    {
      ...NS, ...AS_OF,
      ...(on.ids ? { ids: 'LIST<STRING>' } : {}),
      ...(on.kind ? { kind: 'STRING' } : {}),
      ...(on.needle ? { needle: 'STRING' } : {}),
      ...(on.label ? { label: 'STRING' } : {}),
      ...(count ? {} : { afterId: 'STRING', limit: 'INTEGER' }),
    },
  );
}

export const FIND_NODES_COUNT = variants(NODE_FILTERS, (on) => nodeList(on, true));
export const FIND_NODES_PAGE = variants(NODE_FILTERS, (on) => nodeList(on, false));

export const NODE_READ_STATEMENTS = [NODES_BY_IDS, EXISTING_IDS, ...FIND_NODES_COUNT.all, ...FIND_NODES_PAGE.all];
