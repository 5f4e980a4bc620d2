/**
 * Address labels (Etherscan-style lists) → a curated name for the account, plus one Concept node
 * per label and a `HAS_LABEL` fact account → concept. Labels and categories share the
 * `concept:label:` namespace so a node filter by label finds either; the fact's predicate keeps
 * which one the source said (`label` or `category`).
 */
import { conceptId } from '../../schema/ids.ts';
import { NamePriority, type FactInput, type NodeInput } from '../../schema/graph.ts';
import type { AddressLabel } from '../../schema/records.ts';
import { relation, type Provenance } from './facts.ts';
import { addressNode } from './nodes.ts';
import type { ExtractContext, ExtractOutput, RecordExtractor } from './types.ts';

export const ADDRESS_LABELS_EXTRACTOR = 'address-labels';
export const ADDRESS_LABELS_VERSION = '1';

/** One labelled address → Account node (curated name when given), label concepts and facts. */
export function extractAddressLabel(label: AddressLabel, _line: number, ctx: ExtractContext): ExtractOutput {
  const prov: Provenance = { sourceId: ctx.sourceId, extractor: ADDRESS_LABELS_EXTRACTOR, extractorVersion: ADDRESS_LABELS_VERSION };
  // We do not know when a label became true; recording it at ingest time does not pretend we do.
  const recordedAt = ctx.ingestedAt;
  const account = addressNode('Account', label.chainId, label.address, recordedAt, ctx.sourceId);
  const name = label.name?.trim();
  if (name) {
    account.name = name;
    account.namePriority = NamePriority.curated;
  }
  const nodes: NodeInput[] = [account];
  const facts: FactInput[] = [];
  const seen = new Set<string>();
  const tag = (text: string, predicate: 'label' | 'category'): void => {
    let id: string;
    try {
      id = conceptId('label', text);
    } catch {
      return; // A label with no letters or digits names nothing.
    }
    if (seen.has(id)) return;
    seen.add(id);
    nodes.push({
      id, kind: 'Concept', name: text.trim(), namePriority: NamePriority.derived,
      attrs: { namespace: 'label' }, validFrom: null, recordedAt, sourceId: ctx.sourceId,
    });
    facts.push(relation(prov, { subject: account.id, type: 'HAS_LABEL', predicate, object: id, validFrom: null, recordedAt }));
  };
  for (const l of label.labels) tag(l, 'label');
  if (label.category) tag(label.category, 'category');
  return { nodes, events: [], facts, issues: [] };
}

/** RecordExtractor for `address-labels` files. */
export const addressLabelExtractor: RecordExtractor<AddressLabel> = {
  name: ADDRESS_LABELS_EXTRACTOR,
  version: ADDRESS_LABELS_VERSION,
  extract: extractAddressLabel,
};
