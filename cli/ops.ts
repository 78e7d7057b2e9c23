/**
 * Operators' commands over a table's past (誤操作からの復旧): history, diff, restore, and the
 * local warehouse's maintenance. Runbooks cite these names (docs/recovery.md): keep them.
 */
import { FujiEtlError } from '#shared/errors/index.ts';
import { describeRetention, retentionOf } from '#shared/model/retention.ts';
import { fullName, type TableModel } from '#shared/model/table.ts';
import type { StateDiff } from '#shared/ops/diff.ts';
import { diffStates } from '#shared/ops/diff.ts';
import { parseStateRef, resolveState, tableHistory } from '#shared/ops/history.ts';
import { applyRestore, planRestore } from '#shared/ops/restore.ts';
import { jstText, utcText } from '#shared/time/display.ts';
import { allTables, declaredTable as declared } from '#connectors/index.ts';
import { maintainWarehouse } from '#local/stack/maintain.ts';
import { localStackConfig } from '#local/config.ts';
import { cliContext, ensureLocalStateTable } from './context.ts';
import { formatRows, type OutputFormat } from './format.ts';
import { Progress } from './progress.ts';

const usage = (message: string) => new FujiEtlError('USAGE', message);

/** A declared table by `namespace.table` (with `--database`, its model in that namespace). */
export function declaredTable(
  name: string | undefined,
  command: string,
  database?: string,
): TableModel {
  if (!name) throw usage(`${command} needs <namespace.table>`);
  const model = declared(name, database);
  if (!model)
    throw usage(
      `unknown table ${JSON.stringify(name)}; declared: ${allTables().map(fullName).join(', ')}`,
    );
  return model;
}

type Where = { database?: string };

const SECONDS = { seconds: true } as const;
const utc = (d: Date) => utcText(d, SECONDS);
const jst = (d: Date) => jstText(d, SECONDS);

export async function historyCommand(
  name: string | undefined,
  values: Where & { format: OutputFormat },
) {
  const model = declaredTable(name, 'history', values.database);
  const history = await tableHistory(cliContext().engine, model);
  const rows = history.map((s, i) => [
    s.snapshotId,
    utc(s.committedAt),
    jst(s.committedAt),
    s.operation === 'replace' ? 'replace (compaction)' : s.operation,
    String(s.rowsAdded),
    String(s.rowsDeleted),
    s.totalRows === undefined ? null : String(s.totalRows),
    s.runId ?? null,
    s.connector ?? null,
    utc(s.leavesWindowAt),
    s.current
      ? 'current'
      : !s.inWindow
        ? 'outside the window'
        : i < retentionOf(model).minSnapshotsToKeep && s.leavesWindowAt.getTime() <= Date.now()
          ? 'kept as one of the newest'
          : 'restorable',
  ]);
  console.log(
    `${fullName(model)}: ${history.length} snapshots; restore window ${describeRetention(retentionOf(model))}`,
  );
  console.log(
    formatRows(
      [
        'snapshot',
        'committed (UTC)',
        'committed (JST)',
        'operation',
        'added',
        'deleted',
        'total',
        'run',
        'connector',
        'leaves window (UTC)',
        'state',
      ],
      rows,
      values.format,
    ),
  );
  return 0;
}

function printDiff(d: StateDiff, heading: string): void {
  console.log(heading);
  console.log(
    formatRows(
      ['change', 'rows', 'sample keys'],
      (['inserted', 'updated', 'deleted'] as const).map((k) => [
        k,
        String(d.counts[k]),
        d.samples[k].join('; ') || null,
      ]),
      'table',
    ),
  );
  console.log(`partitions with a change: ${d.partitions}`);
}

export async function diffCommand(
  name: string | undefined,
  values: Where & { from?: string; to?: string },
): Promise<number> {
  const model = declaredTable(name, 'diff', values.database);
  if (!values.from) throw usage('diff needs --from <snapshot-id|ISO time>');
  const { engine } = cliContext();
  const history = await tableHistory(engine, model);
  const from = resolveState(model, history, parseStateRef(values.from, '--from'));
  const to = values.to
    ? resolveState(model, history, parseStateRef(values.to, '--to'))
    : history[0]!;
  const d = await diffStates(engine, model, from.snapshotId, to.snapshotId);
  printDiff(
    d,
    `${fullName(model)}: from snapshot ${from.snapshotId} (${utc(from.committedAt)}) to ${to.snapshotId} (${utc(to.committedAt)}${to.current ? ', current' : ''})`,
  );
  return 0;
}

export async function restoreCommand(
  name: string | undefined,
  values: Where & { to?: string; apply?: boolean },
): Promise<number> {
  const model = declaredTable(name, 'restore', values.database);
  if (!values.to) throw usage('restore needs --to <snapshot-id|ISO time>');
  const ctx = cliContext();
  // A restore is one long statement or two (the diff, then the MERGE): the phase and the time
  // it has taken go to stderr while they run, the plan and the result to stdout as before.
  const progress = new Progress({ label: `restore ${fullName(model)}`, unit: 'time' });
  progress.phase('comparing with the snapshot');
  const plan = await planRestore(ctx.engine, model, parseStateRef(values.to)).finally(() =>
    progress.finish(),
  );
  printDiff(
    plan.diff,
    `${plan.table}: restore to snapshot ${plan.target.snapshotId} (committed ${utc(plan.target.committedAt)}, ${jst(plan.target.committedAt)}) from current ${plan.current.snapshotId}`,
  );
  if (!values.apply) {
    console.log('(dry run: nothing changed; add --apply to restore)');
    return 0;
  }
  await ensureLocalStateTable(ctx);
  const applying = new Progress({ label: `restore ${fullName(model)}`, unit: 'time' });
  const { counts } = plan.diff;
  applying.phase(
    `applying ${counts.inserted + counts.updated + counts.deleted} changed rows in one commit`,
  );
  const r = await applyRestore(
    { engine: ctx.engine, dialect: ctx.cfg.dialect, store: ctx.store, staging: ctx.staging },
    model,
    plan,
  ).finally(() => applying.finish());
  console.log(
    r.snapshotId
      ? `restored: ${r.rowsWritten} rows written in one commit, snapshot ${r.snapshotId}, ${r.seconds.toFixed(1)} s (run ${r.runId})\n` +
          `undo: fuji-etl restore ${name}${values.database ? ` --database ${values.database}` : ''} --to ${plan.current.snapshotId} --apply`
      : `nothing to restore: the table already equals snapshot ${plan.target.snapshotId}`,
  );
  return 0;
}

export async function maintainCommand(name: string | undefined): Promise<number> {
  if (cliContext().cfg.target !== 'local')
    throw usage(
      'maintain runs on the local warehouse only: on AWS, S3 Tables maintains the tables itself (their SnapshotManagement and Compaction settings in infra/s3tables-tables.json)',
    );
  const tables = name === undefined ? undefined : [fullName(declaredTable(name, 'maintain'))];
  const r = await maintainWarehouse(localStackConfig(), (l) => console.error(l), {
    ...(tables && { tables }),
    compact: true,
  });
  console.log(
    `maintained ${r.tables} tables: ${r.expired} snapshots expired, ${r.compacted} compacted, ${r.skipped} skipped`,
  );
  return r.skipped > 0 ? 1 : 0;
}
