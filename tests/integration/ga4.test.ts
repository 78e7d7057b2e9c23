/**
 * The GA4 connector against the offline GA4 fake and the local stack: rows land and converge to
 * GA's final numbers once late data settles, reruns change nothing, metadata shows sampling and
 * thresholding, quota exhaustion defers a backfill that then resumes, and bad answers fail
 * their slice with a clear message while nothing is half-written.
 */
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clientsFor } from '#shared/aws/clients.ts';
import { runConnector, type RunSummary } from '#shared/runtime/run.ts';
import { addDays } from '#shared/time/days.ts';
import { ga4Connector } from '#connectors/ga4/connector.ts';
import { DEFAULT_REPORTS } from '#connectors/ga4/reports.ts';
import { columnName } from '#connectors/ga4/schema.ts';
import { createGa4Fake, type Ga4Fake } from '../../local/fakes/ga4/server.ts';
import { cliContext } from '../../cli/context.ts';
import { testEngine, uniqueNamespace } from '../helpers/local.ts';
import { fileStateTable, freshStateTable } from '../helpers/state.ts';

const ns = uniqueNamespace('ga4');
const connector = ga4Connector(DEFAULT_REPORTS, ns);
const engine = testEngine();
const PROPS = ['400000001', '400000002'];
let fake: Ga4Fake;

function context(stateTable = fileStateTable()) {
  return cliContext({ ...process.env, FUJI_ETL_TARGET: 'local', FUJI_ETL_STATE_TABLE: stateTable });
}
const ctx = context();
const deps = (now: Date, store = ctx.store) => ({
  engine,
  dialect: 'trino' as const,
  store,
  staging: ctx.staging,
  secrets: ctx.secrets,
  now: () => now,
});
const at = (iso: string) => new Date(iso);
const written = (s: RunSummary) => s.slices.reduce((n, x) => n + x.rowsWritten, 0);

/** The table's rows for a day, as the fake's `truth` shapes them, for an exact comparison. */
async function tableRows(report: (typeof DEFAULT_REPORTS)[number], property: string, day: string) {
  const dims = report.dimensions.filter((d) => d !== 'date').map(columnName);
  const mets = report.metrics.map(columnName);
  const r = await engine.query(
    `SELECT ${[...dims, ...mets].map((c) => `"${c}"`).join(', ')} FROM "${ns}"."ga4_${report.name}" ` +
      `WHERE property_id = '${property}' AND "date" = DATE '${day}' ORDER BY ${dims.length ? dims.map((c) => `"${c}"`).join(', ') : '1'}`,
  );
  return r.rows.map((row) => {
    const out = [day.replaceAll('-', ''), ...row.slice(0, dims.length).map(String)];
    return [out, row.slice(dims.length).map((v) => Number(v))];
  });
}

function truthRows(report: (typeof DEFAULT_REPORTS)[number], property: string, day: string) {
  return fake
    .truth(property, day, [...report.dimensions], [...report.metrics])
    .map((t) => [t.dims, report.metrics.map((m) => t.metrics[m]!)]);
}

async function expectFinal(days: string[], properties = PROPS) {
  for (const report of DEFAULT_REPORTS)
    for (const p of properties)
      for (const d of days) expect(await tableRows(report, p, d)).toEqual(truthRows(report, p, d));
}

beforeAll(async () => {
  fake = await createGa4Fake({ now: at('2026-07-20T03:00:00Z') }); // 12:00 JST, 20 July
  const secret = uniqueNamespace('ga4_key');
  await clientsFor(ctx.cfg).secrets.send(
    new CreateSecretCommand({
      Name: secret,
      SecretString: JSON.stringify(fake.serviceAccount(PROPS)),
    }),
  );
  Object.assign(process.env, {
    FUJI_ETL_GA4_BASE_URL: fake.url,
    FUJI_ETL_GA4_CREDENTIALS_SECRET: secret,
    FUJI_ETL_GA4_FIRST_RUN_DAYS: '5',
    FUJI_ETL_GA4_PAGE_SIZE: '40',
  });
});

beforeEach(() => {
  fake.clearFaults();
  fake.resetQuota();
  fake.setQuota(PROPS[1]!, { tokensPerDay: 200_000 });
  process.env.FUJI_ETL_GA4_PROPERTIES = PROPS.join(',');
});

afterAll(async () => {
  for (const k of [
    'FUJI_ETL_GA4_BASE_URL',
    'FUJI_ETL_GA4_CREDENTIALS_SECRET',
    'FUJI_ETL_GA4_FIRST_RUN_DAYS',
    'FUJI_ETL_GA4_PAGE_SIZE',
    'FUJI_ETL_GA4_PROPERTIES',
  ])
    delete process.env[k];
  await fake.close();
});

describe('ga4', () => {
  it('lands the reports, re-reads unsettled days until they equal GA’s final numbers, and a rerun changes nothing', async () => {
    const t0 = at('2026-07-20T03:00:00Z');
    fake.setNow(t0);
    const first = await runConnector(connector, deps(t0));
    expect(first.ok && first.complete).toBe(true);
    expect(first.slices.map((s) => s.slice)).toEqual([
      '2026-07-15',
      '2026-07-16',
      '2026-07-17',
      '2026-07-18',
      '2026-07-19',
    ]);
    // Settled days (three days back and more) are final at once; the last two are not yet.
    await expectFinal(['2026-07-15', '2026-07-16', '2026-07-17']);
    expect(await tableRows(DEFAULT_REPORTS[0]!, PROPS[0]!, '2026-07-19')).not.toEqual(
      truthRows(DEFAULT_REPORTS[0]!, PROPS[0]!, '2026-07-19'),
    );
    // The cursor is the first day not yet final: 18 July.
    expect(await ctx.store.getCursor('ga4', 'main')).toBe('2026-07-18');

    // The next run comes three days late: it still re-reads 18 and 19 July, now settled.
    const t1 = at('2026-07-23T03:00:00Z');
    fake.setNow(t1);
    const second = await runConnector(connector, deps(t1));
    expect(second.slices.map((s) => s.slice)).toEqual([
      '2026-07-18',
      '2026-07-19',
      '2026-07-20',
      '2026-07-21',
      '2026-07-22',
    ]);
    await expectFinal(['2026-07-18', '2026-07-19', '2026-07-20']);

    const snapshots = () =>
      engine
        .query(`SELECT count(*) FROM "${ns}"."ga4_traffic$snapshots"`)
        .then((r) => r.rows[0]![0]);
    const before = await snapshots();
    const rerun = await runConnector(connector, deps(t1), {
      range: { from: '2026-07-15', to: '2026-07-21' },
    });
    expect(rerun.ok && rerun.complete).toBe(true);
    // Only the per-read metadata rows (fetch time, quota left) change: 6 days × 4 reports × 2.
    expect(written(rerun)).toBe(48);
    expect(await snapshots()).toBe(before);
  });

  it('keeps totals that are not the sum of their rows', async () => {
    const r = await engine.query(
      `SELECT t.total_users, s.summed, t.sessions, s.sessions FROM "${ns}"."ga4_daily_totals" t JOIN (` +
        `SELECT property_id, "date", sum(total_users) AS summed, sum(sessions) AS sessions FROM "${ns}"."ga4_traffic" GROUP BY 1, 2) s ` +
        `ON s.property_id = t.property_id AND s."date" = t."date" WHERE t."date" = DATE '2026-07-18' AND t.property_id = '${PROPS[0]}'`,
    );
    const [total, summed, sessions, summedSessions] = r.rows[0] as bigint[];
    expect(sessions).toBe(summedSessions); // sessions do add up
    expect(total).toBeGreaterThan(0n);
    expect(total).toBeLessThan(summed!); // users who came by two channels or devices count once
  });

  it('drops the rows GA no longer reports on a re-read, in one commit per report table', async () => {
    const day = '2026-07-20';
    const t = at('2026-07-23T03:00:00Z');
    fake.setNow(t);
    const traffic = DEFAULT_REPORTS[0]!;
    const before = await tableRows(traffic, PROPS[0]!, day);
    const channel = String(before[0]![0]![1]);
    expect(before.length).toBeGreaterThan(1);
    fake.withdraw(PROPS[0]!, day, channel);
    const snapshots = async () =>
      Number(
        (await engine.query(`SELECT count(*) FROM "${ns}"."ga4_traffic$snapshots"`)).rows[0]![0],
      );
    const s0 = await snapshots();
    const run = await runConnector(connector, deps(t), { range: { from: day, to: '2026-07-21' } });
    expect(run.ok && run.complete).toBe(true);
    await expectFinal([day]);
    const after = await tableRows(traffic, PROPS[0]!, day);
    expect(after.some((r) => r[0]![1] === channel)).toBe(false);
    expect(after.length).toBeLessThan(before.length);
    expect(await snapshots()).toBe(s0 + 1);
  });

  it('records sampling, thresholding, re-reads after a mid-read change, and retries a 500', async () => {
    const now = at('2026-07-23T03:00:00Z');
    fake.injectFault({ kind: 'sampled', count: 100, property: PROPS[0], day: '2026-07-21' });
    fake.injectFault({ kind: 'rowCountChange', count: 1, property: PROPS[1], day: '2026-07-22' });
    fake.injectFault({ kind: 'status500', count: 1, property: PROPS[1], day: '2026-07-21' });
    const run = await runConnector(connector, deps(now), {
      range: { from: '2026-07-21', to: '2026-07-23' },
    });
    expect(run.ok).toBe(true);
    const meta = await engine.query(
      `SELECT report, property_id, CAST("date" AS varchar), sampled, samples_read_count, sampling_space_size, subject_to_thresholding, reads ` +
        `FROM "${ns}"."ga4_slice_metadata" WHERE "date" >= DATE '2026-07-21' AND (sampled OR reads > 1 OR report = 'pages') ORDER BY 3, 2, 1`,
    );
    expect(meta.text).toEqual([
      ['daily_totals', PROPS[0], '2026-07-21', 'true', '48211', '120530', 'false', '3'],
      ['events', PROPS[0], '2026-07-21', 'true', '48211', '120530', 'false', '3'],
      ['pages', PROPS[0], '2026-07-21', 'true', '48211', '120530', 'false', '3'],
      ['traffic', PROPS[0], '2026-07-21', 'true', '48211', '120530', 'true', '3'],
      ['pages', PROPS[1], '2026-07-21', 'false', null, null, 'false', '1'],
      ['pages', PROPS[0], '2026-07-22', 'false', null, null, 'false', '1'],
      ['pages', PROPS[1], '2026-07-22', 'false', null, null, 'false', '1'],
      ['traffic', PROPS[1], '2026-07-22', 'false', null, null, 'true', '2'],
    ]);
  });

  it('stops a backfill cleanly when the quota runs low or is spent, and resumes it to the same result', async () => {
    const own = context(await freshStateTable('ga4_quota'));
    const now = at('2026-07-23T03:00:00Z');
    const range = { from: '2026-06-01', to: '2026-06-11' };
    fake.setQuota(PROPS[1]!, { tokensPerDay: 400 });
    const first = await runConnector(connector, deps(now, own.store), { range });
    expect(first.ok).toBe(true);
    expect(first.complete).toBe(false);
    const stopped = first.slices.at(-1)!;
    expect(stopped.status).toBe('deferred');
    expect(stopped.error).toMatch(/GA4_QUOTA: property 400000002: tokensPerDay is down to/);
    const done = first.slices.filter((s) => s.status === 'succeeded').map((s) => s.slice);
    expect(done.length).toBeGreaterThan(3);
    // A backfill's progress is the first day it has not loaded.
    expect(await own.store.getCursor('ga4', `range:${range.from}..${range.to}`)).toBe(
      addDays(done.at(-1)!, 1),
    );

    // Still spent (GA answers 429 RESOURCE_EXHAUSTED): nothing more, nothing lost.
    fake.injectFault({ kind: 'exhausted', count: 1 });
    const spent = await runConnector(connector, deps(now, own.store), { range });
    expect(spent.slices).toHaveLength(1);
    expect(spent.slices[0]).toMatchObject({ status: 'deferred', rowsWritten: 0 });
    expect(spent.slices[0]!.error).toMatch(
      /RESOURCE_EXHAUSTED: Exhausted property tokens per hour quota/,
    );

    // The next Pacific day the quota is back: the backfill resumes after the last complete day.
    fake.resetQuota();
    const before = fake.calls().length;
    const resumed = await runConnector(connector, deps(now, own.store), { range });
    expect(resumed.ok && resumed.complete).toBe(true);
    const days = new Set(
      fake
        .calls()
        .slice(before)
        .map((c) => c.day),
    );
    expect([...days].sort()[0]).toBe(stopped.slice);
    expect(await own.store.getCursor('ga4', `range:${range.from}..${range.to}`)).toBeUndefined();
    await expectFinal(
      Array.from({ length: 10 }, (_, i) => `2026-06-${String(i + 1).padStart(2, '0')}`),
    );
    const ledger = await engine.query(
      `SELECT status, count(*) FROM ops.run_ledger WHERE run_id = '${first.runId}' GROUP BY 1 ORDER BY 1`,
    );
    expect(ledger.text).toEqual([
      ['deferred', '1'],
      ['succeeded', String(done.length)],
    ]);
  });

  it('isolates a malformed answer and a refused property to that property, and records both', async () => {
    const now = at('2026-07-23T03:00:00Z');
    fake.injectFault({ kind: 'malformed', count: 1, day: '2026-05-01' });
    const bad = await runConnector(connector, deps(now), {
      range: { from: '2026-05-01', to: '2026-05-03' },
    });
    // The broken answer costs only its property's day; the other property lands.
    expect(bad.slices.map((s) => s.status)).toEqual(['partial', 'succeeded']);
    expect(bad.slices[0]!.failures).toEqual([
      {
        member: 'property:400000001',
        reason: expect.stringMatching(
          /SOURCE_SHAPE: http:\/\/127\.0\.0\.1:\d+\/v1beta\/properties\/400000001:runReport at \$: not JSON/,
        ),
      },
    ]);
    const may1 = await engine.query(
      `SELECT property_id, count(*) FROM "${ns}"."ga4_slice_metadata" WHERE "date" = DATE '2026-05-01' GROUP BY 1`,
    );
    expect(may1.rows).toEqual([['400000002', 4n]]);

    process.env.FUJI_ETL_GA4_PROPERTIES = '400000001,400000003';
    const before = fake.calls().length;
    const refused = await runConnector(connector, deps(now), {
      range: { from: '2026-04-01', to: '2026-04-05' },
    });
    // One property refusing access stops only itself: the other reads every day.
    expect(refused.ok).toBe(true);
    expect(refused.slices.map((s) => s.status)).toEqual([
      'partial',
      'partial',
      'partial',
      'partial',
    ]);
    expect(refused.slices[0]!.failures[0]!.reason).toMatch(
      /GA4_REQUEST: property 400000003, report traffic: PERMISSION_DENIED: User does not have sufficient permissions for this property/,
    );
    expect(refused.slices[3]!.failures[0]!.reason).toMatch(
      /GA4_REFUSED: property 400000003 refused earlier in this run/,
    );
    // The refused property is asked once per run, not once per day and report.
    const asked = fake
      .calls()
      .slice(before)
      .filter((c) => c.property === '400000003');
    expect(asked).toHaveLength(1);
    const april = await engine.query(
      `SELECT property_id, count(DISTINCT "date") FROM "${ns}"."ga4_traffic" WHERE "date" BETWEEN DATE '2026-04-01' AND DATE '2026-04-04' GROUP BY 1`,
    );
    expect(april.rows).toEqual([['400000001', 4n]]);
    const ledger = await engine.query(
      `SELECT count(*) FROM ops.run_ledger WHERE run_id = '${refused.runId}' AND status = 'partial' AND strpos(failed_members, 'property:400000003: GA4_') = 1`,
    );
    expect(ledger.rows[0]![0]).toBe(4n);
  });
});
