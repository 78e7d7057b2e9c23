/**
 * EventBridge Scheduler target: one connector's incremental load from its cursor. The schedule's
 * input is `{"connector": "<name>"}` (infra/schedules.json, one schedule per connector). A run that
 * failed a slice for a passing reason throws, so Lambda's retry and the failure queue see it; one
 * whose failed slices are all marked not retryable is answered and alarms by itself
 * (shared/lambda/handler.ts); an aborted run (deadline) does neither: the next schedule resumes
 * from the cursor.
 */
import { loadConfig } from '#shared/config/index.ts';
import { describeError, FujiEtlError } from '#shared/errors/index.ts';
import { badEvent, lambdaHandler } from '#shared/lambda/handler.ts';
import { depsFor } from '#shared/runtime/deps.ts';
import { tableFreshness } from '#shared/ops/freshness.ts';
import { runConnector, summarize, type RunSummary } from '#shared/runtime/run.ts';
import { connectorNamed } from '#shared/runtime/select.ts';
import { connectors } from '#connectors/index.ts';

export interface ScheduledEvent {
  readonly connector: string;
}

const cfg = loadConfig(process.env);
const { engine, store, staging, settings, secrets } = depsFor(cfg, process.env);
// Every connector's settings, checked at cold start: a bad one fails here, naming its variables.
settings.validate(Object.values(connectors));

export const handler = lambdaHandler(
  async (event: ScheduledEvent, { signal, deadline, log }): Promise<RunSummary> => {
    const def = connectorNamed(connectors, event.connector, badEvent(event));
    const summary = await runConnector(
      def,
      { engine, dialect: cfg.dialect, store, staging, settings, secrets, log },
      { signal, deadline },
    );
    const line = summarize(summary);
    log({ code: 'RUN_DONE', ...line });
    // The sweeper: stages a crashed run left (a day old) go here; the lifecycle rule is the backstop.
    try {
      const swept = await staging.sweep();
      if (swept.tables.length + swept.prefixes.length > 0) log({ code: 'STAGING_SWEPT', ...swept });
    } catch (err) {
      log({ code: 'STAGING_SWEEP_FAILED', error: describeError(err) });
    }
    // Freshness from the data, for the alarms: a run that landed nothing from a source that
    // stopped updating leaves the newest data where it was, and its tables turn stale.
    try {
      for (const f of await tableFreshness(engine, [def], { now: new Date() })) {
        log({
          code: 'TABLE_FRESHNESS',
          connector: def.name,
          table: f.table,
          state: f.state,
          ageHours: f.ageHours,
          newestData: f.newestData?.toISOString(),
        });
      }
    } catch (err) {
      // No metric then: the alarm's missing data breaches if this keeps failing.
      log({ code: 'FRESHNESS_CHECK_FAILED', connector: def.name, error: describeError(err) });
    }
    // An aborted slice (the deadline) is not a failure: the next schedule resumes from the cursor.
    if (line.failed.length > 0) {
      throw new FujiEtlError('RUN_FAILED', `${def.name}: a slice failed; see the run ledger`, {
        // Running again only helps if a slice failed for a passing reason.
        retryable: summary.slices.some((s) => s.status === 'failed' && s.retryable !== false),
        context: line,
      });
    }
    return summary;
  },
  // Lambda retries this function's invocations: a failure marked not retryable is answered.
  { notRetried: 'answer' },
);
