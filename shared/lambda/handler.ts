/**
 * Every Lambda handler of the suite is wrapped here, once: middy with Powertools logger, metrics
 * and tracer, and middy's early-timeout signal handed to the handler so the runtime stops between
 * slices and checkpoints before Lambda kills the invocation.
 *
 * middy answers with `timeoutEarlyResponse` as soon as the early timeout fires; ours waits for the
 * handler's own wind-down instead (the slice in flight is recorded as aborted, the cursor stays
 * at the last complete slice), so the response is the real summary rather than a bare timeout.
 *
 * Failures and retries (the `retryable` marker, never the class): a function whose asynchronous
 * invocations Lambda retries (`maximumRetryAttempts` > 0 in its function.yml: the scheduled
 * loads, backfills, uploads, the report) declares `notRetried: 'answer'`. Then a failure marked
 * not retryable (a slice's source shape or schema drift, bad configuration, a refused restore)
 * is answered, not thrown: a retry would fail the same way after redoing the work, and the
 * failure queue is for what a redrive can fix. It is logged at error level as
 * `INVOCATION_NOT_RETRIED` with its code and emits `InvocationsNotRetried` per function, which
 * alarms as Lambda's `Errors` does (Lambda does not count an answered failure). A mistake in the
 * event itself (`BAD_EVENT`, `USAGE`) is still thrown: whoever sent it sees a function error,
 * an operator at the console as much as the failure queue, which keeps the event to correct, and
 * its one retry fails at once, before any lock or query. Retryable and unmarked errors are
 * thrown, so Lambda's retries and then the failure destination take them. Functions invoked by
 * people and not retried (restore, replay) throw every failure: their caller reads the error.
 */
import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { readSettings } from '#shared/settings/read.ts';
import { LAMBDA_SETTINGS } from './settings.ts';
import { FujiEtlError, type ErrorCode } from '#shared/errors/index.ts';
import type { RunLog } from '#shared/errors/events.ts';
import { observeRun } from './observe.ts';

export interface LambdaContextLike {
  getRemainingTimeInMillis(): number;
  readonly functionName?: string;
  readonly awsRequestId?: string;
}

/** What a handler gets beside its event: the early-timeout signal, its deadline, the observers. */
export interface Invocation {
  readonly signal: AbortSignal;
  /** Epoch ms by which the work must have stopped (Lambda's deadline less the margin). */
  readonly deadline: number;
  readonly context: LambdaContextLike;
  readonly log: RunLog;
}

/** A mistake in an event: not retried (the same event fails the same way), the event logged. */
export const badEvent = (event: unknown) => ({ code: 'BAD_EVENT' as const, context: { event } });

export interface HandlerOptions {
  /**
   * `answer`: a failure marked not retryable is answered with {@link NotRetried} instead of
   * thrown, for functions Lambda retries. `throw` (default): every failure is thrown.
   */
  readonly notRetried?: 'answer' | 'throw';
}

/** The answer to an invocation that failed for good: the shape of Lambda's error payload. */
export interface NotRetried {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly code: ErrorCode;
  readonly retryable: false;
}

/** Mistakes of whoever sent the event: always thrown, so the sender sees a function error. */
const SENDER_MISTAKES: ReadonlySet<ErrorCode> = new Set(['BAD_EVENT', 'USAGE']);

/** The error, when the boundary answers it rather than throwing it. */
export function answeredFailure(err: unknown): FujiEtlError | undefined {
  if (!(err instanceof FujiEtlError) || err.retryable || SENDER_MISTAKES.has(err.code)) return;
  return err;
}

export const METRICS_NAMESPACE = 'FujiEtl';

const service = process.env.POWERTOOLS_SERVICE_NAME || 'fuji-etl';
export const logger = new Logger({ serviceName: service });
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: service });
export const tracer = new Tracer({ serviceName: service });

/**
 * @example
 * export const handler = lambdaHandler(async (event: { connector: string }, inv) => run(event, inv));
 */
export function lambdaHandler<E, R>(
  fn: (event: E, inv: Invocation) => Promise<R>,
  opts: HandlerOptions = {},
) {
  // Time kept back from Lambda's timeout for the wind-down: the aborted slice is recorded and
  // the locks released. Long enough for one Athena statement to be cancelled and the ledger row.
  const marginMs = readSettings(LAMBDA_SETTINGS, process.env, 'Lambda boundary').checkpointMarginMs;
  const log = observeRun(logger, metrics);
  let inflight: Promise<R | NotRetried> | undefined;
  const base = (event: E, context: LambdaContextLike, { signal }: { signal: AbortSignal }) => {
    const inv: Invocation = {
      signal,
      deadline: Date.now() + Math.max(0, context.getRemainingTimeInMillis() - marginMs),
      context,
      log,
    };
    inflight = fn(event, inv).catch((err: unknown): NotRetried => {
      const failure = opts.notRetried === 'answer' ? answeredFailure(err) : undefined;
      if (!failure) throw err;
      log({
        code: 'INVOCATION_NOT_RETRIED',
        functionName: context.functionName ?? 'local',
        errorCode: failure.code,
        errorType: failure.name,
        error: failure.toLine(),
      });
      return {
        errorType: failure.name,
        errorMessage: failure.toLine(),
        code: failure.code,
        retryable: false,
      };
    });
    return inflight;
  };
  return middy(base, {
    timeoutEarlyInMillis: marginMs,
    timeoutEarlyResponse: () => inflight,
  })
    .use(captureLambdaHandler(tracer))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }));
}
