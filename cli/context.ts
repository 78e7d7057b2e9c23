/**
 * Builds the engine and state store for the CLI from the typed config. The CLI defaults to the
 * local stack (FUJI_ETL_TARGET=local) so a laptop never writes to AWS by accident.
 */
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { loadConfig, type SuiteConfig } from '#shared/config/index.ts';
import { clientsFor } from '#shared/aws/clients.ts';
import { AthenaEngine } from '#shared/engine/athena.ts';
import { StateStore } from '#shared/state/store.ts';
import { localUrls } from '#local/config.ts';

export interface CliContext {
  readonly cfg: SuiteConfig;
  readonly engine: AthenaEngine;
  readonly store: StateStore;
}

export function cliContext(env: NodeJS.ProcessEnv = process.env): CliContext {
  const urls = localUrls();
  const cfg = loadConfig(env, { athena: urls.athena, aws: urls.moto });
  const clients = clientsFor(cfg);
  const engine = new AthenaEngine({
    client: clients.athena,
    catalog: cfg.athena.catalog,
    workGroup: cfg.athena.workGroup,
    outputLocation: cfg.athena.outputLocation,
    timeoutMs: cfg.athena.timeoutMs,
  });
  return { cfg, engine, store: new StateStore(clients.dynamo, cfg.stateTable) };
}

/** Locally the state table is ours to create; in AWS it comes from infra/ (never created here). */
export async function ensureLocalStateTable(ctx: CliContext): Promise<void> {
  if (ctx.cfg.target !== 'local') return;
  const db = clientsFor(ctx.cfg).dynamo;
  try {
    await db.send(new DescribeTableCommand({ TableName: ctx.cfg.stateTable }));
  } catch (err) {
    if (!(err instanceof Error) || err.name !== 'ResourceNotFoundException') throw err;
    await db.send(
      new CreateTableCommand({
        TableName: ctx.cfg.stateTable,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  }
}
