import { describe, expect, it } from 'vitest';
import { IssueLog } from '../../../pipelines/ingest/issue-log.ts';

describe('IssueLog', () => {
  it('keeps every error and folds repeated warnings into one row with a count', () => {
    const log = new IssueLog('/data/t.json', 'src:x', 1);
    log.error(3, 'INVALID_RECORD', 'bad address', 'x'.repeat(2000));
    for (let line = 10; line < 15; line++) log.warning(line, 'UNKNOWN_DECIMALS', 'token 0xAb has unknown decimals');
    log.warning(20, 'UNKNOWN_DECIMALS', 'token 0xCd has unknown decimals');
    const errors = log.takeErrors();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ file: '/data/t.json', line: 3, severity: 'error', sourceId: 'src:x' });
    expect(errors[0]!.raw!.length).toBeLessThanOrEqual(500);
    expect(log.takeErrors()).toEqual([]);
    const warnings = log.takeWarnings();
    expect(warnings.map((w) => w.reason)).toEqual([
      'token 0xAb has unknown decimals (applies to 5 records, first at line 10)',
      'token 0xCd has unknown decimals',
    ]);
    expect([log.errors, log.warnings]).toEqual([1, 2]);
  });
});
