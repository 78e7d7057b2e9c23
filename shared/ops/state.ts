/**
 * A past state of a table, read as the model's columns. Time travel reads a snapshot with the
 * schema it was written with (measured on Trino 476), so a snapshot from before a column was
 * added (the writer evolves tables with ADD COLUMN) lacks it: such columns read NULL, as they
 * did for the rows of that time, and diff and restore compare and write every model column.
 */
import type { AthenaEngine } from '../engine/athena.ts';
import { FujiEtlError } from '../errors/index.ts';
import { engineType } from '../model/ddl.ts';
import type { ColumnDef, TableModel } from '../model/table.ts';
import { quoteIdent } from '../sql/identifier.ts';

export interface TableState {
  /** The table as statements name it (`engine.names`: with its catalog outside the lake's). */
  readonly table: string;
  readonly snapshotId: string;
  /** The model's columns the snapshot's schema has. */
  readonly columns: ReadonlySet<string>;
}

/** The table as of a snapshot (the id is digits only, checked, never interpolated raw text). */
export function asOf(state: Pick<TableState, 'table' | 'snapshotId'>): string {
  const { table, snapshotId } = state;
  if (!/^\d{1,20}$/.test(snapshotId))
    throw new FujiEtlError('USAGE', `snapshot id ${JSON.stringify(snapshotId)} is not a number`);
  return `${table} FOR VERSION AS OF ${snapshotId}`;
}

/** The snapshot's columns, from the result header of a query that reads no row. */
export async function stateOf(
  engine: AthenaEngine,
  model: TableModel,
  snapshotId: string,
  signal?: AbortSignal,
): Promise<TableState> {
  const table = engine.names.of(model);
  const r = await engine.query(`SELECT * FROM ${asOf({ table, snapshotId })} LIMIT 0`, {
    kind: 'select',
    signal,
  });
  const present = new Set(r.columns.map((c) => c.name));
  return {
    table,
    snapshotId,
    columns: new Set(model.columns.map((c) => c.name).filter((n) => present.has(n))),
  };
}

/** The column as the state has it, or a typed NULL where its schema lacked it. */
export function columnAt(state: TableState, c: ColumnDef): string {
  return state.columns.has(c.name)
    ? quoteIdent(c.name)
    : `CAST(NULL AS ${engineType('trino', c.type)})`;
}

/** `SELECT <every model column> FROM <table> FOR VERSION AS OF <id>`, `extra` appended. */
export function selectState(model: TableModel, state: TableState, extra = ''): string {
  const cols = model.columns.map((c) => `${columnAt(state, c)} AS ${quoteIdent(c.name)}`);
  return `SELECT ${cols.join(', ')}${extra} FROM ${asOf(state)}`;
}
