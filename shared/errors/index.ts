/**
 * The suite's error base. Every error carries a `retryable` marker that the runtime reads
 * (never the class), a stable `code` for logs, and context (connector, slice, query id,
 * source URL…) so one log line says where a failure came from.
 *
 * @example
 * throw new FujiEtlError('ENGINE_TIMEOUT', 'query did not finish in 900 s', {
 *   retryable: true,
 *   context: { queryId },
 * });
 */
import type { ErrorCode } from './codes.ts';

export type { ErrorCode } from './codes.ts';

export class FujiEtlError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly context: Readonly<Record<string, unknown>>;
  /** Further slices would fail the same way (quota spent, access refused): end the run here. */
  readonly stopsRun: boolean;
  /** Not a failure: the slice is left for the next run (e.g. a quota that resets). */
  readonly deferred: boolean;

  constructor(
    code: ErrorCode,
    message: string,
    opts: {
      retryable?: boolean;
      context?: Record<string, unknown>;
      cause?: unknown;
      stopsRun?: boolean;
      deferred?: boolean;
    } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = opts.retryable ?? false;
    this.stopsRun = opts.stopsRun ?? opts.deferred ?? false;
    this.deferred = opts.deferred ?? false;
    this.context = Object.freeze({ ...opts.context });
  }

  /** One line for a terminal or a log: code, message and context, never a payload. */
  toLine(): string {
    const ctx = Object.entries(this.context)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ');
    return `${this.code}: ${this.message}${ctx ? ` (${ctx})` : ''}`;
  }
}

/** Configuration that cannot work: raised at start-up, before any call. */
export class ConfigError extends FujiEtlError {
  constructor(message: string, context: Record<string, unknown> = {}) {
    super('CONFIG', message, { retryable: false, context });
  }
}

/** True when the runtime may retry the failed operation (marker, not class). */
export function isRetryable(err: unknown): boolean {
  return err instanceof FujiEtlError ? err.retryable : false;
}

/** A short message for any thrown value, for one-line CLI errors. */
export function describeError(err: unknown): string {
  if (err instanceof FujiEtlError) return err.toLine();
  if (err instanceof Error) return err.message;
  return String(err);
}
