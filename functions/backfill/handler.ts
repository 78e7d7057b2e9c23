/**
 * Manual invoke `{connector, from, to}`: loads a range of Asia/Tokyo days (to exclusive). Slices
 * run until the deadline nears; the runtime keeps the range's own progress cursor, so when time
 * runs out the function invokes itself with the same range and the next invocation resumes after
 * the last landed slice. Long ranges finish across invocations without anyone watching.
 *
 * It stops, and says where, when a slice failed (the error goes to the on-failure destination),
 * when an invocation landed nothing (deferred slices: the source has no data yet), or after
 * FUJI_ETL_BACKFILL_MAX_INVOCATIONS hops (a guard against a loop that never converges).
 */
import { loadConfig } from '#shared/config/index.ts';
import { readSettings } from '#shared/settings/read.ts';
import { settings as settingsSpec } from './settings.ts';
import { invokeAsync, lambdaClientFor } from '#shared/aws/lambda.ts';
import { FujiEtlError } from '#shared/errors/index.ts';
import { badEvent, lambdaHandler } from '#shared/lambda/handler.ts';
import { depsFor } from '#shared/runtime/deps.ts';
import { runConnector, summarize, type RunSummary } from '#shared/runtime/run.ts';
import { connectorNamed, dayRange } from '#shared/runtime/select.ts';
import { connectors } from '#connectors/index.ts';

export interface BackfillEvent {
  readonly connector: string;
  readonly from: string;
  readonly to: string;
  /** 1 for the manual invoke; each self-invocation adds one. */
  readonly invocation?: number;
}

export interface BackfillResult {
  readonly summary: RunSummary;
  readonly status: 'complete' | 'continued' | 'stopped';
  /** The event of the next invocation, when continued. */
  readonly next?: BackfillEvent;
  /** Why it stopped short of the end of the range. */
  readonly reason?: string;
}

const cfg = loadConfig(process.env);
const { engine, store, staging, settings, secrets } = depsFor(cfg, process.env);
settings.validate(Object.values(connectors));
const lambda = lambdaClientFor(cfg);
const { maxInvocations } = readSettings(settingsSpec, process.env, 'function backfill');

export const handler = lambdaHandler(
  async (event: BackfillEvent, { signal, deadline, log, context }): Promise<BackfillResult> => {
    const def = connectorNamed(connectors, event.connector, badEvent(event));
    const range = dayRange(event.from, event.to, badEvent(event));
    const invocation = event.invocation ?? 1;
    const summary = await runConnector(
      def,
      { engine, dialect: cfg.dialect, store, staging, settings, secrets, log },
      { range, signal, deadline },
    );
    const line = { ...summarize(summary), from: range.from, to: range.to, invocation };
    if (summary.complete) {
      log({ code: 'BACKFILL_COMPLETE', ...line });
      return { summary, status: 'complete' };
    }
    // An aborted slice is the deadline, not a failure: it is loaded again on the next hop.
    if (line.failed.length > 0) {
      throw new FujiEtlError(
        'BACKFILL_FAILED',
        `${def.name} ${range.from}..${range.to}: slice ${line.failed.join(', ')} failed; invoke the same range again to resume after ${line.last ?? 'nothing'}`,
        {
          retryable: summary.slices.some((s) => s.status === 'failed' && s.retryable !== false),
          context: line,
        },
      );
    }
    const landed = summary.slices.some((s) => s.status === 'succeeded' || s.status === 'partial');
    const reason = !landed
      ? 'no slice landed in this invocation (the source has nothing yet); invoke again later'
      : invocation >= maxInvocations
        ? `stopped after ${maxInvocations} invocations; invoke the same range again to go on`
        : undefined;
    if (reason || !context.functionName) {
      const why = reason ?? 'not running in Lambda: invoke the same range again to go on';
      log({ code: 'BACKFILL_STOPPED', ...line, reason: why });
      return { summary, status: 'stopped', reason: why };
    }
    const next = {
      connector: def.name,
      from: range.from,
      to: range.to,
      invocation: invocation + 1,
    };
    await invokeAsync(lambda, context.functionName, next);
    log({ code: 'BACKFILL_CONTINUED', ...line, next });
    return { summary, status: 'continued', next };
  },
  // Lambda retries this function's invocations: a failure marked not retryable is answered.
  { notRetried: 'answer' },
);
