/**
 * Secrets from Secrets Manager, read once per process (per Lambda cold start). Errors name the
 * secret, never its value.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { FujiEtlError } from '../errors/index.ts';

const cache = new Map<string, Promise<string>>();

export function secretString(client: SecretsManagerClient, secretId: string): Promise<string> {
  let p = cache.get(secretId);
  if (!p) {
    p = client.send(new GetSecretValueCommand({ SecretId: secretId })).then(
      (out) => {
        if (!out.SecretString) {
          throw new FujiEtlError('SECRET', `secret ${secretId} has no string value`, {
            context: { secretId },
          });
        }
        return out.SecretString;
      },
      (err: unknown) => {
        cache.delete(secretId); // a transient failure must not stick for the process's life
        throw new FujiEtlError('SECRET', `cannot read secret ${secretId}: ${(err as Error).name}`, {
          retryable: (err as Error).name !== 'ResourceNotFoundException',
          context: { secretId },
        });
      },
    );
    cache.set(secretId, p);
  }
  return p;
}
