/** GraphiQL settings: opens on a query that tours the graph, so a first visit shows real data. */
import type { GraphiQLOptions } from 'graphql-yoga';

export const DEFAULT_QUERY = /* GraphQL */ `# MarketGraph: a bi-temporal knowledge graph of market and on-chain data.
# Add asOf: "2024-01-01" to any root field to see the graph as it was known then.

query Tour {
  stats {
    entities
    events
    facts
    entitiesByKind { key count }
    eventsByType { key count }
  }
  events(first: 5) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        id
        type
        occurredAt
        summary
        amounts { role value unit }
        participants { role entity { id name kind labels } }
      }
    }
  }
  search(text: "usdc", first: 5) {
    target
    label
    name
    score
  }
}
`;

export function graphiqlOptions(option: boolean | GraphiQLOptions): GraphiQLOptions | false {
  if (option === false) return false;
  const defaults: GraphiQLOptions = { title: 'MarketGraph GraphiQL', defaultQuery: DEFAULT_QUERY };
  return option === true ? defaults : { ...defaults, ...option };
}
