import { FujiEtlError } from '../errors/index.ts';

export type StatementKind = 'select' | 'merge' | 'insert' | 'delete' | 'ddl' | 'other';

export interface QueryContext {
  readonly queryId?: string;
  readonly statementKind: StatementKind;
  readonly attempts?: number;
}

/** A query that ended FAILED (or CANCELLED by someone else) and will not be retried further. */
export class QueryFailedError extends FujiEtlError {
  readonly queryId: string;
  readonly state: string;
  readonly stateReason: string;
  readonly statementKind: StatementKind;
  readonly errorCategory: number | undefined;
  readonly errorType: number | undefined;

  constructor(opts: {
    queryId: string;
    state: string;
    stateReason: string;
    statementKind: StatementKind;
    errorCategory?: number;
    errorType?: number;
    retryable: boolean;
    attempts: number;
  }) {
    super('ENGINE_QUERY_FAILED', `${opts.statementKind} query ${opts.state}: ${opts.stateReason}`, {
      retryable: opts.retryable,
      context: {
        queryId: opts.queryId,
        statementKind: opts.statementKind,
        errorCategory: opts.errorCategory,
        attempts: opts.attempts,
      },
    });
    this.queryId = opts.queryId;
    this.state = opts.state;
    this.stateReason = opts.stateReason;
    this.statementKind = opts.statementKind;
    this.errorCategory = opts.errorCategory;
    this.errorType = opts.errorType;
  }
}

/** Athena kept refusing to start the query (TooManyRequestsException) through every retry. */
export class QueryThrottledError extends FujiEtlError {
  constructor(ctx: QueryContext, cause: unknown) {
    super(
      'ENGINE_THROTTLED',
      `Athena throttled the ${ctx.statementKind} query through ${ctx.attempts} attempts`,
      {
        retryable: true,
        context: { ...ctx },
        cause,
      },
    );
  }
}

/** The query outlived the engine's overall timeout; it was stopped. */
export class QueryTimeoutError extends FujiEtlError {
  constructor(ctx: QueryContext, timeoutMs: number) {
    super(
      'ENGINE_TIMEOUT',
      `${ctx.statementKind} query did not finish within ${timeoutMs} ms and was stopped`,
      {
        retryable: true,
        context: { ...ctx },
      },
    );
  }
}

/** The caller aborted (for example Lambda's early-timeout signal); the query was stopped. */
export class QueryAbortedError extends FujiEtlError {
  constructor(ctx: QueryContext, cause?: unknown) {
    super('ENGINE_ABORTED', `${ctx.statementKind} query aborted by the caller`, {
      retryable: true,
      context: { ...ctx },
      cause,
    });
  }
}

/** One Athena call kept failing on the wire (see transport.ts) through every retry. */
export class QueryTransportError extends FujiEtlError {
  constructor(
    ctx: QueryContext & { readonly call: string; readonly tries: number },
    cause: unknown,
  ) {
    super(
      'ENGINE_TRANSPORT',
      `${ctx.call} for a ${ctx.statementKind} query failed on the connection ${ctx.tries} times`,
      { retryable: true, context: { ...ctx }, cause },
    );
  }
}
