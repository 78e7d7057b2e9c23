import { afterEach, describe, expect, it } from 'vitest';
import { eachMember } from '../runtime/members.ts';
import { sendJson, serve, type Handler, type TestServer } from '../../tests/helpers/http-server.ts';
import { actionFor, type StatusActions } from './actions.ts';
import { requester, type RequesterSpec } from './requester.ts';

const secrets = { get: async () => 'unused' };
const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const ACTIONS: StatusActions = {
  429: 'defer',
  401: 'stop-member',
  403: 'stop-member',
  404: 'ignore',
  '5xx': 'retry',
  default: 'fail',
};

async function source(handler: Handler, spec: Partial<RequesterSpec> = {}, deadline?: number) {
  const server = await serve(handler);
  servers.push(server);
  const api = requester(
    { baseUrl: server.url, actions: ACTIONS, ...spec },
    { signal: new AbortController().signal, deadline, secrets },
  );
  return { server, api };
}

/** Answers each status of `statuses` in turn, then 200 with `{ ok: true }`. */
const sequence =
  (statuses: number[], headers: Record<string, string> = {}): Handler =>
  (_req, res) => {
    const s = statuses.shift();
    if (s === undefined) sendJson(res, 200, { ok: true });
    else sendJson(res, s, { error: `status ${s}` }, headers);
  };

describe('actionFor', () => {
  it('takes the status’s own entry, then its class, then the default, then fail', () => {
    expect(actionFor(ACTIONS, 404)).toBe('ignore');
    expect(actionFor(ACTIONS, 503)).toBe('retry');
    expect(actionFor(ACTIONS, 400)).toBe('fail');
    expect(actionFor({ '4xx': 'ignore', 410: 'fail' }, 410)).toBe('fail');
    expect(actionFor({}, 500)).toBe('fail');
  });
});

describe('per-status actions', () => {
  it('retry: tries again after Retry-After and succeeds', async () => {
    const { server, api } = await source(sequence([503, 500], { 'retry-after': '0' }));
    expect((await api.json({ path: 'x' }))?.body).toEqual({ ok: true });
    expect(server.received).toHaveLength(3);
  });

  it('retry: once the attempts are spent, fails retryable', async () => {
    const { server, api } = await source(sequence([503, 503, 503], { 'retry-after': '0' }), {
      maxAttempts: 3,
    });
    await expect(api.json({ path: 'x' })).rejects.toMatchObject({
      code: 'HTTP_STATUS',
      status: 503,
      retryable: true,
      stopsRun: false,
      deferred: false,
    });
    expect(server.received).toHaveLength(3);
  });

  it('fail: one request, not retryable, the run goes on', async () => {
    const { server, api } = await source(sequence([400]));
    await expect(api.json({ path: 'x' })).rejects.toMatchObject({
      status: 400,
      retryable: false,
      stopsRun: false,
      message: `${server.url}/x answered HTTP 400: {"error":"status 400"}`,
    });
    expect(server.received).toHaveLength(1);
  });

  it('ignore: the answer counts as empty, and ends the pages', async () => {
    const { server, api } = await source(sequence([404, 404]));
    expect(await api.json({ path: 'x' })).toBeUndefined();
    const pages = [];
    for await (const p of api.pages({ path: 'x' }, { kind: 'page', records: 'items' }))
      pages.push(p);
    expect(pages).toEqual([]);
    expect(server.received).toHaveLength(2);
  });

  it('a request’s own entries win over the source’s', async () => {
    const { api } = await source(sequence([404]));
    await expect(api.json({ path: 'x', actions: { 404: 'fail' } })).rejects.toMatchObject({
      status: 404,
      retryable: false,
    });
  });

  it('stop-member: stops that member for the run, the others go on, and eachMember keeps them apart', async () => {
    const { server, api } = await source((req, res) =>
      req.url.includes('b') ? sendJson(res, 403, { error: 'denied' }) : sendJson(res, 200, {}),
    );
    const ctx = { signal: new AbortController().signal };
    const read = (m: string) => api.json({ path: m, member: `member:${m}` });
    const first = await eachMember(ctx, ['a', 'b'], (m) => `member:${m}`, read);
    const second = await eachMember(ctx, ['a', 'b'], (m) => `member:${m}`, read);
    expect(first.failures).toEqual([
      { member: 'member:b', reason: expect.stringContaining('answered HTTP 403') },
    ]);
    expect(second.failures).toEqual([
      {
        member: 'member:b',
        reason: expect.stringMatching(
          /^HTTP_MEMBER_STOPPED: member:b was stopped earlier in this run: .*403/,
        ),
      },
    ]);
    // b was asked once; a both times.
    expect(server.received.map((r) => r.url)).toEqual(['/a', '/b', '/a']);
    await expect(read('b')).rejects.toMatchObject({ stopsRun: true, deferred: false });
  });

  it('defer: a spent quota defers the slice at once when the answer gives no time', async () => {
    const { server, api } = await source(sequence([429]));
    await expect(api.json({ path: 'x' })).rejects.toMatchObject({
      status: 429,
      deferred: true,
      stopsRun: true,
      retryable: false,
    });
    expect(server.received).toHaveLength(1);
  });

  it('names a failure in the source’s terms and keeps the action’s markers', async () => {
    const { api } = await source(sequence([403]), {
      errors: {
        status: (err, req) => ({
          code: 'GA4_REQUEST',
          message: `item ${String(req.context?.item)}: ${err.status}`,
          context: { item: req.context?.item },
        }),
        stopped: (req) => ({ code: 'GA4_REFUSED', message: `${req.member} again` }),
      },
    });
    const req = { path: 'x', member: 'item:7', context: { item: 7 } };
    await expect(api.json(req)).rejects.toMatchObject({
      code: 'GA4_REQUEST',
      message: 'item 7: 403',
      stopsRun: true,
      status: 403,
      context: { item: 7 },
    });
    await expect(api.json(req)).rejects.toMatchObject({
      code: 'GA4_REFUSED',
      message: 'item:7 again',
      stopsRun: true,
    });
  });
});

describe('Retry-After and the deadline', () => {
  it('defer: waits for a Retry-After that fits the deadline, then reads', async () => {
    const { server, api } = await source(
      sequence([429], { 'retry-after': '1' }),
      {},
      Date.now() + 10_000,
    );
    const t0 = Date.now();
    expect((await api.json({ path: 'x' }))?.body).toEqual({ ok: true });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(server.received).toHaveLength(2);
  });

  it('defer: a Retry-After past the deadline is not waited for: the slice is deferred now', async () => {
    const { server, api } = await source(
      sequence([429], { 'retry-after': '30' }),
      {},
      Date.now() + 5_000,
    );
    const t0 = Date.now();
    await expect(api.json({ path: 'x' })).rejects.toMatchObject({ deferred: true, status: 429 });
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(server.received).toHaveLength(1);
  });

  it('retry: a Retry-After past the deadline is not waited for: the slice fails retryable', async () => {
    const { server, api } = await source(
      sequence([503], { 'retry-after': '30' }),
      {},
      Date.now() + 5_000,
    );
    const t0 = Date.now();
    await expect(api.json({ path: 'x' })).rejects.toMatchObject({
      retryable: true,
      deferred: false,
      retryAfterMs: 30_000,
    });
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(server.received).toHaveLength(1);
  });

  it('a Retry-After longer than maxWaitMs is not waited for either', async () => {
    const { server, api } = await source(sequence([503], { 'retry-after': '30' }), {
      maxWaitMs: 1_000,
    });
    await expect(api.json({ path: 'x' })).rejects.toMatchObject({ retryable: true });
    expect(server.received).toHaveLength(1);
  });
});
