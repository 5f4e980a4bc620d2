/**
 * The GraphStore contract: every adapter runs this suite through its own test file, e.g.
 * `graphStoreContract('sqlite', async () => SqliteGraphStore.open(tempFile()))`. Each test gets a
 * fresh store from `open` and closes it afterwards; nothing is shared between tests.
 */
import { afterEach, beforeEach, describe } from 'vitest';
import type { GraphStore } from '../../graph/graph-store.ts';
import type { Millis } from '../../schema/graph.ts';
import { adminContract } from './graph-store-admin.contract.ts';
import { chunksContract } from './graph-store-chunks.contract.ts';
import { propertyContract } from './graph-store-property.contract.ts';
import { readsContract } from './graph-store-reads.contract.ts';
import { reextractContract } from './graph-store-reextract.contract.ts';
import { searchContract } from './graph-store-search.contract.ts';
import { temporalContract } from './graph-store-temporal.contract.ts';
import { writesContract } from './graph-store-writes.contract.ts';

/**
 * Adapter-side operations the port does not offer yet. Tests that need one are skipped when the
 * adapter under test does not provide it.
 */
export interface GraphStoreContractHooks {
  /** Sets `retractedAt = at` on the nodes, events, facts and chunks with these ids (now also `GraphStore.retract`). */
  retract?: (store: GraphStore, ids: string[], at: Millis) => Promise<void>;
  /** Sets `validTo = at` on the nodes and facts with these ids (NodeInput has no validTo). */
  endValidity?: (store: GraphStore, ids: string[], at: Millis) => Promise<void>;
}

/** What each part of the suite gets: the current test's store, the factory and the hooks. */
export interface GraphContractContext {
  store: () => GraphStore;
  open: () => Promise<GraphStore>;
  hooks: GraphStoreContractHooks;
}

export function graphStoreContract(
  name: string,
  open: () => Promise<GraphStore>,
  hooks: GraphStoreContractHooks = {},
): void {
  describe(`GraphStore contract: ${name}`, () => {
    let current: GraphStore | null = null;
    beforeEach(async () => {
      current = await open();
    });
    afterEach(async () => {
      await current?.close();
      current = null;
    });
    const ctx: GraphContractContext = {
      store: () => {
        if (current === null) throw new Error('no store open outside a test');
        return current;
      },
      open,
      hooks,
    };
    describe('writes', () => writesContract(ctx));
    describe('reads', () => readsContract(ctx));
    describe('bi-temporal visibility', () => temporalContract(ctx));
    describe('search', () => searchContract(ctx));
    describe('sources, rejects and stats', () => adminContract(ctx));
    describe('chunks and schema counts', () => chunksContract(ctx));
    describe('properties', () => propertyContract(ctx));
    describe('re-extraction: factsOfSource and retract', () => reextractContract(ctx));
  });
}
