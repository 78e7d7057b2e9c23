/**
 * Secrets from Secrets Manager. A reader caches each value for a while (five minutes: a rotated
 * key reaches a warm Lambda soon, while a run's many requests cost one call); the cache belongs
 * to the reader the runtime builds, not to the module, so tests and runs never share it. Errors
 * name the secret, never its value.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { FujiEtlError } from '../errors/index.ts';

/** One read, uncached. */
export async function secretString(
  client: SecretsManagerClient,
  secretId: string,
): Promise<string> {
  let out;
  try {
    out = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  } catch (err) {
    throw new FujiEtlError('SECRET', `cannot read secret ${secretId}: ${(err as Error).name}`, {
      retryable: (err as Error).name !== 'ResourceNotFoundException',
      context: { secretId },
    });
  }
  if (!out.SecretString) {
    throw new FujiEtlError('SECRET', `secret ${secretId} has no string value`, {
      context: { secretId },
    });
  }
  return out.SecretString;
}

export interface SecretReaderOptions {
  readonly ttlMs?: number;
  readonly now?: () => number;
}

/**
 * @example
 * const secrets = secretReader(clients.secrets);
 * const key = await secrets.get('fuji-etl/open-meteo-key');
 */
export function secretReader(client: SecretsManagerClient, opts: SecretReaderOptions = {}) {
  const ttlMs = opts.ttlMs ?? 5 * 60_000;
  const now = opts.now ?? Date.now;
  const cache = new Map<string, { at: number; value: Promise<string> }>();
  return {
    get(id: string): Promise<string> {
      const hit = cache.get(id);
      if (hit && now() - hit.at < ttlMs) return hit.value;
      const value = secretString(client, id);
      // A failed read must not stick: the next call tries again.
      value.catch(() => cache.delete(id));
      cache.set(id, { at: now(), value });
      return value;
    },
  };
}
