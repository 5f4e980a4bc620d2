/**
 * Writes a graph as neo4j-admin import files (admin-import-files.ts), page by page, in exactly
 * the model the adapter writes (model.ts): the properties come from the write path's own builders
 * (write-plan.ts `nodeProps`, `planEvents`, `planFacts`, `planChunks`), so a bulk import and the
 * adapter cannot drift apart, search terms included. What the builders leave to other statements
 * is added here the way those statements store it: `id` and `ns` (the MERGE key), labels,
 * `factId`, `retractedAt` and `validTo` (integers, as `retract`/`endValidity` set them), the bare
 * placeholders of ENSURE_THINGS and WRITE_CHUNKS, and and the source and reject properties
 * from writes.ts's own builders.
 *
 * `seq` (write order: participant order, reject order) numbers facts and rejects in the order they
 * are written here from 0, so an export in store order keeps the store's order, and everything the
 * adapter writes later (WriteClock: epoch µs) comes after it.
 */
import { join } from 'node:path';
import type { ChunkRecord, FactRecord, SourceRecord } from '../../schema/graph.ts';
import { emptyWriteResult } from '../../schema/graph.ts';
import { StoreError } from '../../schema/errors.ts';
import { isEntityKind, isEventType, isRelType } from '../../schema/ontology.ts';
import type { DumpedEvent, DumpedNode, DumpedReject } from '../graph-dump.ts';
import { CsvFileWriter } from './admin-import-csv.ts';
import { fileColumns, IMPORT_FILES, type ImportFileKey, type ImportFileSpec } from './admin-import-files.ts';
import { CHUNK, ENTITY, EVENT, PART_OF, REJECT, SOURCE, THING } from './model.ts';
import { int, intOrNull } from './records.ts';
import { nodeProps, planChunks, planEvents, planFacts } from './write-plan.ts';
import { rejectId, rejectProps, sourceProps } from './writes.ts';

const WHAT = 'neo4j-admin export';

/** One file written: its name within the directory, what it holds, and how many rows. */
export interface AdminImportFile {
  file: string;
  kind: ImportFileSpec['kind'];
  rows: number;
  /** Some field holds a line break: the import tool must read this file as multi-line. */
  multiline: boolean;
}

type Props = Record<string, unknown>;

/**
 * One import's files in a directory. Open with {@link Neo4jAdminImportWriter.open}, hand it pages
 * in any order (each file is appended to), then `close()` for the list of files; `abort()` after
 * a failure.
 */
export class Neo4jAdminImportWriter {
  readonly #dir: string;
  readonly #ns: string;
  readonly #files: Record<ImportFileKey, CsvFileWriter>;
  readonly #known = new Map<ImportFileKey, ReadonlySet<string>>();
  #factSeq = 0;
  #rejectSeq = 0;

  private constructor(dir: string, ns: string, files: Record<ImportFileKey, CsvFileWriter>) {
    this.#dir = dir;
    this.#ns = ns;
    this.#files = files;
    for (const [key, spec] of Object.entries(IMPORT_FILES) as [ImportFileKey, ImportFileSpec][]) {
      this.#known.set(key, new Set(spec.properties.map(([name]) => name)));
    }
  }

  /**
   * Creates (or truncates) every file of the import in `dir` (which must exist).
   * @param namespace the `ns` of every node (Neo4jOptions.namespace) @default ''
   */
  static async open(dir: string, namespace = ''): Promise<Neo4jAdminImportWriter> {
    const opened: Partial<Record<ImportFileKey, CsvFileWriter>> = {};
    try {
      for (const [key, spec] of Object.entries(IMPORT_FILES) as [ImportFileKey, ImportFileSpec][]) {
        opened[key] = await CsvFileWriter.open(join(dir, spec.file), fileColumns(spec));
      }
    } catch (error) {
      for (const file of Object.values(opened)) file.abort();
      throw error;
    }
    return new Neo4jAdminImportWriter(dir, namespace, opened as Record<ImportFileKey, CsvFileWriter>);
  }

  /** The directory written to. */
  get dir(): string {
    return this.#dir;
  }

  async entities(page: readonly DumpedNode[]): Promise<void> {
    for (const n of page) {
      if (!isEntityKind(n.kind)) throw new StoreError(WHAT, `entity ${n.id}: unknown kind "${n.kind}"`);
      const props = {
        ...nodeProps({
          id: n.id, kind: n.kind, name: n.name, namePriority: n.namePriority, aliases: n.aliases, attrs: n.attrs,
          validFrom: n.validFrom, recordedAt: n.recordedAt, sourceId: n.sourceId,
        }),
        validTo: intOrNull(n.validTo), retractedAt: intOrNull(n.retractedAt),
      };
      await this.#node('entities', n.id, [THING, ENTITY, n.kind], props);
    }
  }

  async events(page: readonly DumpedEvent[]): Promise<void> {
    const retracted = new Map(page.map((e) => [e.id, e.retractedAt]));
    // Against an empty store every event is new, so each row carries all of its properties.
    for (const row of planEvents(page, new Map(), emptyWriteResult().events)) {
      if (row.type === null || !isEventType(row.type)) throw new StoreError(WHAT, `event ${row.id}: unknown type "${row.type}"`);
      const props = { ...row.props, retractedAt: intOrNull(retracted.get(row.id)) };
      await this.#node('events', row.id, [THING, EVENT, row.type], props);
    }
  }

  /** Chunks, and the PART_OF relationship of each to its source. */
  async chunks(page: readonly ChunkRecord[]): Promise<void> {
    const retracted = new Map(page.map((c) => [c.id, c.retractedAt]));
    for (const row of planChunks(page).rows) {
      await this.#node('chunks', row.id, [THING, CHUNK], { ...row.props, retractedAt: intOrNull(retracted.get(row.id)) });
      await this.#relationship('partOf', row.id, row.props.sourceId as string, PART_OF, {});
    }
  }

  /** Facts in write order (seq follows the order of the pages and of each page). */
  async facts(page: readonly FactRecord[]): Promise<void> {
    const retracted = new Map(page.map((f) => [f.id, f.retractedAt]));
    const { rows } = planFacts(page, this.#factSeq);
    this.#factSeq += page.length;
    for (const row of rows) {
      if (!isRelType(row.type)) throw new StoreError(WHAT, `fact ${row.id}: unknown type "${row.type}"`);
      const props = { factId: row.id, ...row.props, retractedAt: intOrNull(retracted.get(row.id)) };
      await this.#relationship('facts', row.subject, row.object, row.type, props);
    }
  }

  /** Bare `:Thing`s for fact ends that nothing describes. */
  async placeholders(ids: readonly string[]): Promise<void> {
    for (const id of ids) await this.#node('placeholders', id, [THING], { name: id });
  }

  async sources(page: readonly SourceRecord[]): Promise<void> {
    for (const s of page) await this.#node('sources', s.id, [SOURCE], sourceProps(s));
  }

  /** Bare `:Source`s for the sources chunks name that no source record describes. */
  async sourcePlaceholders(ids: readonly string[]): Promise<void> {
    for (const id of ids) await this.#node('sourcePlaceholders', id, [SOURCE], { name: id });
  }

  /** Rejects in write order. */
  async rejects(page: readonly DumpedReject[]): Promise<void> {
    for (const r of page) await this.#node('rejects', rejectId(r), [REJECT], rejectProps(r, this.#rejectSeq++));
  }

  /** Finishes every file; what was written, in import order. */
  async close(): Promise<AdminImportFile[]> {
    const written: AdminImportFile[] = [];
    for (const [key, spec] of Object.entries(IMPORT_FILES) as [ImportFileKey, ImportFileSpec][]) {
      const file = this.#files[key];
      await file.close();
      written.push({ file: spec.file, kind: spec.kind, rows: file.rows, multiline: file.multiline });
    }
    return written;
  }

  /** Closes every file without finishing it (after a failure). */
  abort(): void {
    for (const file of Object.values(this.#files)) file.abort();
  }

  #node(key: ImportFileKey, id: string, labels: readonly string[], props: Props): Promise<void> {
    const values = [id, labels, this.#ns, ...this.#values(key, id, props)];
    return this.#files[key].write(values, `${IMPORT_FILES[key].file} ${id}`);
  }

  #relationship(key: ImportFileKey, start: string, end: string, type: string, props: Props): Promise<void> {
    const where = `${IMPORT_FILES[key].file} ${start} -[:${type}]-> ${end}`;
    return this.#files[key].write([start, end, type, ...this.#values(key, where, props)], where);
  }

  /** `props` in the file's column order; a property without a column is an error, not dropped. */
  #values(key: ImportFileKey, where: string, props: Props): unknown[] {
    const known = this.#known.get(key)!;
    for (const name of Object.keys(props)) {
      if (!known.has(name)) {
        throw new StoreError(WHAT, `${where}: property "${name}" has no column in ${IMPORT_FILES[key].file} (admin-import-files.ts)`);
      }
    }
    return IMPORT_FILES[key].properties.map(([name]) => props[name]);
  }
}
