/**
 * How far back each table can be restored: the S3 Tables snapshot settings written into the
 * template (infra/s3tables-tables.json), shown by `fuji-etl history`, enforced by `restore`, and
 * mirrored locally by `fuji-etl maintain`. A snapshot stays while it is younger than
 * `maxSnapshotAgeHours` or among the table's newest `minSnapshotsToKeep`; S3 Tables expires the
 * rest, and removes their unreferenced data files some days later.
 *
 * The cost of a longer window is the data that snapshots alone still hold: every row a commit
 * replaced or deleted stays on storage until its snapshot expires. So the window follows how late
 * a mistake is noticed and how much a table churns (the reasoning, per domain, in docs/recovery.md):
 *
 * - files people upload (climbing, entry, mobility, tourism, opendata): a wrong file is often
 *   noticed only at the monthly figures, and these tables change only when a file does, so
 *   holding five weeks costs little;
 * - weather and web analytics: written every hour or day, and replaced per day; two weeks
 *   covers a bad backfill noticed at the next weekly review. JMA forecasts cannot be read again
 *   later, so a deleted forecast is only in a snapshot;
 * - ops: every slice commits the ledger; it is append-only and rarely restored: one week;
 * - derived and scratch namespaces (analytics, sandbox): rebuilt from the others: three days.
 */
import type { TableModel } from './table.ts';

export interface Retention {
  readonly maxSnapshotAgeHours: number;
  readonly minSnapshotsToKeep: number;
}

const WEEK: Retention = { maxSnapshotAgeHours: 7 * 24, minSnapshotsToKeep: 10 };
const TWO_WEEKS: Retention = { maxSnapshotAgeHours: 14 * 24, minSnapshotsToKeep: 20 };
const FIVE_WEEKS: Retention = { maxSnapshotAgeHours: 35 * 24, minSnapshotsToKeep: 20 };
const THREE_DAYS: Retention = { maxSnapshotAgeHours: 3 * 24, minSnapshotsToKeep: 5 };

const BY_NAMESPACE: Readonly<Record<string, Retention>> = {
  climbing: FIVE_WEEKS,
  entry: FIVE_WEEKS,
  mobility: FIVE_WEEKS,
  tourism: FIVE_WEEKS,
  opendata: FIVE_WEEKS,
  weather: TWO_WEEKS,
  web_analytics: TWO_WEEKS,
  ops: WEEK,
  analytics: THREE_DAYS,
  sandbox: THREE_DAYS,
};

/** A namespace's retention; a namespace not listed keeps one week (S3 Tables' own default is 5 days). */
export function retentionOfNamespace(namespace: string): Retention {
  return BY_NAMESPACE[namespace] ?? WEEK;
}

export function retentionOf(model: TableModel): Retention {
  return retentionOfNamespace(model.namespace);
}

/** "35 days (and the newest 20 snapshots)": the window as people read it. */
export function describeRetention(r: Retention): string {
  const h = r.maxSnapshotAgeHours;
  const age = h % 24 === 0 ? `${h / 24} days` : `${h} hours`;
  return `${age} (and the newest ${r.minSnapshotsToKeep} snapshots)`;
}
