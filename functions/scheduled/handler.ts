/**
 * Lambda handler: runs one connector, from an EventBridge schedule (no range: incremental from
 * the cursor) or a manual invoke for a backfill ({ from, to }, a half-open range of Asia/Tokyo
 * days). Config comes from the environment through the typed loader; clients are built once per
 * cold start. The run is aborted 30 s before Lambda's deadline so the slice in flight stops
 * cleanly, the ledger records it and the cursor stays at the last complete slice.
 */
import { loadConfig } from '#shared/config/index.ts';
import { FujiEtlError } from '#shared/errors/index.ts';
import { runConnector, type RunSummary } from '#shared/runtime/run.ts';
import { depsFor } from '#shared/runtime/deps.ts';
import { parseDate } from '#shared/time/civil.ts';
import { connectors } from '#connectors/index.ts';

export interface RunConnectorEvent {
  readonly connector: string;
  readonly from?: string;
  readonly to?: string;
}

export interface LambdaContextLike {
  getRemainingTimeInMillis(): number;
}

const cfg = loadConfig({ FUJI_ETL_TARGET: 'aws', ...process.env });
const { engine, store } = depsFor(cfg);

const CHECKPOINT_MARGIN_MS = 30_000;

export async function handler(
  event: RunConnectorEvent,
  context: LambdaContextLike,
): Promise<RunSummary> {
  const def = connectors[event.connector];
  if (!def)
    throw new FujiEtlError('BAD_EVENT', `unknown connector ${JSON.stringify(event.connector)}`, {
      context: { event },
    });
  if (
    (event.from === undefined) !== (event.to === undefined) ||
    [event.from, event.to].some((d) => d !== undefined && parseDate(d) === undefined)
  ) {
    throw new FujiEtlError(
      'BAD_EVENT',
      'from and to must both be YYYY-MM-DD days, or both absent',
      { context: { event } },
    );
  }
  const budgetMs = Math.max(1_000, context.getRemainingTimeInMillis() - CHECKPOINT_MARGIN_MS);
  const signal = AbortSignal.timeout(budgetMs);
  // Upstream retries see the deadline too, so a Retry-After that would outlive it is not awaited.
  const deadline = Date.now() + budgetMs;
  const range = event.from && event.to ? { from: event.from, to: event.to } : undefined;
  const summary = await runConnector(
    def,
    { engine, dialect: cfg.dialect, store },
    { range, signal, deadline },
  );
  console.log(
    JSON.stringify({
      code: 'RUN_DONE',
      runId: summary.runId,
      connector: summary.connector,
      ok: summary.ok,
      complete: summary.complete,
      slices: summary.slices.length,
    }),
  );
  return summary;
}
