/**
 * GA4's reads through the requester against a real local server: paging by offset until
 * rowCount, the quota guard and refused properties as state of one run's requester.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { perRun } from '#shared/http/requester.ts';
import { sendJson, serve, type TestServer } from '../../tests/helpers/http-server.ts';
import { ga4Requester, readDay } from './api.ts';
import { defineReport } from './reports.ts';
import { ga4Config } from './settings.ts';
import { reportTable } from './tables.ts';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const KEY = JSON.stringify({
  type: 'service_account',
  client_email: 'etl@p.iam.gserviceaccount.com',
  private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
});
const secrets = { get: async () => KEY };
const report = defineReport({
  name: 'r',
  doc: { ja: 'r', en: 'r' },
  dimensions: ['date', 'country'],
  metrics: ['sessions'],
});
const table = reportTable(report, 'test_ns');
const COUNTRIES = ['Japan', 'France', 'Peru', 'Chad', 'Fiji'];

/** A runReport stand-in: five rows, paged by the body's offset/limit, with a daily quota. */
async function ga4(opts: { remaining?: number[]; status?: number } = {}) {
  const server = await serve((req, res) => {
    if (opts.status)
      return sendJson(res, opts.status, { error: { status: 'PERMISSION_DENIED', message: 'no' } });
    const b = JSON.parse(req.body) as { offset: string; limit: string };
    const rows = COUNTRIES.slice(Number(b.offset), Number(b.offset) + Number(b.limit)).map((c) => ({
      dimensionValues: [{ value: '20260719' }, { value: c }],
      metricValues: [{ value: '3' }],
    }));
    sendJson(res, 200, {
      rows,
      rowCount: COUNTRIES.length,
      propertyQuota: {
        tokensPerDay: { consumed: 10, remaining: opts.remaining?.shift() ?? 990 },
      },
    });
  });
  servers.push(server);
  const cfg = ga4Config({
    FUJI_ETL_GA4_PROPERTIES: '1',
    FUJI_ETL_GA4_BASE_URL: server.url,
    FUJI_ETL_GA4_PAGE_SIZE: '2',
  });
  // One signal per run, as the runtime hands every slice of a run the same one.
  const signals = new Map<string, AbortSignal>();
  const run = (runId: string) => {
    if (!signals.has(runId)) signals.set(runId, new AbortController().signal);
    return { runId, signal: signals.get(runId)! };
  };
  const api = perRun((ctx) => ga4Requester(cfg, { ...run(ctx.runId), secrets }));
  const read = (runId: string) =>
    readDay(
      { cfg, api: api(run(runId)), now: () => new Date(0) },
      report,
      '1',
      '2026-07-19',
      table,
    );
  return { server, read, api };
}

describe('readDay through the requester', () => {
  it('pages by offset and limit in the body until rowCount, with a bearer token', async () => {
    const { server, read } = await ga4();
    const day = await read('run-1');
    expect(day.rows.map((r) => r.country)).toEqual(COUNTRIES);
    expect(day.meta).toMatchObject({ pages: 3, reads: 1, row_count: 5n, tokens_consumed: 30n });
    expect(server.received.map((r) => (JSON.parse(r.body) as { offset: string }).offset)).toEqual([
      '0',
      '2',
      '4',
    ]);
    expect(
      server.received.every((r) =>
        /^Bearer [\w-]+\.[\w-]+\.[\w-]+$/.test(r.headers.authorization!),
      ),
    ).toBe(true);
  });

  it('defers when the run’s quota falls below the reserve; the next run starts afresh', async () => {
    // The run found 1,000 tokens left; its first page leaves 5% of them (reserve 10%).
    const { server, read } = await ga4({ remaining: [990, 50, 990] });
    await expect(read('run-1')).rejects.toMatchObject({ code: 'GA4_QUOTA', deferred: true });
    expect(server.received).toHaveLength(2);
    await expect(read('run-1')).rejects.toMatchObject({ code: 'GA4_QUOTA' });
    expect(server.received).toHaveLength(2); // the same run asks nothing more
    const next = await read('run-2'); // a new run's guard has seen nothing yet
    expect(next.rows).toHaveLength(5);
  });

  it('stops a refused property for the run, naming it, and asks it again only in the next run', async () => {
    const { server, read } = await ga4({ status: 403 });
    await expect(read('run-1')).rejects.toMatchObject({
      code: 'GA4_REQUEST',
      stopsRun: true,
      message: 'property 1, report r: PERMISSION_DENIED: no',
      context: { property: '1', report: 'r', status: 403 },
    });
    await expect(read('run-1')).rejects.toMatchObject({
      code: 'GA4_REFUSED',
      stopsRun: true,
      message:
        'property 1 refused earlier in this run: property 1, report r: PERMISSION_DENIED: no',
    });
    expect(server.received).toHaveLength(1);
    await expect(read('run-2')).rejects.toMatchObject({ code: 'GA4_REQUEST' });
    expect(server.received).toHaveLength(2);
  });
});
