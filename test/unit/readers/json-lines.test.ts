import { describe, expect, it } from 'vitest';
import { FileUnreadableError } from '../../../schema/errors.ts';
import { parseJsonLine, readJsonLines, type JsonLineItem } from '../../../extraction/readers/json-lines.ts';
import { readLines } from '../../../extraction/readers/lines.ts';
import { useTempFiles } from '../../fixtures/temp-files.ts';


const tmp = useTempFiles();
const file = tmp.file;

async function collect(path: string): Promise<JsonLineItem[]> {
  const out: JsonLineItem[] = [];
  for await (const item of readJsonLines(path)) out.push(item);
  return out;
}

describe('parseJsonLine', () => {
  it('keeps integers beyond 2^53 as exact decimal strings', () => {
    const value = parseJsonLine('{"a": 7056176614974947328, "b": 150188698577042438264952193024, "c": -9007199254740993}');
    expect(value).toEqual({ a: '7056176614974947328', b: '150188698577042438264952193024', c: '-9007199254740993' });
  });

  it('leaves safe integers, fractions and exponents as numbers', () => {
    expect(parseJsonLine('[9007199254740991, 1.5, 1e30, 0]')).toEqual([9007199254740991, 1.5, 1e30, 0]);
  });

  it('throws SyntaxError on truncated JSON', () => {
    expect(() => parseJsonLine('{"a": 1, "b": ')).toThrow(SyntaxError);
  });
});

describe('readJsonLines', () => {
  it('numbers physical lines from 1, skips blank lines, strips a BOM and tolerates CRLF', async () => {
    const path = file('mixed.jsonl', Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('{"n": 1}\r\n\r\n   \r\n{"n": 2}\r\n{"n": 3}'),
    ]));
    const items = await collect(path);
    expect(items.map((i) => i.line)).toEqual([1, 4, 5]);
    expect(items.map((i) => (i.ok ? i.value : null))).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it('turns a truncated line into a failure and reads on', async () => {
    const path = file('truncated.jsonl', '{"n": 1}\n{"n": 2, "topics": ["0xdd\n{"n": 3}\n');
    const items = await collect(path);
    expect(items).toHaveLength(3);
    const bad = items[1]!;
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.line).toBe(2);
      expect(bad.reason).toMatch(/^invalid JSON: /);
      expect(bad.raw).toBe('{"n": 2, "topics": ["0xdd');
    }
    expect(items[2]).toMatchObject({ ok: true, line: 3, value: { n: 3 } });
  });

  it('cuts the raw text of a failure to about 300 characters', async () => {
    const path = file('long.jsonl', `{"x": "${'a'.repeat(2000)}\n`);
    const [item] = await collect(path);
    expect(item?.ok).toBe(false);
    if (item && !item.ok) expect(item.raw.length).toBeLessThanOrEqual(300);
  });

  it('yields nothing for an empty file', async () => {
    expect(await collect(file('empty.jsonl', ''))).toEqual([]);
  });

  it('reports a missing file or a directory as FileUnreadableError', async () => {
    await expect(collect(tmp.path('nope.jsonl'))).rejects.toBeInstanceOf(FileUnreadableError);
    await expect(collect(tmp.dir())).rejects.toBeInstanceOf(FileUnreadableError);
  });
});

describe('readLines', () => {
  it('keeps blank lines when asked to, for CSV quoted fields', async () => {
    const path = file('lines.txt', 'a\n\nb\r\nc');
    const lines = [];
    for await (const l of readLines(path)) lines.push(l);
    expect(lines).toEqual([{ line: 1, text: 'a' }, { line: 2, text: '' }, { line: 3, text: 'b' }, { line: 4, text: 'c' }]);
  });

  it('stops when the signal is aborted', async () => {
    const path = file('abort.txt', 'a\nb\nc\n');
    const controller = new AbortController();
    const seen: string[] = [];
    await expect((async () => {
      for await (const l of readLines(path, { signal: controller.signal })) {
        seen.push(l.text);
        controller.abort();
      }
    })()).rejects.toThrow(/abort/i);
    expect(seen).toEqual(['a']);
  });
});
