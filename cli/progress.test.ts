import { describe, expect, it } from 'vitest';
import {
  estimateLeftMs,
  formatDuration,
  Progress,
  progressLine,
  ttyFrame,
  type ProgressStream,
} from './progress.ts';

/** Any control character (ESC, CR, BS…) but the line feed. */
const hasControl = (text: string) =>
  [...text].some((ch) => {
    const c = ch.codePointAt(0)!;
    return (c < 0x20 && c !== 0x0a) || c === 0x7f;
  });
/** What a terminal frame shows: without its leading CR and trailing erase (and line feed). */
const shown = (frame: string) => frame.slice(1).replace('\x1b[K\n', '').replace('\x1b[K', '');

function capture(isTTY: boolean, columns?: number) {
  const out: string[] = [];
  const stream: ProgressStream = { isTTY, columns, write: (t: string) => out.push(t) };
  let clock = 1_000_000;
  const advance = (ms: number) => (clock += ms);
  return { out, stream, now: () => clock, advance };
}

describe('the estimate of time left', () => {
  it('is the rate so far times the units left', () => {
    expect(estimateLeftMs(2, 8, 10_000)).toBe(30_000);
    expect(estimateLeftMs(8, 8, 10_000)).toBe(0);
  });

  it('is unknown before the first unit, without a total, and for a total of zero', () => {
    expect(estimateLeftMs(0, 8, 10_000)).toBeUndefined();
    expect(estimateLeftMs(3, undefined, 10_000)).toBeUndefined();
    expect(estimateLeftMs(0, 0, 10_000)).toBeUndefined();
    expect(estimateLeftMs(1, 4, 0)).toBeUndefined();
  });
});

describe('a progress line', () => {
  it('shows slices of planned, rows, elapsed, time left and the last slice', () => {
    expect(
      progressLine({
        label: 'run synthetic',
        unit: 'slices',
        done: 2,
        total: 8,
        rows: 1_940,
        elapsedMs: 10_000,
        detail: '2026-07-11 succeeded',
      }),
    ).toBe(
      'run synthetic: 2/8 slices (25%), 1,940 rows, 10s elapsed, ~30s left (2026-07-11 succeeded)',
    );
  });

  it('shows bytes of the file for loads, and no estimate before any progress', () => {
    const v = { label: 'csv load big.csv', unit: 'bytes', rows: 0, elapsedMs: 500 } as const;
    expect(progressLine({ ...v, done: 0, total: 250_000_000 })).toBe(
      'csv load big.csv: 0.0 MB of 250.0 MB (0%), 0 rows, 1s elapsed',
    );
    expect(progressLine({ ...v, done: 1_500_000 })).toBe(
      'csv load big.csv: 1.5 MB read, 0 rows, 1s elapsed',
    );
    expect(progressLine({ ...v, done: 1_234, total: 2_468 })).toBe(
      'csv load big.csv: 1.2 kB of 2.5 kB (50%), 0 rows, 1s elapsed, ~1s left',
    );
    expect(progressLine({ ...v, done: 3e9, total: 12e9 })).toMatch(/: 3\.0 GB of 12\.0 GB \(25%\)/);
  });

  it('reads sensibly for a run that planned nothing', () => {
    expect(
      progressLine({ label: 'run ga4', unit: 'slices', done: 0, total: 0, rows: 0, elapsedMs: 2 }),
    ).toBe('run ga4: 0/0 slices, 0 rows, 0s elapsed');
  });

  it('shows only the time and the phase for work without units', () => {
    expect(
      progressLine({
        label: 'restore sandbox.trail_counts',
        unit: 'time',
        done: 0,
        rows: 0,
        elapsedMs: 75_000,
        detail: 'applying 12 changed rows in one commit',
      }),
    ).toBe('restore sandbox.trail_counts: 1m15s elapsed (applying 12 changed rows in one commit)');
  });

  it('writes durations in seconds, minutes and hours', () => {
    expect([0, 42_000, 185_000, 3_725_000].map(formatDuration)).toEqual([
      '0s',
      '42s',
      '3m05s',
      '1h02m',
    ]);
  });
});

describe('on a terminal', () => {
  it('redraws one line in place, cut to the width, and leaves the last state on its own line', () => {
    const c = capture(true, 40);
    const p = new Progress({ label: 'run synthetic', stream: c.stream, now: c.now, tickMs: 0 });
    p.log({ code: 'RUN_PLANNED', slices: 2 });
    c.advance(4_000);
    p.log({ code: 'SLICE_DONE', slice: '2026-07-10', status: 'succeeded', rowsRead: 97 });
    p.finish();
    expect(c.out.every((t) => t.startsWith('\r') && t.includes('\x1b[K'))).toBe(true);
    expect(c.out.slice(0, -1).some((t) => t.includes('\n'))).toBe(false);
    expect(c.out.at(-1)!.endsWith('\n')).toBe(true);
    expect(Math.max(...c.out.map((t) => [...shown(t)].length))).toBe(39);
    expect(c.out.map(shown).join('')).not.toContain('\x1b');
    expect(ttyFrame('run synthetic: 1/2 slices', 80)).toBe('\rrun synthetic: 1/2 slices\x1b[K');
  });

  it('redraws the elapsed time while nothing else moves (a restore’s one statement)', async () => {
    const c = capture(true, 120);
    const p = new Progress({
      label: 'restore t',
      unit: 'time',
      stream: c.stream,
      now: c.now,
      tickMs: 5,
    });
    p.phase('restoring');
    c.advance(3_000);
    await new Promise((r) => setTimeout(r, 30));
    p.finish();
    expect(c.out.some((t) => t.includes('3s elapsed'))).toBe(true);
  });
});

describe('away from a terminal', () => {
  it('writes one plain line per slice, without control characters', () => {
    const c = capture(false);
    const p = new Progress({ label: 'run synthetic', stream: c.stream, now: c.now, tickMs: 0 });
    p.log({ code: 'RUN_PLANNED', runId: 'r', connector: 'synthetic', slices: 2 });
    c.advance(3_000);
    p.log({ code: 'SLICE_DONE', slice: '2026-07-10', status: 'succeeded', rowsRead: 97 });
    c.advance(3_000);
    p.log({ code: 'SLICE_DONE', slice: '2026-07-11', status: 'failed', rowsRead: 0 });
    p.log({ code: 'TABLE_FRESHNESS' });
    p.finish();
    expect(c.out).toEqual([
      'run synthetic: 0/2 slices (0%), 0 rows, 0s elapsed (planned)\n',
      'run synthetic: 1/2 slices (50%), 97 rows, 3s elapsed, ~3s left (2026-07-10 succeeded)\n',
      'run synthetic: 2/2 slices (100%), 97 rows, 6s elapsed (2026-07-11 failed)\n',
    ]);
    expect(hasControl(c.out.join(''))).toBe(false);
  });

  it('writes a loader’s batches at most once per interval', () => {
    const c = capture(false);
    const p = new Progress({
      label: 'csv load big.csv',
      unit: 'bytes',
      stream: c.stream,
      now: c.now,
      everyMs: 10_000,
      tickMs: 0,
    });
    p.bytes(0, 4_000_000);
    for (let i = 1; i <= 40; i++) {
      c.advance(1_000);
      p.batch(1_000, i * 100_000);
    }
    c.advance(500);
    p.batch(500, 4_000_000);
    p.finish();
    // Every 10 s, and the end.
    expect(c.out).toHaveLength(5);
    expect(c.out.at(-1)).toBe(
      'csv load big.csv: 4.0 MB of 4.0 MB (100%), 40,500 rows, 41s elapsed\n',
    );
    expect(c.out[0]).toBe(
      'csv load big.csv: 1.0 MB of 4.0 MB (25%), 10,000 rows, 10s elapsed, ~30s left\n',
    );
    expect(hasControl(c.out.join(''))).toBe(false);
  });

  it('counts re-reads after the planned slices without passing 100%', () => {
    const c = capture(false);
    const p = new Progress({ label: 'run jma_amedas', stream: c.stream, now: c.now, tickMs: 0 });
    p.log({ code: 'RUN_PLANNED', slices: 1 });
    p.log({ code: 'SLICE_DONE', slice: 'a', status: 'succeeded', rowsRead: 1 });
    p.log({ code: 'SLICE_DONE', slice: 'b', status: 'partial', rowsRead: 1 });
    expect(c.out.at(-1)).toMatch(/^run jma_amedas: 2\/2 slices \(100%\), 2 rows/);
  });
});
