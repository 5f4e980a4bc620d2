/**
 * The loop every CSV reader shares: the header decides how rows are read (or why the file cannot
 * be), a malformed row becomes a failure naming its line, and each good row is converted on its own
 * so one bad value never stops the file.
 */
import { readCsv, type CsvOptions } from './csv.ts';
import { attempt, failure, RowFields } from './fields.ts';
import type { ReadItem } from './types.ts';

/**
 * Reads `path` as CSV. `header` gets the normalised column names and returns what `row` needs to
 * read rows — or a string saying why the file cannot be read, which ends it with one failure.
 * `row` may throw (via RowFields) to reject its row.
 */
export async function* readMappedCsv<T, H>(
  path: string,
  options: CsvOptions,
  header: (names: string[]) => H | string,
  row: (fields: RowFields, columns: H, line: number) => { record: T; warnings?: string[] },
): AsyncGenerator<ReadItem<T>> {
  let columns: H | undefined;
  for await (const item of readCsv(path, options)) {
    if (item.type === 'header') {
      const found = header(item.names);
      if (typeof found === 'string') {
        yield failure(item.line, `${found} (has ${item.names.join(', ')})`, item.raw);
        return;
      }
      columns = found;
    } else if (item.type === 'bad') {
      yield failure(item.line, item.reason, item.raw);
    } else if (columns !== undefined) {
      const cols = columns;
      yield attempt(item.line, item.raw, () => row(new RowFields(item.row, path, item.line), cols, item.line));
    }
  }
}
