/**
 * Every generated CloudFormation fragment of infra/, by file name, from the table models, the
 * connectors, the contracts and the schedules. `fuji-etl infra` writes them; a test fails when a
 * checked-in file differs from what the models say.
 */
import { allTables, connectors } from '#connectors/index.ts';
import { contracts } from '#connectors/contracts.ts';
import { fullName } from '#shared/model/table.ts';
import { opsTables } from '#shared/ops/tables.ts';
import { schedules } from '../../functions/scheduled/schedules.ts';
import { grantsTemplate } from './grants.ts';
import { monitoringTemplate } from './monitoring.ts';
import { paymentsTemplate } from './payments.ts';
import { schedulesTemplate } from './schedules.ts';
import { subPseudo } from './names.ts';
import { tablesTemplate } from './tables.ts';

/** Namespaces the managed pipelines fill (no table models: their sources define the schema). */
export const PIPELINE_NAMESPACES = ['payments', 'app'] as const;

export function generatedFragments(): Record<string, object> {
  const names = Object.keys(connectors);
  const tablesOf = Object.fromEntries(
    names.map((n) => [n, connectors[n]!.tables.map((t) => fullName(t.model))]),
  );
  const ops = [...new Set(opsTables.map((m) => m.namespace))];
  const connectorNs = [
    ...new Set(Object.values(connectors).flatMap((c) => c.tables.map((t) => t.model.namespace))),
  ];
  const contractNs = [...new Set([...contracts.values()].map((c) => c.table.namespace))];
  const models = allTables();
  const namespaces = [...new Set([...models.map((m) => m.namespace), ...PIPELINE_NAMESPACES])];
  const fragments = {
    's3tables-tables.json': tablesTemplate(models, PIPELINE_NAMESPACES),
    'schedules.json': schedulesTemplate(names, schedules),
    'monitoring.json': monitoringTemplate(tablesOf, schedules),
    'grants.json': grantsTemplate(namespaces, {
      ScheduledRole: [...new Set([...ops, ...connectorNs])],
      BackfillRole: [...new Set([...ops, ...connectorNs])],
      CsvUploadRole: [...new Set([...ops, ...contractNs])],
      ReplayQuarantineRole: [...new Set([...ops, ...contractNs])],
    }),
    'optional/payments-firehose-enabled.json': paymentsTemplate(),
  };
  return Object.fromEntries(
    Object.entries(fragments).map(([name, body]) => [name, subPseudo(body) as object]),
  );
}
