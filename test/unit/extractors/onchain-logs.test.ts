import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeEventLog, parseAbiItem } from 'viem';
import { describe, expect, it } from 'vitest';
import { factId, sourceId, tokenId } from '../../../schema/ids.ts';
import { EthLog, EthTokenTransfer } from '../../../schema/records.ts';
import { createChainRegistry } from '../../../extraction/structured/chain-registry.ts';
import {
  ERC20_TRANSFER_EXTRACTOR, ERC20_TRANSFER_VERSION, TRANSFER_TOPIC, extractErc20TransferLog, extractTokenTransfer,
} from '../../../extraction/structured/erc20-transfer.ts';
import { extractLog } from '../../../extraction/structured/logs.ts';
import { createTokenRegistry } from '../../../extraction/structured/token-registry.ts';
import type { ExtractContext, ExtractOutput, TokenInfo } from '../../../extraction/structured/types.ts';
import { SAMPLE_BLOCKS_DIR } from '../../fixtures/paths.ts';

// --- minimal sample parsing (the real readers are written elsewhere) -------------------------

/** JSON.parse that keeps integers beyond 2^53 as their exact decimal text. */
function parseExact(line: string): Record<string, unknown> {
  return JSON.parse(line, (_key: string, value: unknown, context?: { source?: string }) =>
    typeof value === 'number' && !Number.isSafeInteger(value) && context?.source ? context.source : value);
}

function jsonLines(file: string): Record<string, unknown>[] {
  return readFileSync(join(SAMPLE_BLOCKS_DIR, file), 'utf8').split('\n').filter((l) => l.trim() !== '').map(parseExact);
}

const lower = (v: unknown): string => String(v).toLowerCase();

const LOGS = jsonLines('expected_logs.json').map((r) => EthLog.parse({
  transactionHash: lower(r.transaction_hash), logIndex: r.log_index, blockNumber: r.block_number,
  blockTimestamp: r.block_timestamp ?? null, address: lower(r.address), data: lower(r.data),
  topics: (r.topics as string[]).map(lower),
}));

const TOKEN_TRANSFERS = jsonLines('expected_token_transfers.json').map((r) => EthTokenTransfer.parse({
  tokenAddress: lower(r.token_address), from: lower(r.from_address), to: lower(r.to_address), value: String(r.value),
  transactionHash: lower(r.transaction_hash), logIndex: r.log_index, blockNumber: r.block_number,
  blockTimestamp: r.block_timestamp ?? null,
}));

// --- helpers ------------------------------------------------------------------------------------

const WETH = '0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2';
const WETH_ID = tokenId(1, WETH);
const FIRST_TX = '0xeb107a40ba73a50c79a9f2026e902d758d1c5e5e211f7a7db1b294f88f118dd0';

function context(kind: string, tokens: [string, TokenInfo][] = [], blockTimes = new Map<number, number>()): ExtractContext {
  return {
    sourceId: sourceId(kind, join(SAMPLE_BLOCKS_DIR, kind)),
    file: kind,
    ingestedAt: Date.UTC(2025, 0, 1),
    chainId: 1,
    tokens: createTokenRegistry(tokens),
    chains: createChainRegistry(),
    blockTimes,
  };
}

function merge(outs: ExtractOutput[]): ExtractOutput {
  return {
    nodes: outs.flatMap((o) => o.nodes), events: outs.flatMap((o) => o.events),
    facts: outs.flatMap((o) => o.facts), issues: outs.flatMap((o) => o.issues),
  };
}

function runLogs(ctx: ExtractContext): ExtractOutput {
  return merge(LOGS.map((log, i) => extractLog(log, i + 1, ctx)));
}

const wethKnown: [string, TokenInfo][] = [[WETH_ID, { name: 'Wrapped Ether', symbol: 'WETH', decimals: 18 }]];

// --- tests --------------------------------------------------------------------------------------

describe('eth-logs extraction over the real sample blocks', () => {
  it('yields 291 Transfers: 282 ERC-20 and 9 ERC-721 (token id as 4th topic)', () => {
    const ctx = context('eth-logs');
    const out = runLogs(ctx);
    const transferLogs = LOGS.filter((l) => l.topics[0] === TRANSFER_TOPIC);
    const erc721 = transferLogs.filter((l) => l.topics.length === 4);
    // SOURCES.md counts 291 "ERC-20 Transfer" logs: every log with the Transfer topic, 9 of which
    // are ERC-721 (token id as 4th topic, no data), e.g. Azuki at 0xed5af388….
    expect(transferLogs).toHaveLength(291);
    expect(erc721).toHaveLength(9);
    const transfers = out.events.filter((e) => e.type === 'Transfer');
    expect(transfers).toHaveLength(291);
    expect(transfers.filter((e) => e.attrs.standard === 'erc20')).toHaveLength(282);
    const nft = transfers.filter((e) => e.attrs.standard === 'erc721');
    expect(nft).toHaveLength(9);
    for (const e of nft) {
      const log = erc721.find((l) => e.id === `evt:transfer:eip155:1:${l.transactionHash}:${l.logIndex}`)!;
      expect(e.amounts).toEqual([{
        role: 'tokenId', value: BigInt(log.topics[3]!).toString(), raw: BigInt(log.topics[3]!).toString(),
        decimals: 0, unit: null, token: `eip155:1/erc721:${log.address}`,
      }]);
      expect(ctx.tokens.get(`eip155:1/erc721:${log.address}`)?.standard).toBe('erc721');
    }
  });

  it('yields 79 Uniswap Swaps (69 V2, 10 V3) and 61 WETH Deposit/Withdrawal events', () => {
    const out = runLogs(context('eth-logs'));
    const swaps = out.events.filter((e) => e.type === 'Swap');
    expect(swaps).toHaveLength(79);
    expect(swaps.filter((e) => e.attrs.protocol === 'uniswap-v2')).toHaveLength(69);
    expect(swaps.filter((e) => e.attrs.protocol === 'uniswap-v3')).toHaveLength(10);
    const deposits = out.events.filter((e) => e.type === 'Deposit').length;
    const withdrawals = out.events.filter((e) => e.type === 'Withdrawal').length;
    expect(deposits + withdrawals).toBe(61);
    expect([deposits, withdrawals]).toEqual([30, 31]);
    // Nothing in the sample is malformed or undated; the only caveats are unknown decimals.
    expect(out.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(new Set(out.issues.map((i) => i.code))).toEqual(new Set(['UNKNOWN_DECIMALS']));
  });

  it('scales the first WETH transfer when WETH has 18 decimals', () => {
    const ctx = context('eth-logs', wethKnown);
    const log = LOGS.find((l) => l.transactionHash === FIRST_TX && l.logIndex === 0)!;
    const out = extractLog(log, 1, ctx);
    expect(out.issues).toEqual([]);
    const [event] = out.events;
    expect(event?.id).toBe(`evt:transfer:eip155:1:${FIRST_TX}:0`);
    expect(event?.amounts).toEqual([{
      role: 'value', value: '7.056176614974947328', raw: '7056176614974947328', decimals: 18, unit: 'WETH', token: WETH_ID,
    }]);
    // Addresses are shown in EIP-55 form: 0x6b75d8AF… is the real checksum of this address.
    expect(event?.summary).toBe('Transfer of 7.056176614974947328 WETH from 0x6b75…9A80 to 0x7054…775C');
    expect(event?.occurredAt).toBe(1683029999 * 1000);
    expect(event?.recordedAt).toBe(event?.occurredAt);
    expect(event?.attrs).toEqual({ txHash: FIRST_TX, logIndex: 0, standard: 'erc20', blockNumber: 17173049, chainId: 1 });
    const token = out.nodes.find((n) => n.id === WETH_ID);
    expect(token).toMatchObject({ kind: 'Token', name: 'WETH', attrs: { address: '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2', chainId: 1, symbol: 'WETH', decimals: 18 } });
    const from = out.nodes.find((n) => n.id === 'eip155:1:0x6b75d8af000000e20b7a7ddf000ba900b4009a80');
    expect(from).toMatchObject({ kind: 'Account', name: '0x6b75d8AF000000e20B7a7DDf000Ba900b4009A80', namePriority: 0 });
  });

  it('keeps the raw value and warns when the token decimals are unknown', () => {
    const log = LOGS.find((l) => l.transactionHash === FIRST_TX && l.logIndex === 0)!;
    const out = extractLog(log, 7, context('eth-logs'));
    expect(out.events[0]?.amounts).toEqual([{
      role: 'value', value: null, raw: '7056176614974947328', decimals: null, unit: null, token: WETH_ID,
    }]);
    expect(out.issues).toEqual([{
      line: 7, code: 'UNKNOWN_DECIMALS', severity: 'warning',
      reason: 'token 0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2 has unknown decimals; raw value 7056176614974947328 kept',
    }]);
    expect(out.nodes.find((n) => n.id === WETH_ID)?.name).toBe('0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2');
  });

  it('builds participation facts with provenance and ids from factId()', () => {
    const ctx = context('eth-logs', wethKnown);
    const log = LOGS.find((l) => l.transactionHash === FIRST_TX && l.logIndex === 0)!;
    const { events, facts } = extractLog(log, 1, ctx);
    const event = events[0]!;
    expect(facts.map((f) => f.role)).toEqual(['from', 'to', 'token']);
    for (const f of facts) {
      expect(f).toMatchObject({
        subject: event.id, type: 'PARTICIPANT', predicate: f.role, confidence: 1, validFrom: event.occurredAt,
        validTo: null, recordedAt: event.recordedAt, chunkId: null, attrs: {}, sourceId: ctx.sourceId,
        extractor: ERC20_TRANSFER_EXTRACTOR, extractorVersion: ERC20_TRANSFER_VERSION,
      });
      expect(f.id).toBe(factId({
        subject: event.id, type: 'PARTICIPANT', object: f.object, role: f.role, sourceId: ctx.sourceId,
        extractor: ERC20_TRANSFER_EXTRACTOR, extractorVersion: ERC20_TRANSFER_VERSION,
      }));
    }
  });

  it('decodes Transfer logs exactly as viem decodeEventLog does', () => {
    const abi = [parseAbiItem('event Transfer(address indexed from, address indexed to, uint256 value)')];
    const ctx = context('eth-logs', [], new Map());
    const erc20 = LOGS.filter((l) => l.topics[0] === TRANSFER_TOPIC && l.topics.length === 3);
    expect(erc20).toHaveLength(282);
    for (const log of erc20) {
      const { args } = decodeEventLog({ abi, data: log.data as `0x${string}`, topics: log.topics as [`0x${string}`, ...`0x${string}`[]] });
      const out = extractErc20TransferLog(log, 1, ctx);
      const byRole = Object.fromEntries(out.facts.map((f) => [f.role, f.object]));
      expect(byRole.from).toBe(`eip155:1:${args.from.toLowerCase()}`);
      expect(byRole.to).toBe(`eip155:1:${args.to.toLowerCase()}`);
      expect(out.events[0]?.amounts[0]?.raw).toBe(args.value.toString());
    }
  });

  it('decodes signed V3 swap amounts and pool state', () => {
    const out = runLogs(context('eth-logs'));
    const v3 = out.events.find((e) => e.attrs.protocol === 'uniswap-v3')!;
    expect(v3.amounts.map((a) => a.role)).toEqual(['amount0', 'amount1']);
    expect(v3.amounts.some((a) => a.raw?.startsWith('-'))).toBe(true);
    expect(v3.attrs).toMatchObject({ sqrtPriceX96: expect.stringMatching(/^\d+$/), liquidity: expect.stringMatching(/^\d+$/) });
    expect(typeof v3.attrs.tick).toBe('number');
    const roles = out.facts.filter((f) => f.subject === v3.id).map((f) => f.role);
    expect(roles).toEqual(['pool', 'sender', 'recipient']);
    const v3Log = LOGS.find((l) => l.transactionHash === v3.attrs.txHash && l.logIndex === v3.attrs.logIndex)!;
    const own = extractLog(v3Log, 1, context('eth-logs'));
    expect(own.events).toEqual([v3]);
    const poolId = own.facts.find((f) => f.role === 'pool')?.object;
    expect(poolId).toBe(`eip155:1:${v3Log.address}`);
    expect(own.nodes.find((n) => n.id === poolId)).toMatchObject({ kind: 'Pool', attrs: { protocol: 'uniswap-v3' } });
    const v2 = out.events.find((e) => e.attrs.protocol === 'uniswap-v2')!;
    expect(v2.amounts.map((a) => a.role)).toEqual(['amount0In', 'amount1In', 'amount0Out', 'amount1Out']);
  });

  it('scales WETH deposits by the registered decimals', () => {
    const out = runLogs(context('eth-logs', wethKnown));
    const deposit = out.events.find((e) => e.type === 'Deposit')!;
    expect(deposit.amounts[0]).toMatchObject({ unit: 'WETH', decimals: 18, token: WETH_ID });
    expect(deposit.amounts[0]?.value).toMatch(/^\d+(\.\d+)?$/);
    expect(out.facts.filter((f) => f.subject === deposit.id).map((f) => f.role)).toEqual(['owner', 'token']);
  });

  it('is deterministic: two runs give identical output and fact ids', () => {
    const a = runLogs(context('eth-logs', wethKnown));
    const b = runLogs(context('eth-logs', wethKnown));
    expect(b).toEqual(a);
    expect(new Set(a.facts.map((f) => f.id)).size).toBe(a.facts.length);
  });
});

describe('token transfers and logs agree', () => {
  it('gives the same Transfer ids and content from either file', () => {
    const fromLogs = runLogs(context('eth-logs', wethKnown)).events.filter((e) => e.type === 'Transfer');
    const rowCtx = context('eth-token-transfers', wethKnown);
    const fromRows = merge(TOKEN_TRANSFERS.map((r, i) => extractTokenTransfer(r, i + 1, rowCtx))).events;
    expect(TOKEN_TRANSFERS).toHaveLength(291);
    expect(fromRows).toHaveLength(291);
    const rowsById = new Map(fromRows.map((e) => [e.id, e]));
    // Every ERC-20 transfer decoded from a log is the same event as its token-transfer row, except
    // for provenance (which source said so).
    for (const e of fromLogs.filter((x) => x.attrs.standard === 'erc20')) {
      const { sourceId: _a, ...content } = e;
      const { sourceId: _b, ...rowContent } = rowsById.get(e.id)!;
      expect(rowContent).toEqual(content);
    }
    // ethereum-etl also exports ERC-721 transfers as token-transfer rows (value = token id); a row
    // alone cannot tell them apart, so after the logs the run's registry knows the collections.
    expect(new Set(fromRows.map((e) => e.id))).toEqual(new Set(fromLogs.map((e) => e.id)));
  });

  it('recognises ERC-721 rows once the logs have registered the collection', () => {
    const tokens = createTokenRegistry(wethKnown);
    const logCtx = { ...context('eth-logs'), tokens };
    const fromLogs = runLogs(logCtx).events.filter((e) => e.attrs.standard === 'erc721');
    const rowCtx = { ...context('eth-token-transfers'), tokens };
    const fromRows = merge(TOKEN_TRANSFERS.map((r, i) => extractTokenTransfer(r, i + 1, rowCtx))).events
      .filter((e) => e.attrs.standard === 'erc721');
    expect(fromRows.map(({ sourceId: _s, ...rest }) => rest)).toEqual(fromLogs.map(({ sourceId: _s, ...rest }) => rest));
  });
});

describe('problem records', () => {
  const base = LOGS.find((l) => l.transactionHash === FIRST_TX && l.logIndex === 0)!;

  it('reports a missing block time, and uses a block time seen earlier in the run', () => {
    const undated = { ...base, blockTimestamp: null };
    const out = extractLog(undated, 3, context('eth-logs'));
    expect(out.events).toEqual([]);
    expect(out.issues).toEqual([{
      line: 3, code: 'MISSING_BLOCK_TIME', severity: 'error',
      reason: 'block 17173049 has no timestamp; ingest its blocks file in the same run',
    }]);
    const known = extractLog(undated, 3, context('eth-logs', [], new Map([[17173049, 1683029999]])));
    expect(known.events[0]?.occurredAt).toBe(1683029999000);
  });

  it('names tx hash, log index and reason for a malformed known log', () => {
    const out = extractLog({ ...base, data: `${base.data}${'00'.repeat(32)}` }, 5, context('eth-logs'));
    expect(out.events).toEqual([]);
    expect(out.issues).toHaveLength(1);
    expect(out.issues[0]).toMatchObject({ line: 5, code: 'MALFORMED_LOG', severity: 'error' });
    expect(out.issues[0]?.reason).toContain(FIRST_TX);
    expect(out.issues[0]?.reason).toContain('#0');
    expect(out.issues[0]?.reason).toContain('expected 32 bytes of data, got 64');

    const swap = LOGS.find((l) => l.topics[0] === '0xd78ad95fa46c994b6551d0da85fc275fe613ce37657fb8d5e3d130840159d822')!;
    const badSwap = extractLog({ ...swap, data: '0x00' }, 9, context('eth-logs'));
    expect(badSwap.issues[0]).toMatchObject({ code: 'MALFORMED_LOG', severity: 'error' });
    expect(badSwap.issues[0]?.reason).toContain(`${swap.transactionHash} #${swap.logIndex}`);

    const badTopic = extractLog({ ...base, topics: [TRANSFER_TOPIC, `0x${'f'.repeat(64)}`, base.topics[2]!] }, 2, context('eth-logs'));
    expect(badTopic.issues[0]?.reason).toContain('topic 1 is not a zero-padded address');
  });

  it('ignores logs with an unknown topic or no topics', () => {
    const approval = LOGS.find((l) => l.topics[0] === '0x8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925')!;
    expect(extractLog(approval, 1, context('eth-logs'))).toEqual({ nodes: [], events: [], facts: [], issues: [] });
    expect(extractLog({ ...base, topics: [] }, 1, context('eth-logs'))).toEqual({ nodes: [], events: [], facts: [], issues: [] });
  });
});
