import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../schema/config.ts';
import { ConfigError } from '../../../schema/errors.ts';
import { decodeCursor, encodeCursor } from '../../../schema/pagination.ts';

describe('config', () => {
  it('has defaults that need no service', () => {
    const c = parseConfig({});
    expect(c).toMatchObject({ port: 4000, host: '127.0.0.1', batchSize: 50_000, graphqlMaxDepth: 12, defaultChainId: 1, logJson: false });
    expect(c.dbPath).toMatch(/\.mkg\/graph\.db$/);
  });

  it('reads and coerces the environment, ignoring empty values', () => {
    const c = parseConfig({ PORT: '8080', MKG_DB: ':memory:', MKG_BATCH_SIZE: '', MKG_LOG_JSON: '1' });
    expect(c).toMatchObject({ port: 8080, dbPath: ':memory:', batchSize: 50_000, logJson: true });
  });

  it('names the variable that is wrong', () => {
    expect(() => parseConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => parseConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => parseConfig({ MKG_BATCH_SIZE: '0' })).toThrow(/MKG_BATCH_SIZE/);
  });
});

describe('cursors', () => {
  it('round-trip and reject anything else', () => {
    expect(decodeCursor(encodeCursor([1683029999000, 'evt:x']))).toEqual([1683029999000, 'evt:x']);
    expect(() => decodeCursor('not-a-cursor')).toThrow(/not a cursor/);
    expect(() => decodeCursor(Buffer.from('{"a":1}').toString('base64url'))).toThrow(/not a cursor/);
  });
});
