/**
 * DeFi exploit incidents (DeFiHackLabs-style rows) → Incident events. The incident's date is the
 * only time the source gives, so it is both when it happened and when it became known (00:00Z).
 *
 * On-chain participants (attacker, attack and vulnerable contracts, chain) need a chain id for
 * their ids; when the row's chain cannot be resolved they are left out with a warning rather than
 * guessed onto Ethereum, and the event is still kept with its protocol.
 */
import { accountId, chainId, incidentEventId, namedEntityId } from '../../schema/ids.ts';
import { NamePriority, type FactInput, type NodeInput } from '../../schema/graph.ts';
import type { IncidentRow } from '../../schema/records.ts';
import type { Role } from '../../schema/ontology.ts';
import { participation, relation, type Provenance } from './facts.ts';
import { dayStartMs } from './dates.ts';
import { parseLoss } from './loss-text.ts';
import { addressNode, chainNode, uniqueNodes } from './nodes.ts';
import type { ExtractContext, ExtractIssue, ExtractOutput, RecordExtractor } from './types.ts';

export const INCIDENT_EXTRACTOR = 'incidents';
export const INCIDENT_VERSION = '1';

/** One incident row → Incident event, its participants and `EXPLOITED` facts attacker → protocol. */
export function extractIncident(row: IncidentRow, line: number, ctx: ExtractContext): ExtractOutput {
  const prov: Provenance = { sourceId: ctx.sourceId, extractor: INCIDENT_EXTRACTOR, extractorVersion: INCIDENT_VERSION };
  const at = dayStartMs(row.date);
  const id = incidentEventId(row.date, row.protocol);
  const nodes: NodeInput[] = [];
  const facts: FactInput[] = [];
  const issues: ExtractIssue[] = [];
  const take = (role: Role, node: NodeInput): void => {
    nodes.push(node);
    facts.push(participation(prov, id, role, node.id, at, at));
  };

  let protocolId: string | null = null;
  try {
    protocolId = namedEntityId('protocol', row.protocol);
  } catch {
    issues.push({ line, code: 'UNNAMED_PROTOCOL', reason: `incident ${row.incidentId}: protocol "${row.protocol}" has no usable name; protocol not linked`, severity: 'warning' });
  }
  if (protocolId !== null) {
    take('protocol', {
      id: protocolId, kind: 'Protocol', name: row.protocol.trim(), namePriority: NamePriority.derived,
      validFrom: null, recordedAt: at, sourceId: ctx.sourceId,
    });
  }

  const chain = row.chain === null || row.chain.trim() === '' ? null : ctx.chains.resolve(row.chain);
  const chainName = chain === null ? null : ctx.chains.name(chain);
  if (chain === null) {
    const hasAddresses = row.attackerAddresses.length + row.attackContracts.length + row.vulnerableContracts.length > 0;
    const what = row.chain ? `chain "${row.chain}" is not a known chain` : 'no chain is given';
    issues.push({
      line, code: 'UNRESOLVED_CHAIN', severity: 'warning',
      reason: `incident ${row.incidentId}: ${what}${hasAddresses ? '; its addresses are not linked' : ''}`,
    });
  } else {
    take('chain', chainNode(chain, chainName, at, ctx.sourceId));
    for (const a of new Set(row.attackerAddresses)) {
      take('attacker', addressNode('Account', chain, a, at, ctx.sourceId));
      if (protocolId !== null) {
        facts.push(relation(prov, {
          subject: accountId(chain, a), type: 'EXPLOITED', predicate: 'exploited', object: protocolId,
          validFrom: at, recordedAt: at, attrs: { incidentId: row.incidentId },
        }));
      }
    }
    for (const a of new Set(row.attackContracts)) take('attack_contract', addressNode('Contract', chain, a, at, ctx.sourceId));
    for (const a of new Set(row.vulnerableContracts)) take('vulnerable_contract', addressNode('Contract', chain, a, at, ctx.sourceId));
  }

  const where = chain !== null ? ` on ${chainName ?? chainId(chain)}` : row.chain ? ` on ${row.chain}` : '';
  const how = row.attackType ? ` (${row.attackType})` : '';
  const loss = row.lossText ? `, loss ${row.lossText}` : '';
  return {
    nodes: uniqueNodes(nodes),
    events: [{
      id,
      type: 'Incident',
      occurredAt: at,
      // The incident id leads the summary so full-text search finds the event by it.
      summary: `${row.incidentId}: ${row.protocol} exploited${where}${how}${loss}`,
      amounts: parseLoss(row.lossText),
      attrs: {
        incidentId: row.incidentId,
        attackType: row.attackType,
        lossText: row.lossText,
        chain: row.chain,
        chainId: chain,
        forkBlock: row.forkBlock,
        attackTxs: row.attackTxs,
        references: row.references,
        namedAddresses: row.namedAddresses,
      },
      recordedAt: at,
      ...prov,
    }],
    facts,
    issues,
  };
}

/** RecordExtractor for `incidents` files. */
export const incidentExtractor: RecordExtractor<IncidentRow> = {
  name: INCIDENT_EXTRACTOR,
  version: INCIDENT_VERSION,
  extract: extractIncident,
};
