/**
 * What a run needs, built once from the typed config: the SDK clients, the Athena engine and the
 * state store. Lambda handlers call it at module load (once per cold start), the CLI per command.
 */
import { clientsFor, type Clients } from '../aws/clients.ts';
import type { SuiteConfig } from '../config/index.ts';
import { AthenaEngine } from '../engine/athena.ts';
import { StateStore } from '../state/store.ts';

export interface SuiteDeps {
  readonly cfg: SuiteConfig;
  readonly clients: Clients;
  readonly engine: AthenaEngine;
  readonly store: StateStore;
}

export function depsFor(cfg: SuiteConfig): SuiteDeps {
  const clients = clientsFor(cfg);
  const engine = new AthenaEngine({
    client: clients.athena,
    catalog: cfg.athena.catalog,
    workGroup: cfg.athena.workGroup,
    outputLocation: cfg.athena.outputLocation,
    timeoutMs: cfg.athena.timeoutMs,
  });
  return { cfg, clients, engine, store: new StateStore(clients.dynamo, cfg.stateTable) };
}
