/**
 * Progress of long CLI work (backfills, connector runs, big CSV loads, restores) for the person
 * watching: slices done of planned (or bytes of the file), rows, elapsed time and an estimate of
 * the time left. On a terminal one line is redrawn in place on stderr; anywhere else (CI, a pipe,
 * a file) plain lines without control characters are written, one per slice or at most one per
 * `everyMs`, so logs stay readable. Stdout is never touched: the commands' results and summary
 * lines stay byte for byte what scripts read.
 *
 * Fed from the runtime's log events (`RUN_PLANNED` gives the total, `SLICE_DONE` each slice's
 * counts), from a loader's batches (rows, bytes read), or from phases a command names.
 */

/** Where progress goes: stderr, or a stand-in in tests. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** What is counted: slices of a run, bytes of a file, or only the time (one long statement). */
export type ProgressUnit = 'slices' | 'bytes' | 'time';

/** What one progress line shows. */
export interface ProgressView {
  readonly label: string;
  readonly unit: ProgressUnit;
  readonly done: number;
  /** Planned units; undefined while unknown (before planning, or a source of unknown size). */
  readonly total?: number;
  readonly rows: number;
  readonly elapsedMs: number;
  /** The last slice and its status, or the phase under way. */
  readonly detail?: string;
}

/**
 * Time left at the rate so far, or undefined when there is no rate yet or nothing is planned.
 * @example estimateLeftMs(2, 8, 10_000) // 30_000
 */
export function estimateLeftMs(done: number, total: number | undefined, elapsedMs: number) {
  if (total === undefined || total <= 0 || done <= 0 || elapsedMs <= 0) return undefined;
  if (done >= total) return 0;
  return Math.round((elapsedMs / done) * (total - done));
}

/**
 * A short duration for people: `0s`, `42s`, `3m05s`, `1h02m`.
 * @example formatDuration(185_000) // '3m05s'
 */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

const thousands = (n: number) => n.toLocaleString('en-US');

/** Bytes in the unit that suits `scale` (the file's size): kB, MB or GB. */
function size(n: number, scale: number): string {
  const [div, unit] = scale >= 1e9 ? [1e9, 'GB'] : scale >= 1e6 ? [1e6, 'MB'] : [1e3, 'kB'];
  return `${(n / div).toFixed(1)} ${unit}`;
}

function amount(v: ProgressView): string {
  const pct =
    v.total !== undefined && v.total > 0
      ? ` (${Math.min(100, Math.floor((v.done / v.total) * 100))}%)`
      : '';
  if (v.unit === 'bytes') {
    return v.total === undefined
      ? `${size(v.done, v.done)} read`
      : `${size(v.done, v.total)} of ${size(v.total, v.total)}${pct}`;
  }
  if (v.total === undefined) return `${thousands(v.done)} slices`;
  return `${thousands(v.done)}/${thousands(v.total)} slices${pct}`;
}

/**
 * One line of progress, plain text.
 * @example progressLine({ label: 'run synthetic', unit: 'slices', done: 2, total: 8, rows: 194, elapsedMs: 10_000 })
 * // 'run synthetic: 2/8 slices (25%), 194 rows, 10s elapsed, ~30s left'
 */
export function progressLine(v: ProgressView): string {
  const left = estimateLeftMs(v.done, v.total, v.elapsedMs);
  const parts =
    v.unit === 'time'
      ? [`${formatDuration(v.elapsedMs)} elapsed`]
      : [
          amount(v),
          `${thousands(v.rows)} rows`,
          `${formatDuration(v.elapsedMs)} elapsed`,
          ...(left === undefined || left === 0 ? [] : [`~${formatDuration(left)} left`]),
        ];
  return `${v.label}: ${parts.join(', ')}${v.detail ? ` (${v.detail})` : ''}`;
}

/**
 * What a terminal is sent to show `line` in place of the previous one: back to the line's start,
 * the line cut to the width (a wrapped line could not be redrawn), the rest of the old one erased.
 */
export function ttyFrame(line: string, columns: number | undefined): string {
  const width = columns && columns > 1 ? columns - 1 : undefined;
  const chars = [...line];
  const shown = width !== undefined && chars.length > width ? chars.slice(0, width).join('') : line;
  return `\r${shown}\x1b[K`;
}

export interface ProgressOptions {
  readonly label: string;
  readonly unit?: ProgressUnit;
  readonly stream?: ProgressStream;
  /** Default: whether the stream is a terminal. */
  readonly tty?: boolean;
  readonly now?: () => number;
  /** Away from a terminal, a line at least this often while work goes on (default 30 s). */
  readonly everyMs?: number;
  /** On a terminal, the elapsed time is redrawn this often even when nothing happens (1 s). */
  readonly tickMs?: number;
}

/**
 * The progress of one piece of work. `log` plugs into `RunDeps.log`; `finish` ends the display.
 * @example
 * const progress = new Progress({ label: `run ${def.name}` });
 * try { await runConnector(def, { ...deps, log: progress.log }); } finally { progress.finish(); }
 */
export class Progress {
  readonly tty: boolean;
  private readonly label: string;
  private readonly unit: ProgressUnit;
  private readonly stream: ProgressStream;
  private readonly now: () => number;
  private readonly everyMs: number;
  private readonly startedAt: number;
  private readonly ticker?: ReturnType<typeof setInterval>;
  private total: number | undefined;
  private done = 0;
  private rows = 0;
  private detail: string | undefined;
  private lastLineAt: number;
  private drawn = false;
  /** Something changed since the last plain line. */
  private unwritten = false;
  private finished = false;

  constructor(opts: ProgressOptions) {
    this.label = opts.label;
    this.unit = opts.unit ?? 'slices';
    this.stream = opts.stream ?? process.stderr;
    this.tty = opts.tty ?? this.stream.isTTY === true;
    this.now = opts.now ?? Date.now;
    this.everyMs = opts.everyMs ?? 30_000;
    this.startedAt = this.now();
    this.lastLineAt = this.startedAt;
    const tickMs = opts.tickMs ?? 1_000;
    if (tickMs > 0) {
      this.ticker = setInterval(
        () => this.tick(),
        this.tty ? tickMs : Math.min(tickMs, this.everyMs),
      );
      // Progress never keeps the process alive.
      this.ticker.unref?.();
    }
  }

  /** The runtime's events: the planned total, then one event per slice. */
  readonly log = (event: Record<string, unknown>): void => {
    if (event.code === 'RUN_PLANNED' && typeof event.slices === 'number') {
      this.plan(event.slices);
    } else if (event.code === 'SLICE_DONE') {
      const rows = typeof event.rowsRead === 'number' ? event.rowsRead : 0;
      this.sliceDone(String(event.slice), String(event.status), rows);
    }
  };

  plan(total: number): void {
    this.total = total;
    this.emit(true, 'planned');
  }

  sliceDone(slice: string, status: string, rows: number): void {
    this.done += 1;
    // Re-reads of members owed by earlier runs come after the planned slices.
    if (this.total !== undefined && this.done > this.total) this.total = this.done;
    this.rows += rows;
    this.emit(true, `${slice} ${status}`);
  }

  /** A loader's batch: rows read, and (for files) the bytes read so far. */
  batch(rows: number, bytesDone?: number): void {
    this.rows += rows;
    if (bytesDone !== undefined) this.bytes(bytesDone);
    else this.emit(false);
  }

  /** Bytes read so far (unit `bytes`), of `total` when known. */
  bytes(done: number, total?: number): void {
    this.done = done;
    if (total !== undefined) this.total = total;
    this.emit(false);
  }

  /** What is under way now, for work without slices (a restore's statements). */
  phase(text: string): void {
    this.emit(true, text);
  }

  /** Ends the display: the last state stays on its own line (unless just written). */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.ticker) clearInterval(this.ticker);
    if (this.tty && this.drawn) {
      this.stream.write(`${ttyFrame(this.line(), this.stream.columns)}\n`);
    } else if (!this.tty && this.unwritten) this.stream.write(`${this.line()}\n`);
  }

  private view(): ProgressView {
    return {
      label: this.label,
      unit: this.unit,
      done: this.done,
      total: this.total,
      rows: this.rows,
      elapsedMs: this.now() - this.startedAt,
      detail: this.detail,
    };
  }

  private line(): string {
    return progressLine(this.view());
  }

  /** `event`: a slice or phase, always worth a plain line; else only when one is due. */
  private emit(event: boolean, detail?: string): void {
    if (this.finished) return;
    if (detail !== undefined) this.detail = detail;
    const at = this.now();
    if (this.tty) {
      // Batches can come by the hundred a second: a terminal is redrawn ten times a second at most.
      if (!event && at - this.lastLineAt < 100) return;
      this.lastLineAt = at;
      this.stream.write(ttyFrame(this.line(), this.stream.columns));
      this.drawn = true;
      return;
    }
    this.unwritten = true;
    if (!event && at - this.lastLineAt < this.everyMs) return;
    this.lastLineAt = at;
    this.unwritten = false;
    this.stream.write(`${this.line()}\n`);
  }

  private tick(): void {
    if (this.finished) return;
    if (this.tty) {
      if (this.drawn) this.stream.write(ttyFrame(this.line(), this.stream.columns));
    } else if (this.now() - this.lastLineAt >= this.everyMs) this.emit(false);
  }
}
