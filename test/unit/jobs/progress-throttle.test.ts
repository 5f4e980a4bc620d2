import { describe, expect, it } from 'vitest';
import type { JobProgress } from '../../../pipelines/jobs/job.ts';
import { ProgressThrottle } from '../../../pipelines/jobs/in-process/progress-throttle.ts';

describe('ProgressThrottle', () => {
  it('stores phase changes at once, throttles the rest and stores the latest at the end of the interval', async () => {
    const stored: JobProgress[] = [];
    const t = new ProgressThrottle(50, (p) => stored.push(p));
    t.report({ phase: 'reading', done: 1, total: null });
    for (let i = 2; i <= 100; i++) t.report({ phase: 'reading', done: i, total: null });
    t.report({ phase: 'writing', done: 0, total: 5 });
    t.report({ phase: 'writing', done: 3, total: 5 });
    expect(stored.map((p) => `${p.phase}:${p.done}`)).toEqual(['reading:1', 'writing:0']);
    await new Promise((r) => setTimeout(r, 80));
    expect(stored.at(-1)).toEqual({ phase: 'writing', done: 3, total: 5 });
    expect(t.last).toEqual({ phase: 'writing', done: 3, total: 5 });
    t.report({ phase: 'writing', done: 4, total: 5 });
    t.stop();
    await new Promise((r) => setTimeout(r, 80));
    expect(stored).toHaveLength(3);
    expect(t.last!.done).toBe(4);
  });
});
