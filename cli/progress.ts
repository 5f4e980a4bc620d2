import cliProgress from 'cli-progress';
import type { IngestProgress } from '../pipelines/ingest/ingest.ts';
import type { JobRecord } from '../pipelines/jobs/job.ts';

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

/** A terminal progress bar (on stderr) over one job: its phase and how far through it. */
export function createJobProgress(): { update: (job: JobRecord) => void; stop: () => void } {
  const bar = new cliProgress.SingleBar(
    { format: '{kind} [{bar}] {phase} {value}/{totalText} | {status}', hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let stopped = false;
  return {
    update(job) {
      if (stopped) return;
      const { phase, done, total } = job.progress;
      const payload = { kind: job.kind, phase, status: job.status, totalText: total ?? '?' };
      // Without a known total the bar shows the count against itself (full), not a fake fraction.
      const max = Math.max(total ?? done, 1);
      if (!started) {
        bar.start(max, done, payload);
        started = true;
      } else {
        bar.setTotal(max);
        bar.update(done, payload);
      }
    },
    stop() {
      if (started && !stopped) bar.stop();
      stopped = true;
    },
  };
}
