/**
 * What a re-extraction selection (ReextractJobInput) means for one fact, and which sources it
 * names. The filters narrow each other; `source` picks the source, the others pick facts.
 */
import type { GraphStore } from '../../graph/graph-store.ts';
import type { FactInput, SourceRecord } from '../../schema/graph.ts';
import { SourceNotFoundError } from '../../schema/errors.ts';
import type { ReextractJobInput } from '../jobs/job.ts';

/** Whether a fact (stored or produced) is inside the selection. */
export type FactFilter = (fact: Pick<FactInput, 'subject' | 'object' | 'extractor' | 'extractorVersion' | 'validFrom' | 'recordedAt'>) => boolean;

export function factFilter(selection: ReextractJobInput): FactFilter {
  const { extractor, extractorVersion, from, to, entity } = selection;
  return (f) => {
    if (extractor !== undefined && f.extractor !== extractor) return false;
    if (extractorVersion !== undefined && f.extractorVersion !== extractorVersion) return false;
    if (from !== undefined || to !== undefined) {
      // World time: validFrom, else the time it was recorded (ReextractJobInput.from).
      const time = f.validFrom ?? f.recordedAt;
      if (from !== undefined && time < from) return false;
      if (to !== undefined && time > to) return false;
    }
    return entity === undefined || f.subject === entity || f.object === entity;
  };
}

/**
 * The candidate sources: the named one, or every source (those without live facts in the
 * selection are skipped once their facts are read).
 * @throws SourceNotFoundError when `source` names no source
 */
export async function candidateSources(graph: GraphStore, selection: ReextractJobInput): Promise<SourceRecord[]> {
  const sources = await graph.listSources();
  if (selection.source === undefined) return sources;
  const source = sources.find((s) => s.id === selection.source);
  if (source === undefined) throw new SourceNotFoundError(selection.source);
  return [source];
}
