/**
 * Every generated CloudFormation fragment of infra/, by file name, from the table models, the
 * connectors, the contracts and the schedules. `fuji-etl infra` writes them; a test fails when a
 * checked-in file differs from what the models say.
 */
import { allTables, connectors } from '#connectors/index.ts';
import { contracts } from '#connectors/contracts.ts';
import { pipelineTables } from '#shared/model/pipeline-tables.ts';
import { fullName, type TableModel } from '#shared/model/table.ts';
import { opsTables } from '#shared/ops/tables.ts';
import { schedules } from '../../functions/scheduled/schedules.ts';
import { accessPlan, domainsInUse, type PlannedGrant, type Producer } from './access.ts';
import { auditTemplate } from './audit.ts';
import { grantsTemplate } from './grants.ts';
import { readersTemplate } from './readers.ts';
import { ZERO_ETL_ROLE, zeroEtlAccessTemplate } from './zero-etl.ts';
import { monitoringTemplate } from './monitoring.ts';
import { paymentsTemplate } from './payments.ts';
import { schedulesTemplate } from './schedules.ts';
import { subPseudo } from './names.ts';
import { tablesTemplate } from './tables.ts';

/**
 * Namespaces the managed pipelines fill: `payments` with the tables of
 * shared/model/pipeline-tables.ts, `app` with the tables zero-ETL makes from the DynamoDB items.
 */
export const PIPELINE_NAMESPACES = ['payments', 'app'] as const;

/** Every table the template declares: the models, and the tables the pipelines write into. */
export function declaredTables(): TableModel[] {
  return [...allTables(), ...pipelineTables];
}

/** Each namespace in use, with its declared tables (none for the app: zero-ETL makes them). */
export function namespaceTables(): Map<string, TableModel[]> {
  const byNs = new Map<string, TableModel[]>();
  for (const ns of PIPELINE_NAMESPACES) byNs.set(ns, []);
  for (const m of declaredTables()) byNs.set(m.namespace, [...(byNs.get(m.namespace) ?? []), m]);
  return byNs;
}

/** Who writes which namespaces: each function's role, and each managed pipeline's role. */
export function producers(): Producer[] {
  const ops = [...new Set(opsTables.map((m) => m.namespace))];
  const connectorNs = [
    ...new Set(Object.values(connectors).flatMap((c) => c.tables.map((t) => t.model.namespace))),
  ];
  const contractNs = [...new Set([...contracts.values()].map((c) => c.table.namespace))];
  const fn = (role: string, namespaces: string[]): Producer => ({
    role,
    namespaces: [...new Set(namespaces)],
    fragment: 'base',
  });
  return [
    fn('ScheduledRole', [...ops, ...connectorNs]),
    fn('BackfillRole', [...ops, ...connectorNs]),
    fn('CsvUploadRole', [...ops, ...contractNs]),
    fn('ReplayQuarantineRole', [...ops, ...contractNs]),
    // An operator's restore (docs/recovery.md) of any table the suite itself writes.
    fn('RestoreRole', [...ops, ...connectorNs, ...contractNs]),
    // The daily report rebuilds the analytics tables and reads what the data team reads.
    { ...fn('ReportRole', ['analytics']), readsAsDataTeam: ['lake', 'uploads'] },
    { role: 'PaymentsFirehoseRole', namespaces: ['payments'], fragment: 'payments' },
    // The integration may create its own namespace in the app bucket (docs/infra.md): the
    // catalog grant lets it, on the app bucket only.
    { role: ZERO_ETL_ROLE, namespaces: ['app'], fragment: 'app', catalog: ['app'] },
  ];
}

export function plan(): PlannedGrant[] {
  return accessPlan(namespaceTables(), producers());
}

export function generatedFragments(): Record<string, object> {
  const names = Object.keys(connectors);
  const tablesOf = Object.fromEntries(
    names.map((n) => [n, connectors[n]!.tables.map((t) => fullName(t.model))]),
  );
  const grants = plan();
  const fragments = {
    's3tables-tables.json': tablesTemplate(declaredTables(), PIPELINE_NAMESPACES),
    'schedules.json': schedulesTemplate(names, schedules),
    'monitoring.json': monitoringTemplate(tablesOf, schedules),
    'grants.json': grantsTemplate(grants),
    'readers.json': readersTemplate(domainsInUse(namespaceTables().keys())),
    'audit.json': auditTemplate(),
    'optional/payments-firehose-enabled.json': paymentsTemplate(grants),
    'optional/app-zero-etl-access-enabled.json': zeroEtlAccessTemplate(grants),
  };
  return Object.fromEntries(
    Object.entries(fragments).map(([name, body]) => [name, subPseudo(body) as object]),
  );
}
