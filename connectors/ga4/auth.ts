/**
 * Authorization for the GA4 Data API with google-auth-library: it reads both credential kinds
 * a deployment may store in Secrets Manager (a service-account key, or a workload identity
 * federation configuration) and caches and refreshes tokens. Service-account keys sign their
 * own scoped JWT (as Google's own client libraries do), so no token exchange is needed.
 */
import { GoogleAuth, JWT, type AuthClient } from 'google-auth-library';
import { secretString } from '#shared/aws/secrets.ts';
import { envClients } from '#shared/aws/clients.ts';
import { ConfigError } from '#shared/errors/index.ts';

export const GA4_SCOPE = 'https://www.googleapis.com/auth/analytics.readonly';

const clients = new Map<string, Promise<AuthClient>>();

async function buildClient(secretId: string): Promise<AuthClient> {
  let creds: Record<string, unknown>;
  try {
    creds = JSON.parse(await secretString(envClients().secrets, secretId)) as Record<
      string,
      unknown
    >;
  } catch (err) {
    if (err instanceof SyntaxError)
      throw new ConfigError(`secret ${secretId} is not a Google credentials JSON`, { secretId });
    throw err;
  }
  if (creds.type === 'service_account') {
    if (typeof creds.client_email !== 'string' || typeof creds.private_key !== 'string')
      throw new ConfigError(
        `secret ${secretId}: a service-account key needs client_email and private_key`,
        {
          secretId,
        },
      );
    const jwt = new JWT({
      email: creds.client_email,
      key: creds.private_key,
      ...(typeof creds.private_key_id === 'string' && { keyId: creds.private_key_id }),
      scopes: [GA4_SCOPE],
    });
    jwt.useJWTAccessWithScope = true;
    return jwt;
  }
  return new GoogleAuth({ credentials: creds, scopes: [GA4_SCOPE] }).getClient();
}

/** The Authorization header for a request to `url`; the client is built once per secret. */
export async function authHeaders(secretId: string, url: string): Promise<Record<string, string>> {
  let p = clients.get(secretId);
  if (!p) {
    p = buildClient(secretId);
    p.catch(() => clients.delete(secretId));
    clients.set(secretId, p);
  }
  const headers = await (await p).getRequestHeaders(url);
  return Object.fromEntries(headers.entries());
}
