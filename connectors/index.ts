/** Every connector of the suite, by name: the CLI, the demo and the Lambda handlers read this. */
import type { ConnectorDefinition, Slice } from '#shared/runtime/connector.ts';
import type { TableModel } from '#shared/model/table.ts';
import { opsTables } from '#shared/ops/tables.ts';
import { synthetic } from './synthetic/connector.ts';

export const connectors: Readonly<
  Record<string, ConnectorDefinition<Slice & Record<string, unknown>>>
> = {
  synthetic: synthetic as unknown as ConnectorDefinition<Slice & Record<string, unknown>>,
};

/** Every declared table, ops tables first. */
export function allTables(): TableModel[] {
  return [...opsTables, ...Object.values(connectors).flatMap((c) => c.tables.map((t) => t.model))];
}
