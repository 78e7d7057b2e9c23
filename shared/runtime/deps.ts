/**
 * What a run needs, built once from the typed config: the SDK clients, the Athena engine, the
 * state store, the staging area, the connectors' settings and the secrets reader. Lambda handlers call it at module load (once per cold
 * start), the CLI per command.
 */
import { GlueClient } from '@aws-sdk/client-glue';
import { clientOptions, clientsFor, type Clients } from '../aws/clients.ts';
import { s3ClientFor } from '../aws/s3.ts';
import type { SuiteConfig } from '../config/index.ts';
import { AthenaEngine } from '../engine/athena.ts';
import { StateStore } from '../state/store.ts';
import { StagingArea } from '../writer/staging.ts';
import type { Env } from '../settings/env.ts';
import { secretReader } from '../aws/secrets.ts';
import type { SecretReader } from './connector.ts';
import { ConnectorSettings } from './settings.ts';

export interface SuiteDeps {
  readonly cfg: SuiteConfig;
  readonly clients: Clients;
  readonly engine: AthenaEngine;
  readonly store: StateStore;
  readonly staging: StagingArea;
  /** Connector settings from the same environment as `cfg`. */
  readonly settings: ConnectorSettings;
  readonly secrets: SecretReader;
}

export function depsFor(cfg: SuiteConfig, env: Env = {}): SuiteDeps {
  const clients = clientsFor(cfg);
  const engine = new AthenaEngine({
    client: clients.athena,
    catalog: cfg.athena.catalog,
    namespaces: cfg.athena.namespaces,
    workGroup: cfg.athena.workGroup,
    outputLocation: cfg.athena.outputLocation,
    timeoutMs: cfg.athena.timeoutMs,
  });
  const staging = new StagingArea(cfg.staging, {
    s3: s3ClientFor(cfg),
    glue: new GlueClient(clientOptions(cfg, cfg.awsEndpoint)),
  });
  return {
    cfg,
    clients,
    engine,
    store: new StateStore(clients.dynamo, cfg.stateTable),
    staging,
    settings: new ConnectorSettings(env),
    secrets: secretReader(clients.secrets),
  };
}
