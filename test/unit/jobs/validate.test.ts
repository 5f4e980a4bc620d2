import { describe, expect, it } from 'vitest';
import { MAX_JOB_INPUT_BYTES } from '../../../pipelines/jobs/job.ts';
import { dedupeKey, validateJobInput } from '../../../pipelines/jobs/validate.ts';
import { InvalidArgumentError } from '../../../schema/errors.ts';

describe('validateJobInput', () => {
  it('returns the kind and the input with defaults applied', () => {
    expect(validateJobInput('reextract', { source: 's' })).toEqual({ kind: 'reextract', input: { source: 's', dryRun: false } });
    expect(validateJobInput('ingest', { paths: ['a.csv'] })).toEqual({ kind: 'ingest', input: { paths: ['a.csv'], uploads: [] } });
    expect(validateJobInput('induceSchema', undefined)).toEqual({ kind: 'induceSchema', input: {} });
  });

  it('names an unknown kind and the known ones', () => {
    expect(() => validateJobInput('reindex', {})).toThrow(
      new InvalidArgumentError('kind', 'unknown job kind "reindex"; one of ingest, reextract, induceSchema, embed'),
    );
  });

  it('names the size and the limit of an oversized input', () => {
    const input = { paths: ['x'.repeat(100)], uploads: [{ name: 'a.csv', content: 'y'.repeat(MAX_JOB_INPUT_BYTES) }] };
    expect(() => validateJobInput('ingest', input)).toThrow(/Invalid argument input: \d+ bytes as JSON, over the limit of 65536 bytes/);
  });

  it('names the field path and the reason of a malformed selection', () => {
    expect(() => validateJobInput('reextract', { source: 's', from: -1 })).toThrow(/Invalid argument input\.from: /);
    expect(() => validateJobInput('reextract', { extractorVersion: '2', source: 's' })).toThrow(/input\.extractorVersion: extractorVersion needs extractor/);
    expect(() => validateJobInput('reextract', { source: 's', bogus: 1 })).toThrow(/bogus/);
    expect(() => validateJobInput('ingest', { uploads: [{ name: '../x', content: '' }] })).toThrow(/input\.uploads\.0\.name/);
    expect(() => validateJobInput('ingest', { uploads: [{ name: '..', content: '' }] })).toThrow(/not a file name/);
    expect(() => validateJobInput('ingest', { uploads: [{ name: 'a', content: '' }, { name: 'a', content: '' }] })).toThrow(/input\.uploads\.1\.name: "a" is given twice/);
  });
});

describe('dedupeKey', () => {
  it('keys a re-extraction by its source, and nothing else', () => {
    expect(dedupeKey('reextract', { source: 'src:1', dryRun: false })).toBe('reextract:src:1');
    expect(dedupeKey('reextract', { extractor: 'price-move' })).toBeNull();
    expect(dedupeKey('ingest', { paths: ['a'] })).toBeNull();
  });
});
