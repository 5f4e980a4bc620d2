/**
 * The `eth-transactions` extractor: contract creations. A transaction whose receipt names a
 * contract address deployed that contract; the result is a Contract node, a Deployment event
 * (deployer, contract) and a `DEPLOYED` fact deployer → contract. Other transactions carry no event
 * here: their value movements are seen more precisely through logs.
 */
import { logEventId } from '../../schema/ids.ts';
import type { EthTransaction } from '../../schema/records.ts';
import { emptyOutput, issueOutput, participation, relation, type Provenance } from './facts.ts';
import { accountNode, addressNode, checksum, shortAddress } from './nodes.ts';
import { blockTimeMs, missingBlockTimeIssue } from './onchain.ts';
import type { ExtractContext, ExtractOutput, RecordExtractor } from './types.ts';

export const DEPLOYMENT_EXTRACTOR = 'contract-deployment';
export const DEPLOYMENT_VERSION = '1';

/**
 * A contract-creating transaction → Deployment. The id uses log index 0: a transaction creates at
 * most one contract at top level, and the tx hash alone makes the id unique. A failed creation
 * (receipt status 0) deployed nothing and yields nothing.
 */
export function extractTransaction(tx: EthTransaction, line: number, ctx: ExtractContext): ExtractOutput {
  const contractAddress = tx.receiptContractAddress;
  if (contractAddress === null || tx.receiptStatus === 0) return emptyOutput();
  const occurredAt = blockTimeMs(tx.blockNumber, tx.blockTimestamp, ctx);
  if (occurredAt === null) return issueOutput(missingBlockTimeIssue(line, tx.blockNumber));

  const chain = ctx.chainId;
  const prov: Provenance = { sourceId: ctx.sourceId, extractor: DEPLOYMENT_EXTRACTOR, extractorVersion: DEPLOYMENT_VERSION };
  const id = logEventId('deployment', chain, tx.hash, 0);
  const deployer = accountNode(chain, tx.from, occurredAt, ctx.sourceId);
  const contract = addressNode('Contract', chain, contractAddress, occurredAt, ctx.sourceId, {
    deployer: checksum(tx.from), deployTx: tx.hash, deployBlock: tx.blockNumber,
  });
  return {
    nodes: [deployer, contract],
    events: [{
      id,
      type: 'Deployment',
      occurredAt,
      summary: `Deployment of contract ${shortAddress(contractAddress)} by ${shortAddress(tx.from)}`,
      amounts: [],
      attrs: { txHash: tx.hash, blockNumber: tx.blockNumber, transactionIndex: tx.transactionIndex, chainId: chain },
      recordedAt: occurredAt,
      ...prov,
    }],
    facts: [
      participation(prov, id, 'deployer', deployer.id, occurredAt, occurredAt),
      participation(prov, id, 'contract', contract.id, occurredAt, occurredAt),
      relation(prov, {
        subject: deployer.id, type: 'DEPLOYED', predicate: 'deployed', object: contract.id,
        validFrom: occurredAt, recordedAt: occurredAt, attrs: { txHash: tx.hash },
      }),
    ],
    issues: [],
  };
}

/** RecordExtractor for `eth-transactions` files. */
export const transactionExtractor: RecordExtractor<EthTransaction> = {
  name: DEPLOYMENT_EXTRACTOR,
  version: DEPLOYMENT_VERSION,
  extract: extractTransaction,
};
