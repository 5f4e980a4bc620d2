import { MarketGraphError } from '../schema/errors.ts';
import { parseConfig } from '../schema/config.ts';
import { runDemo } from './commands/demo.ts';
import { runEmbed } from './commands/embed.ts';
import { runExport } from './commands/export.ts';
import { runIngest } from './commands/ingest.ts';
import { runInduceSchema } from './commands/induce-schema.ts';
import { runResolve } from './commands/resolve.ts';
import { runReextract } from './commands/reextract.ts';
import { runJobs } from './commands/jobs.ts';
import { runWorker } from './commands/worker.ts';
import { runMigrate } from './commands/migrate.ts';
import { runReconcileVectors } from './commands/reconcile-vectors.ts';
import { runRejects } from './commands/rejects.ts';
import { runServe } from './commands/serve.ts';
import { createOutput } from './output.ts';

const USAGE = `Usage: mkg <command> [options]

Commands:
  ingest <path...>   Ingest files or directories (kinds are auto-detected)
      --db FILE            Use this SQLite file as the graph store (overrides $MKG_GRAPH and $MKG_DB;
                           default: the store $MKG_GRAPH names, SQLite at $MKG_DB or .mkg/graph.db)
      --json               Print the summary as JSON on stdout
      --chain N            Chain id for files that do not name one (default 1)
      --symbol SYM         Symbol of a single-series OHLCV file (default: from its name)
      --label-columns MAP  CSV label list columns, e.g. address=Address,name=Name Tag,category=Labels
      --chunk-tokens N     Most tokens per document chunk (default 400)
      --no-vectors         Do not embed document chunks into the vector store
      --no-schema          Do not run schema induction and resolution after reading documents
                     Documents (.md, .txt, JSONL with a text field) are read with the LLM extractor when
                     OPENAI_BASE_URL/OPENAI_API_KEY is set (answers cached in MKG_LLM_CACHE), else offline rules
  induce-schema      Conceptualise named entities and text events into Concept nodes (INSTANCE_OF,
                     BROADER): the configured LLM, else the offline taxonomy; incremental
      --db FILE  --json
  resolve            Record SAME_AS facts between named entities that are the same thing (name, alias,
                     embedding similarity; never two addresses); reversible, idempotent
      --db FILE  --json
  reextract          Re-run the current extractors over a selection and apply the diff: new facts
                     added, facts no longer produced retracted (never deleted), the rest untouched
      --source ID  --extractor NAME [--extractor-version V]  --from DATE  --to DATE  --entity ID
      --detector priceMove.k=2.5 (repeatable: priceMove.window|k, drawdown.threshold, volumeSpike.window|multiple)
      --dry-run (diff only)  --no-wait (queue and return)  --json  --db FILE
  jobs               List jobs with status, counts, timings, errors and LLM usage
      --status queued|running|completed|failed|cancelled  --kind K  --first N  --json  --db FILE
  worker             Run queued jobs from BullMQ (needs REDIS_URL); any number, on any machine
      --db FILE  --concurrency N  --kinds ingest,reextract,induceSchema,embed
  serve              Serve the GraphQL API (GraphiQL at /graphql)
      --db FILE  --port N (default $PORT or 4000)  --host H (default $HOST or 127.0.0.1)
  rejects            List rejected records and warnings
      --db FILE  --source ID  --severity error|warning  --first N  --json
  migrate            Create the graph store's constraints and indexes (Neo4j); SQLite migrates on open
      --db FILE
  reconcile-vectors  Bring the vector store in line with the graph: retract, restore or delete
                     vectors as the graph says (repairs a crash between the two stores; idempotent)
      --db FILE
  embed              Give entities and events (all but bulk transfers/swaps/deposits/withdrawals)
                     vectors keyed by graph id: the OpenAI-compatible MKG_EMBED_MODEL when
                     OPENAI_BASE_URL/OPENAI_API_KEY is set, else the offline hashing embedder
      --db FILE
  export             Write everything the SQLite store holds (retracted rows included) as bulk-import
                     files for another store, with the exact command to load them
      --format neo4j-admin  (required; the only format) CSV files for \`neo4j-admin database import full\`
                           and DIR/neo4j-admin-import.sh; afterwards run \`mkg migrate\` with MKG_GRAPH=neo4j
      --out DIR (required; must be empty unless --force)  --db FILE  --namespace NS (default '')  --json
  demo               Build the demo graph from generated + packaged data and serve it (npm start)
      --db FILE  --port N  --host H   (always a fresh SQLite file, whatever $MKG_GRAPH says)

Stores: MKG_GRAPH=sqlite|neo4j and MKG_VECTORS=sqlite|qdrant pick them (see .env.example).
serve, ingest, rejects, reconcile-vectors and embed check the configured stores first and stop with what is wrong.
`;

/** Runs one `mkg` command and returns the process exit code. */
export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const out = createOutput();
  const [command, ...rest] = argv;
  try {
    const config = parseConfig(env);
    switch (command) {
      case 'ingest':
        return await runIngest(rest, config, out);
      case 'serve':
        return await runServe(rest, config, out);
      case 'induce-schema':
        return await runInduceSchema(rest, config, out);
      case 'resolve':
        return await runResolve(rest, config, out);
      case 'reextract':
        return await runReextract(rest, config, out);
      case 'jobs':
        return await runJobs(rest, config, out);
      case 'worker':
        return await runWorker(rest, config, out);
      case 'rejects':
        return await runRejects(rest, config, out);
      case 'migrate':
        return await runMigrate(rest, config, out);
      case 'reconcile-vectors':
        return await runReconcileVectors(rest, config, out);
      case 'embed':
        return await runEmbed(rest, config, out);
      case 'export':
        return await runExport(rest, config, out);
      case 'demo':
        return await runDemo(rest, config, out);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        out.stdout(USAGE);
        return command === undefined ? 1 : 0;
      default:
        out.stderr(`mkg: unknown command "${command}"\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof MarketGraphError) {
      out.stderr(`mkg: ${error.message}\n`);
      return error.code === 'INVALID_ARGUMENT' || error.code === 'CONFIG_INVALID' ? 2 : 1;
    }
    throw error;
  }
}
