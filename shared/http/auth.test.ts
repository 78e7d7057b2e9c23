import { generateKeyPairSync, verify } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { describeError, FujiEtlError } from '../errors/index.ts';
import { sendJson, serve, type Handler, type TestServer } from '../../tests/helpers/http-server.ts';
import { REFRESH_BEFORE_MS, TOKEN_LIFETIME_S, type AuthSpec } from './auth.ts';
import { requester, type RequesterSpec } from './requester.ts';

const servers: TestServer[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const KEY = 'k3y-Zq81-secret-value-never-shown';

/** A secret reader that counts its reads. */
function reader(values: Record<string, string>) {
  const reads: string[] = [];
  return {
    reads,
    get: async (id: string) => {
      reads.push(id);
      const v = values[id];
      if (v === undefined) throw new FujiEtlError('SECRET', `cannot read secret ${id}`);
      return v;
    },
  };
}

async function source(
  handler: Handler,
  auth: AuthSpec,
  secrets: ReturnType<typeof reader>,
  extra: Partial<RequesterSpec> = {},
  now?: () => number,
) {
  const server = await serve(handler);
  servers.push(server);
  const api = requester(
    { baseUrl: `${server.url}/v1`, auth, maxAttempts: 2, ...extra },
    { signal: new AbortController().signal, secrets, ...(now && { clock: now }) },
  );
  return { server, api };
}

const ok: Handler = (_req, res) => sendJson(res, 200, { ok: true });

describe('API key', () => {
  it('goes in the declared header, read from the secret once per requester', async () => {
    const secrets = reader({ key: KEY });
    const { server, api } = await source(
      ok,
      { kind: 'api-key', secret: 'key', header: 'authorization', prefix: 'Token ' },
      secrets,
    );
    await api.json({ path: 'a' });
    await api.json({ path: 'b' });
    expect(server.received.map((r) => r.headers.authorization)).toEqual([
      `Token ${KEY}`,
      `Token ${KEY}`,
    ]);
    expect(secrets.reads).toEqual(['key']);
  });

  it('goes in the declared query parameter, and never to another host', async () => {
    const other = await serve(ok);
    servers.push(other);
    const { server, api } = await source(
      ok,
      { kind: 'api-key', secret: 'key', query: 'appid' },
      reader({ key: KEY }),
    );
    const got = await api.json({ path: 'a', query: { q: 'x' } });
    await api.bytes({ path: `${other.url}/file.csv` });
    expect(server.received[0]!.url).toBe(`/v1/a?q=x&appid=${KEY}`);
    expect(got!.url).toBe(`${server.url}/v1/a?q=x&appid=***`);
    expect(other.received[0]!.url).toBe('/file.csv');
  });
});

describe('Google service account', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const account = {
    type: 'service_account',
    client_email: 'etl@project.iam.gserviceaccount.com',
    private_key_id: 'kid1',
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
  const SCOPE = 'https://www.googleapis.com/auth/analytics.readonly';

  /** Checks the bearer JWT as Google does: signature, scope, expiry; answers its claims. */
  const google: Handler = (req, res) => {
    const [h, p, s] = (req.headers.authorization ?? '').replace(/^Bearer /, '').split('.');
    const valid = verify(
      'RSA-SHA256',
      Buffer.from(`${h}.${p}`),
      publicKey,
      Buffer.from(s ?? '', 'base64url'),
    );
    if (!valid) return sendJson(res, 401, { error: 'bad signature' });
    sendJson(res, 200, {
      header: JSON.parse(Buffer.from(h!, 'base64url').toString()),
      claims: JSON.parse(Buffer.from(p!, 'base64url').toString()),
    });
  };

  it('signs a scoped JWT the source accepts, and keeps it for the run', async () => {
    const secrets = reader({ sa: JSON.stringify(account) });
    let now = Date.parse('2026-07-20T00:00:00Z');
    const { server, api } = await source(
      google,
      { kind: 'google', secret: 'sa', scopes: [SCOPE] },
      secrets,
      {},
      () => now,
    );
    const first = (await api.json({ path: 'r' }))!.body as { header: object; claims: object };
    expect(first.header).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'kid1' });
    const iat = Date.parse('2026-07-20T00:00:00Z') / 1000;
    expect(first.claims).toEqual({
      iss: account.client_email,
      sub: account.client_email,
      scope: SCOPE,
      iat,
      exp: iat + TOKEN_LIFETIME_S,
    });
    now += TOKEN_LIFETIME_S * 1000 - REFRESH_BEFORE_MS - 1_000; // still five minutes and more
    await api.json({ path: 'r' });
    const tokens = () => new Set(server.received.map((r) => r.headers.authorization)).size;
    expect(tokens()).toBe(1);
    now += 2_000; // within five minutes of expiry: signed anew before it lapses
    const third = (await api.json({ path: 'r' }))!.body as { claims: { iat: number } };
    expect(tokens()).toBe(2);
    expect(third.claims.iat).toBe(Math.floor(now / 1000));
    expect(secrets.reads).toEqual(['sa']);
  });

  it('fails with the secret’s id, never its content, when the key is not credentials', async () => {
    const { api } = await source(
      google,
      { kind: 'google', secret: 'sa', scopes: [SCOPE] },
      reader({ sa: `not json ${KEY}` }),
    );
    const err = await api.json({ path: 'r' }).catch((e: unknown) => e);
    expect(describeError(err)).toBe(
      'CONFIG: secret sa is not a Google credentials JSON (secretId=sa)',
    );
  });
});

describe('secrets in errors and logs', () => {
  /** Everything a failure could show: message, one-line form, context, cause chain. */
  function shown(err: unknown): string {
    const parts: string[] = [];
    for (let e = err; e; e = (e as { cause?: unknown }).cause) {
      parts.push(describeError(e), JSON.stringify((e as FujiEtlError).context ?? {}));
      parts.push(String((e as { body?: string }).body ?? ''));
    }
    return parts.join('\n');
  }

  it('never shows a key sent as a query parameter of any name, on any failure', async () => {
    const logged: string[] = [];
    for (const stream of [process.stdout, process.stderr])
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        logged.push(String(chunk));
        return true;
      });
    for (const m of ['log', 'info', 'warn', 'error', 'debug'] as const)
      vi.spyOn(console, m).mockImplementation((...a: unknown[]) => void logged.push(a.join(' ')));
    // The source echoes the URL it was asked, key and all, as some APIs do in their errors.
    const { server, api } = await source(
      (req, res) => {
        if (req.url.includes('/bad')) return void res.writeHead(200).end(`<html>${req.url}`);
        const status = req.url.includes('/denied') ? 401 : req.url.includes('/down') ? 503 : 400;
        sendJson(
          res,
          status,
          { error: { message: `bad request ${req.url}` } },
          { 'retry-after': '0' },
        );
      },
      { kind: 'api-key', secret: 'key', query: 'appid' },
      reader({ key: KEY }),
      { actions: { 401: 'stop-member', 503: 'retry', default: 'fail' } },
    );
    const failures = [];
    for (const path of ['denied', 'down', 'wrong', 'bad'])
      failures.push(await api.json({ path, member: `m:${path}` }).catch((e: unknown) => e));
    failures.push(await api.json({ path: 'denied', member: 'm:denied' }).catch((e: unknown) => e));
    await server.close();
    servers.length = 0;
    failures.push(await api.json({ path: 'gone' }).catch((e: unknown) => e));
    expect(failures.map((e) => (e as FujiEtlError).code)).toEqual([
      'HTTP_STATUS',
      'HTTP_STATUS',
      'HTTP_STATUS',
      'SOURCE_SHAPE',
      'HTTP_MEMBER_STOPPED',
      'HTTP_TRANSPORT',
    ]);
    expect(shown(failures[0])).toContain('appid=***');
    for (const e of failures) {
      expect(shown(e)).not.toContain(KEY);
      expect(shown(e)).not.toContain(encodeURIComponent(KEY));
    }
    expect(logged.join('\n')).not.toContain(KEY);
  });
});
