/**
 * MarketGraph as a LangChain retriever: prints the Documents for a question.
 * Usage: node examples/langchain-retriever.ts --db FILE [--as-of 2024-12-26] "question"
 */
import { parseArgs } from 'node:util';
import { SqliteGraphStore } from '../graph/sqlite/sqlite-graph-store.ts';
import { MarketGraphRetriever } from '../pipelines/retrieval/langchain-retriever.ts';

const { values, positionals } = parseArgs({
  options: { db: { type: 'string' }, 'as-of': { type: 'string' }, budget: { type: 'string' } },
  allowPositionals: true,
});
if (!values.db || positionals.length === 0) {
  console.error('usage: node examples/langchain-retriever.ts --db FILE [--as-of DATE] [--budget N] "question"');
  process.exit(2);
}
const graph = SqliteGraphStore.open(values.db);
try {
  const retriever = new MarketGraphRetriever({
    graph,
    asOf: values['as-of'] ? Date.parse(values['as-of']) : null,
    tokenBudget: values.budget ? Number(values.budget) : 1000,
  });
  for (const doc of await retriever.invoke(positionals.join(' '))) {
    console.log(doc.pageContent);
    console.log('  ', JSON.stringify(doc.metadata));
  }
} finally {
  await graph.close();
}
