/**
 * Builds the engine and state store for the CLI from the typed config. The CLI defaults to the
 * local stack (FUJI_ETL_TARGET=local) so a laptop never writes to AWS by accident.
 */
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { CreateSecretCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { ga4 } from '#connectors/ga4/connector.ts';
import { loadConfig, type SuiteConfig } from '#shared/config/index.ts';
import { clientsFor } from '#shared/aws/clients.ts';
import type { AthenaEngine } from '#shared/engine/athena.ts';
import type { StateStore } from '#shared/state/store.ts';
import type { StagingArea } from '#shared/writer/staging.ts';
import { depsFor } from '#shared/runtime/deps.ts';
import { cliEnv } from '#local/config.ts';
import type { Env } from '#shared/settings/env.ts';
import { secretReader } from '#shared/aws/secrets.ts';
import type { SecretReader } from '#shared/runtime/connector.ts';
import type { RunDeps } from '#shared/runtime/run.ts';
import { ConnectorSettings } from '#shared/runtime/settings.ts';

export interface CliContext {
  readonly cfg: SuiteConfig;
  /** The environment the command runs with (the local stack's under the process's own). */
  readonly env: Env;
  readonly settings: ConnectorSettings;
  readonly secrets: SecretReader;
  readonly engine: AthenaEngine;
  readonly store: StateStore;
  readonly staging: StagingArea;
}

/**
 * The CLI's deps. `env` is the process's own environment; unless it says `FUJI_ETL_TARGET=aws`
 * the local stack's endpoints are laid under it (cliEnv), so nothing is written to AWS by
 * accident and no command needs to set a variable for the local target.
 */
export function cliContext(processEnv: NodeJS.ProcessEnv = process.env): CliContext {
  const env = cliEnv(processEnv);
  const { cfg, clients, engine, store, staging } = depsFor(loadConfig(env));
  return {
    cfg,
    env,
    engine,
    store,
    staging,
    settings: new ConnectorSettings(env),
    secrets: secretReader(clients.secrets),
  };
}

/** What `runConnector` needs from the CLI's context. */
export function runDeps(ctx: CliContext, log?: RunDeps['log']): RunDeps {
  return {
    engine: ctx.engine,
    dialect: ctx.cfg.dialect,
    store: ctx.store,
    staging: ctx.staging,
    settings: ctx.settings,
    secrets: ctx.secrets,
    ...(log && { log }),
  };
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

/**
 * Locally the GA4 fake issues a service-account key (as Google's console would) and it is
 * stored in moto's Secrets Manager under the configured secret id, so the connector reads its
 * credentials the same way it does in AWS. Refreshed on every local run: the fake forgets its
 * accounts when the stack restarts.
 */
export async function ensureLocalGa4Credentials(ctx: CliContext): Promise<void> {
  if (ctx.cfg.target !== 'local') return;
  const cfg = ctx.settings.of(ga4);
  const res = await fetch(`${cfg.baseUrl}/__fuji/ga4/service-accounts`, {
    method: 'POST',
    body: JSON.stringify({ properties: cfg.properties }),
  });
  if (!res.ok) throw new Error(`the local GA4 fake did not issue a key: HTTP ${res.status}`);
  const key = await res.text();
  const secrets = clientsFor(ctx.cfg).secrets;
  try {
    await secrets.send(
      new PutSecretValueCommand({ SecretId: cfg.credentialsSecret, SecretString: key }),
    );
  } catch (err) {
    if (!(err instanceof Error) || err.name !== 'ResourceNotFoundException') throw err;
    await secrets.send(new CreateSecretCommand({ Name: cfg.credentialsSecret, SecretString: key }));
  }
}
