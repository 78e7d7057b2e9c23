/**
 * A connector is data: a name, its tables with their write disposition, how a run is cut into
 * slices (a date window, a station, a property) and how one slice is fetched. Paging, retries,
 * state, batching, validation, quarantine and writing live once, in the runtime.
 */
import { assertIdentifier } from '../sql/identifier.ts';
import type { TableModel } from '../model/table.ts';
import type { Disposition } from '../writer/plan.ts';

/** Half-open date range [from, to) of 'YYYY-MM-DD' days in Asia/Tokyo. */
export interface DateRange {
  readonly from: string;
  readonly to: string;
}

export interface Slice {
  /** Stable and human-readable: it names the slice in the ledger and in errors. */
  readonly id: string;
}

export interface TableTarget {
  readonly model: TableModel;
  readonly disposition: Disposition;
}

export interface FetchContext {
  readonly runId: string;
  readonly signal: AbortSignal;
  /** Epoch ms the run must finish by: retries and waits that would pass it are not started. */
  readonly deadline?: number;
  /** The run's clock (tests and backfills set it). */
  readonly now: Date;
}

export interface SliceData {
  /** Rows per target table name. */
  readonly rows: Readonly<Record<string, readonly Record<string, unknown>[]>>;
  readonly rowsRead: number;
  /** Where the rows came from (URL, object key), kept with quarantined rows. */
  readonly source?: string;
  /** Saved after the slice lands, so the next run resumes after it. */
  readonly cursor?: string;
}

export interface ConnectorDefinition<S extends Slice = Slice> {
  readonly name: string;
  readonly tables: readonly TableTarget[];
  slices(input: { range?: DateRange; cursor?: string; now: Date }): readonly S[];
  fetch(slice: S, ctx: FetchContext): Promise<SliceData>;
}

/** Validates a connector definition once, at import time. */
export function defineConnector<S extends Slice>(
  def: ConnectorDefinition<S>,
): ConnectorDefinition<S> {
  assertIdentifier(def.name, 'connector name');
  if (def.tables.length === 0) throw new Error(`connector ${def.name} declares no tables`);
  return Object.freeze(def);
}
