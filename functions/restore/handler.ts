/**
 * Manual invoke `{table, to, apply?}`: the restore of `fuji-etl restore` for operators who work
 * from the console (runbook: docs/recovery.md). Without `apply: true` it is the dry run and
 * returns what would change; with it, one commit makes the table equal to the state `to` names
 * (a snapshot id, or an ISO time with its zone). Not retried: a restore is an operator's act.
 */
import { loadConfig } from '#shared/config/index.ts';
import { FujiEtlError } from '#shared/errors/index.ts';
import { lambdaHandler } from '#shared/lambda/handler.ts';
import { parseStateRef } from '#shared/ops/history.ts';
import { applyRestore, planRestore, type RestoreResult } from '#shared/ops/restore.ts';
import type { StateDiff } from '#shared/ops/diff.ts';
import { depsFor } from '#shared/runtime/deps.ts';
import { declaredTable } from '#connectors/index.ts';

export interface RestoreEvent {
  readonly table: string;
  readonly to: string;
  readonly apply?: boolean;
  /** The declared table's model in another namespace (a sandbox copy). */
  readonly database?: string;
}

export interface RestoreOutcome {
  readonly table: string;
  readonly target: { readonly snapshotId: string; readonly committedAt: string };
  readonly current: string;
  readonly diff: Pick<StateDiff, 'counts' | 'partitions' | 'samples'>;
  readonly applied?: RestoreResult;
}

const cfg = loadConfig(process.env);
const { engine, store, staging } = depsFor(cfg, process.env);

export const handler = lambdaHandler(
  async (event: RestoreEvent, { signal, log }): Promise<RestoreOutcome> => {
    const model =
      typeof event.table === 'string' ? declaredTable(event.table, event.database) : undefined;
    if (!model || typeof event.to !== 'string')
      throw new FujiEtlError(
        'BAD_EVENT',
        `a restore needs {"table": "<declared namespace.table>", "to": "<snapshot id | ISO time with zone>"}`,
        { context: { table: event.table } },
      );
    const plan = await planRestore(engine, model, parseStateRef(event.to, 'to'), { signal });
    const outcome = {
      table: plan.table,
      target: {
        snapshotId: plan.target.snapshotId,
        committedAt: plan.target.committedAt.toISOString(),
      },
      current: plan.current.snapshotId,
      diff: {
        counts: plan.diff.counts,
        partitions: plan.diff.partitions,
        samples: plan.diff.samples,
      },
    };
    if (event.apply !== true) {
      log({ code: 'RESTORE_PLANNED', ...outcome });
      return outcome;
    }
    const applied = await applyRestore(
      { engine, dialect: cfg.dialect, store, staging },
      model,
      plan,
      {
        signal,
      },
    );
    log({ code: 'RESTORE_APPLIED', ...outcome, applied });
    return { ...outcome, applied };
  },
);
