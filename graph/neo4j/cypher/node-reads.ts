/**
 * Entity reads. Lists are keyset-paginated on `id`: `n.ns = $ns AND n.id > $afterId` (with `''`
 * before the first page, so every page has the same shape) can be answered by a range seek on the
 * `(ns, id)` constraint index, which also yields id order, so a page stops after `$limit` rows.
 * Optional filters are null-tolerant parameters, so each list is one statement; the `ids` filter
 * has statements of its own to keep its index seek.
 */
import { CHUNK, ENTITY, EVENT, THING } from '../model.ts';
import { entityVisible, factVisible, rowVisible } from '../visibility.ts';
import { nodeProjection } from './projections.ts';
import { AS_OF, NS, statement, type CypherStatement } from './statement.ts';

/** The visible entities among `$ids` (unknown ids, events and placeholders are left out). */
export const NODES_BY_IDS = statement(
  'nodes by ids',
  `UNWIND $ids AS id
   MATCH (n:${THING} {ns: $ns, id: id})
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
   WHERE n:${ENTITY} OR n:${EVENT} OR n:${CHUNK}
   RETURN n.id AS id`,
  { ...NS, ids: 'LIST<STRING>' },
);

const FILTER_PARAMS = { kind: 'STRING', needle: 'STRING', label: 'STRING' } as const;

function findNodes(byIds: boolean, count: boolean): CypherStatement {
  const where = [
    `n.ns = $ns`,
    ...(byIds ? ['n.id IN $ids'] : []),
    ...(count ? [] : ['n.id > $afterId']),
    rowVisible('n'),
    '($kind IS NULL OR n.kind = $kind)',
    '($needle IS NULL OR n.searchKey CONTAINS $needle)',
    `($label IS NULL OR EXISTS {
       MATCH (n)-[f:HAS_LABEL]->(c:${THING} {ns: $ns, id: $label})
       WHERE ${factVisible('f', 'n', 'c')}
     })`,
  ];
  const tail = count
    ? 'RETURN count(n) AS total'
    : `RETURN ${nodeProjection('n')} AS node
       ORDER BY n.id
       LIMIT $limit`;
  return statement(
    `find nodes${byIds ? ' by ids' : ''} (${count ? 'count' : 'page'})`,
    `MATCH (n:${THING}:${ENTITY})
     WHERE ${where.join('\n       AND ')}
     ${tail}`,
    {
      ...NS, ...AS_OF, ...FILTER_PARAMS,
      ...(byIds ? { ids: 'LIST<STRING>' } : {}),
      ...(count ? {} : { afterId: 'STRING', limit: 'INTEGER' }),
    },
  );
}

export const FIND_NODES_COUNT = findNodes(false, true);
export const FIND_NODES_PAGE = findNodes(false, false);
export const FIND_NODES_BY_IDS_COUNT = findNodes(true, true);
export const FIND_NODES_BY_IDS_PAGE = findNodes(true, false);

export const NODE_READ_STATEMENTS = [
  NODES_BY_IDS, EXISTING_IDS, FIND_NODES_COUNT, FIND_NODES_PAGE, FIND_NODES_BY_IDS_COUNT, FIND_NODES_BY_IDS_PAGE,
];
