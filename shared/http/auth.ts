/**
 * Credentials for a source, declared as data and read from a secret through the reader the
 * caller hands over (the runtime's secrets), so this module keeps no state of its own: what it
 * caches (the secret, a token) lives in the {@link Authorizer}, which the requester builds once
 * per run.
 *
 * - `none`.
 * - `api-key`: the secret's value in a header (optionally after a prefix) or a query parameter.
 * - `google`: a service-account key signs its own scoped JWT (as Google's client libraries do for
 *   service accounts: no token exchange), kept until five minutes before it expires and signed
 *   anew then; any other Google credential (workload identity federation) goes through
 *   google-auth-library, which caches and refreshes its own tokens.
 *
 * Every value read or made here is reported as a secret, so errors never show it.
 */
import { createSign } from 'node:crypto';
import { ConfigError } from '../errors/index.ts';

/** The runtime's secrets: a value by id (Secrets Manager, SSM), failing with the id only. */
export interface SecretReader {
  get(id: string): Promise<string>;
}

export type AuthSpec =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'api-key';
      /** Id of the secret holding the key. */
      readonly secret: string;
      /** Sent in this header… */
      readonly header?: string;
      /** …after this prefix (e.g. `Bearer `)… */
      readonly prefix?: string;
      /** …or as this query parameter. */
      readonly query?: string;
    }
  | {
      readonly kind: 'google';
      /** Id of the secret holding the service-account key JSON (or another Google credential). */
      readonly secret: string;
      readonly scopes: readonly string[];
    };

/** What one request carries, and the values it carries that must never be shown. */
export interface Credentials {
  readonly headers: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly secrets: readonly string[];
}

export interface Authorizer {
  /** The credentials for a request to `url` (a Google token is scoped to nothing per URL). */
  credentials(url: string): Promise<Credentials>;
}

/** A self-signed token lives an hour; it is signed anew this long before it expires. */
export const TOKEN_LIFETIME_S = 3600;
export const REFRESH_BEFORE_MS = 5 * 60_000;

const NONE: Credentials = { headers: {}, query: {}, secrets: [] };

/**
 * @example
 * const auth = authorizer({ kind: 'api-key', secret: 'fuji-etl/open-meteo-key', query: 'apikey' }, ctx.secrets);
 * const { query } = await auth.credentials(url);
 */
export function authorizer(
  spec: AuthSpec,
  secrets: SecretReader,
  now: () => number = Date.now,
): Authorizer {
  switch (spec.kind) {
    case 'none':
      return { credentials: async () => NONE };
    case 'api-key':
      return apiKey(spec, secrets);
    case 'google':
      return google(spec, secrets, now);
  }
}

function apiKey(spec: Extract<AuthSpec, { kind: 'api-key' }>, secrets: SecretReader): Authorizer {
  if ((spec.header === undefined) === (spec.query === undefined))
    throw new ConfigError(`API key ${spec.secret}: name either a header or a query parameter`, {
      secretId: spec.secret,
    });
  let key: Promise<string> | undefined;
  return {
    async credentials() {
      key ??= secrets.get(spec.secret);
      key.catch(() => (key = undefined)); // a failed read must not stick
      const value = (await key).trim();
      return spec.header !== undefined
        ? {
            headers: { [spec.header]: `${spec.prefix ?? ''}${value}` },
            query: {},
            secrets: [value],
          }
        : { headers: {}, query: { [spec.query!]: value }, secrets: [value] };
    },
  };
}

type GoogleCreds = Record<string, unknown>;

async function readGoogle(secretId: string, secrets: SecretReader): Promise<GoogleCreds> {
  let creds: unknown;
  try {
    creds = JSON.parse(await secrets.get(secretId));
  } catch (err) {
    if (err instanceof SyntaxError)
      throw new ConfigError(`secret ${secretId} is not a Google credentials JSON`, { secretId });
    throw err;
  }
  if (typeof creds !== 'object' || creds === null)
    throw new ConfigError(`secret ${secretId} is not a Google credentials JSON`, { secretId });
  const c = creds as GoogleCreds;
  if (
    c.type === 'service_account' &&
    (typeof c.client_email !== 'string' || typeof c.private_key !== 'string')
  )
    throw new ConfigError(
      `secret ${secretId}: a service-account key needs client_email and private_key`,
      { secretId },
    );
  return c;
}

const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

/** A scoped JWT signed with the service account's own key, valid from `at` for an hour. */
export function selfSignedJwt(creds: GoogleCreds, scopes: readonly string[], atMs: number) {
  const iat = Math.floor(atMs / 1000);
  const header = {
    alg: 'RS256',
    typ: 'JWT',
    ...(typeof creds.private_key_id === 'string' && { kid: creds.private_key_id }),
  };
  const email = creds.client_email as string;
  const claims = {
    iss: email,
    sub: email,
    scope: scopes.join(' '),
    iat,
    exp: iat + TOKEN_LIFETIME_S,
  };
  const unsigned = `${b64url(header)}.${b64url(claims)}`;
  let signature: string;
  try {
    signature = createSign('RSA-SHA256')
      .update(unsigned)
      .sign(creds.private_key as string, 'base64url');
  } catch {
    // The signer's message is not shown: it could quote the key.
    throw new ConfigError(`the private key of ${email} cannot sign`, { account: email });
  }
  return { token: `${unsigned}.${signature}`, expiresAt: (iat + TOKEN_LIFETIME_S) * 1000 };
}

function google(
  spec: Extract<AuthSpec, { kind: 'google' }>,
  secrets: SecretReader,
  now: () => number,
): Authorizer {
  let creds: Promise<GoogleCreds> | undefined;
  let token: { token: string; expiresAt: number } | undefined;
  let other: Promise<{ getRequestHeaders(url?: string): Promise<Headers> }> | undefined;
  return {
    async credentials(url) {
      creds ??= readGoogle(spec.secret, secrets);
      creds.catch(() => (creds = undefined));
      const c = await creds;
      const secretValues = [c.private_key, c.client_secret, c.refresh_token].filter(
        (v): v is string => typeof v === 'string',
      );
      if (c.type === 'service_account') {
        if (!token || token.expiresAt - now() < REFRESH_BEFORE_MS)
          token = selfSignedJwt(c, spec.scopes, now());
        return {
          headers: { authorization: `Bearer ${token.token}` },
          query: {},
          secrets: [...secretValues, token.token],
        };
      }
      // Loaded only here: the library is large, and only this credential kind needs it.
      other ??= import('google-auth-library').then(({ GoogleAuth }) =>
        new GoogleAuth({ credentials: c, scopes: [...spec.scopes] }).getClient(),
      );
      other.catch(() => (other = undefined));
      const headers = Object.fromEntries((await (await other).getRequestHeaders(url)).entries());
      return {
        headers,
        query: {},
        secrets: [...secretValues, ...Object.values(headers).map((v) => v.replace(/^Bearer /, ''))],
      };
    },
  };
}
