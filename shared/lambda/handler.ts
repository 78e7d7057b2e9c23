/**
 * Every Lambda handler of the suite is wrapped here, once: middy with Powertools logger, metrics
 * and tracer, and middy's early-timeout signal handed to the handler so the runtime stops between
 * slices and checkpoints before Lambda kills the invocation.
 *
 * middy answers with `timeoutEarlyResponse` as soon as the early timeout fires; ours waits for the
 * handler's own wind-down instead (the slice in flight is recorded as aborted, the cursor stays
 * at the last complete slice), so the response is the real summary rather than a bare timeout.
 */
import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { envInt } from '#shared/config/env.ts';
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
  readonly log: (event: Record<string, unknown>) => void;
}

/** A mistake in an event: not retried (the same event fails the same way), the event logged. */
export const badEvent = (event: unknown) => ({ code: 'BAD_EVENT', context: { event } });

export const METRICS_NAMESPACE = 'FujiEtl';

const service = process.env.POWERTOOLS_SERVICE_NAME || 'fuji-etl';
export const logger = new Logger({ serviceName: service });
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: service });
export const tracer = new Tracer({ serviceName: service });

/**
 * @example
 * export const handler = lambdaHandler(async (event: { connector: string }, inv) => run(event, inv));
 */
export function lambdaHandler<E, R>(fn: (event: E, inv: Invocation) => Promise<R>) {
  // Time kept back from Lambda's timeout for the wind-down: the aborted slice is recorded and
  // the locks released. Long enough for one Athena statement to be cancelled and the ledger row.
  const marginMs = envInt(process.env, 'FUJI_ETL_CHECKPOINT_MARGIN_MS', 30_000, 1_000);
  const log = observeRun(logger, metrics);
  let inflight: Promise<R> | undefined;
  const base = (event: E, context: LambdaContextLike, opts: { signal: AbortSignal }) => {
    const inv: Invocation = {
      signal: opts.signal,
      deadline: Date.now() + Math.max(0, context.getRemainingTimeInMillis() - marginMs),
      context,
      log,
    };
    inflight = fn(event, inv);
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
