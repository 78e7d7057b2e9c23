/**
 * Connectors writing into a namespace of the test's own instead of the declared one (`weather`,
 * `tourism`, …): the demo, another test file or a second test run on the same stack never sees
 * a test's rows, and a test counting rows or snapshots never sees theirs.
 */
import type { AthenaEngine } from '#shared/engine/athena.ts';
import { qualifiedName } from '#shared/sql/identifier.ts';
import type { ConnectorDefinition } from '#shared/runtime/connector.ts';
import type { TableModel } from '#shared/model/table.ts';
import { inNamespace } from './local.ts';

/** The same connector, its tables in `namespace` (same names, models and dispositions). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any slice and settings type
export function connectorIn<D extends ConnectorDefinition<any, any>>(def: D, namespace: string): D {
  return Object.freeze({
    ...def,
    tables: def.tables.map((t) => ({ ...t, model: inNamespace(t.model, namespace) })),
  });
}

/** Drops the tables of connectors moved by {@link connectorIn}, then their namespace. */
export async function dropConnectorTables(
  engine: AthenaEngine,
  defs: readonly { readonly tables: readonly { readonly model: TableModel }[] }[],
): Promise<void> {
  const models = defs.flatMap((d) => d.tables.map((t) => t.model));
  for (const m of models)
    await engine.query(`DROP TABLE IF EXISTS ${qualifiedName(m.namespace, m.name)}`);
  for (const ns of new Set(models.map((m) => m.namespace)))
    await engine.query(`DROP SCHEMA IF EXISTS "${ns}"`);
}
