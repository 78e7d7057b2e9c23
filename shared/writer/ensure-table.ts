/**
 * Makes the engine's table match the model: creates the namespace and table when missing, and
 * evolves an existing table by adding the model's new nullable columns (ALTER TABLE ADD COLUMN,
 * data kept). A type change is never applied silently: it is schema drift for a person to decide.
 */
import { FujiEtlError } from '../errors/index.ts';
import type { AthenaEngine } from '../engine/athena.ts';
import { addColumnSql, createSchemaSql, createTableSql, type Dialect } from '../model/ddl.ts';
import { describeTable } from '../model/describe.ts';
import { fullName, type TableModel } from '../model/table.ts';

export class SchemaDriftError extends FujiEtlError {
  constructor(table: string, message: string) {
    super('SCHEMA_DRIFT', `table ${table}: ${message}`, { retryable: false, context: { table } });
  }
}

export interface EnsureReport {
  readonly created: boolean;
  readonly addedColumns: readonly string[];
  /** Columns the engine has and the model does not (kept, never dropped). */
  readonly extraColumns: readonly string[];
}

export async function ensureTable(
  engine: AthenaEngine,
  dialect: Dialect,
  model: TableModel,
  signal?: AbortSignal,
): Promise<EnsureReport> {
  const existing = await describeTable(engine, model.namespace, model.name, signal);
  // DDL names no catalog (Athena's Hive DDL cannot): it runs in the one holding the namespace.
  const ddl = { kind: 'ddl', signal, catalog: engine.names.catalogOf(model.namespace) } as const;
  if (existing.length === 0) {
    await engine.query(createSchemaSql(dialect, model.namespace), ddl);
    await engine.query(createTableSql(dialect, model), ddl);
    return { created: true, addedColumns: [], extraColumns: [] };
  }
  const byName = new Map(existing.map((c) => [c.name, c]));
  const added: string[] = [];
  for (const c of model.columns) {
    const e = byName.get(c.name);
    if (!e) {
      await engine.query(addColumnSql(dialect, model, c), ddl);
      added.push(c.name);
    } else if (e.icebergType !== c.type) {
      throw new SchemaDriftError(
        fullName(model),
        `column ${c.name} is ${e.dataType} in the engine but ${c.type} in the model`,
      );
    }
  }
  const modelNames = new Set(model.columns.map((c) => c.name));
  return {
    created: false,
    addedColumns: added,
    extraColumns: existing.filter((c) => !modelNames.has(c.name)).map((c) => c.name),
  };
}
