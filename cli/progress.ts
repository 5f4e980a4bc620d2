import cliProgress from 'cli-progress';
import type { IngestProgress } from '../pipelines/ingest/ingest.ts';

/** A terminal progress bar (on stderr) over files, showing the records read in the current one. */
export function createProgress(): { update: (p: IngestProgress) => void; stop: () => void } {
  const bar = new cliProgress.SingleBar(
    { format: 'ingest [{bar}] {value}/{total} files | {records} records | {file}', hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let stopped = false;
  return {
    update(p) {
      if (stopped) return;
      const payload = { records: p.records, file: p.file.length > 50 ? `…${p.file.slice(-49)}` : p.file };
      if (!started) {
        bar.start(p.fileCount, 0, payload);
        started = true;
      }
      bar.update(p.fileIndex + (p.done ? 1 : 0), payload);
    },
    stop() {
      if (started && !stopped) bar.stop();
      stopped = true;
    },
  };
}
