/**
 * Documents and chunks: the text side of the graph (incident post-mortems, governance posts, news,
 * analyst notes). Readers produce DocumentRecords; the chunker cuts them into TextChunks whose id is
 * a hash of their text, so an unchanged chunk is recognised (and never sent to an LLM twice).
 */
import { z } from 'zod';
import type { ChunkInput } from './graph.ts';

/** One document as read from markdown, plain text or a JSONL line `{id?, title?, text, published_at?, url?}`. */
export const DocumentRecord = z.object({
  /** Stable id: the JSONL `id`, else derived from the file and position by the reader. */
  id: z.string().min(1),
  title: z.string().nullable(),
  text: z.string(),
  /** ISO-8601 date or timestamp as given by the source; null when unknown. */
  publishedAt: z.string().nullable(),
  url: z.string().nullable(),
});
export type DocumentRecord = z.infer<typeof DocumentRecord>;

/**
 * A sentence-aligned slice of a document, as the chunker cuts it: a stored chunk (ChunkInput)
 * without the source and record time the ingest adds.
 */
export type TextChunk = Omit<ChunkInput, 'sourceId' | 'recordedAt'>;
