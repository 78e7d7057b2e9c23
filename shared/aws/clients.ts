/**
 * AWS SDK clients, built once per process (per Lambda cold start) from the suite's config.
 * Locally they point at the local stack with throwaway credentials; in AWS they use the role.
 */
import { AthenaClient } from '@aws-sdk/client-athena';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SuiteConfig } from '../config/index.ts';

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export function clientOptions(cfg: SuiteConfig, endpoint: string | undefined) {
  return {
    region: cfg.region,
    ...(endpoint && { endpoint }),
    ...(cfg.target === 'local' && { credentials: LOCAL_CREDENTIALS }),
  };
}

export interface Clients {
  readonly athena: AthenaClient;
  readonly dynamo: DynamoDBDocumentClient;
  readonly secrets: SecretsManagerClient;
}

/** Builds a client (or set of clients) once per config: once per Lambda cold start. */
export function perConfig<T extends object>(
  make: (cfg: SuiteConfig) => T,
): (cfg: SuiteConfig) => T {
  const cache = new WeakMap<SuiteConfig, T>();
  return (cfg) => {
    let c = cache.get(cfg);
    if (!c) cache.set(cfg, (c = make(cfg)));
    return c;
  };
}

export const clientsFor = perConfig((cfg): Clients => ({
  // maxAttempts 1: the engine owns the retry policy (bounded, jittered, counted).
  athena: new AthenaClient({ ...clientOptions(cfg, cfg.athena.endpoint), maxAttempts: 1 }),
  dynamo: DynamoDBDocumentClient.from(new DynamoDBClient(clientOptions(cfg, cfg.awsEndpoint)), {
    marshallOptions: { removeUndefinedValues: true },
  }),
  secrets: new SecretsManagerClient(clientOptions(cfg, cfg.awsEndpoint)),
}));
