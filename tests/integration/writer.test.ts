/**
 * The Iceberg writer against the real local stack: Trino behind the local Athena endpoint,
 * driven by the unmodified @aws-sdk/client-athena.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { defineTable, type TableModel } from '#shared/model/table.ts';
import { canonical } from '#shared/sql/canonical.ts';
import { daysFromCivil, formatDate } from '#shared/time/civil.ts';
import { ensureTable } from '#shared/writer/ensure-table.ts';
import { writeRows } from '#shared/writer/write.ts';
import { QueryAbortedError, QueryFailedError } from '#shared/engine/errors.ts';
import {
  clearFaults,
  faultCounters,
  injectFaults,
  TEST_CATALOGS,
  testEngine,
  testStaging,
  uniqueNamespace,
} from '../helpers/local.ts';

const doc = { ja: '試験', en: 'test' };
const ns = uniqueNamespace('writer');
// A namespace of the uploads bucket's catalog (its own Trino catalog locally): every statement
// of the write path names the catalog, which the lake's two-part names elsewhere never do.
const engine = testEngine({ namespaces: { [ns]: TEST_CATALOGS.uploads } });
const staging = testStaging();

const allTypes = defineTable({
  namespace: ns,
  name: 'all_types',
  doc,
  columns: [
    { name: 'id', type: 'long', required: true, doc },
    { name: 's', type: 'string', doc },
    { name: 'i', type: 'int', doc },
    { name: 'l', type: 'long', doc },
    { name: 'f', type: 'float', doc },
    { name: 'd', type: 'double', doc },
    { name: 'dec', type: 'decimal(18,4)', doc },
    { name: 'b', type: 'boolean', doc },
    { name: 'dt', type: 'date', doc },
    { name: 'ts', type: 'timestamp', doc },
    { name: 'tz', type: 'timestamptz', doc },
    { name: 'bin', type: 'binary', doc },
  ],
  key: ['id'],
  partitionBy: [{ column: 'id', transform: 'bucket', width: 8 }],
});

const daily = defineTable({
  namespace: ns,
  name: 'daily',
  doc,
  columns: [
    { name: 'route', type: 'string', required: true, doc },
    { name: 'day', type: 'date', required: true, doc },
    { name: 'n', type: 'int', doc },
    { name: 'note', type: 'string', doc },
  ],
  key: ['route', 'day'],
  partitionBy: [{ column: 'day', transform: 'day' }],
});

const TS_MIN = -62_135_596_800_000_000n;
const TS_MAX = 253_402_300_799_999_999n;
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { freq: 8 });
const rowArb = fc.record({
  s: opt(fc.string({ unit: 'binary', maxLength: 30 }).map((s) => s.replaceAll('\u0000', ''))),
  i: opt(fc.integer()),
  l: opt(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })),
  f: opt(fc.float()),
  d: opt(fc.double()),
  dec: opt(fc.bigInt({ min: -(10n ** 18n) + 1n, max: 10n ** 18n - 1n })).map((v) =>
    v === null
      ? null
      : `${v < 0n ? '-' : ''}${(v < 0n ? -v : v)
          .toString()
          .padStart(5, '0')
          .replace(/(\d{4})$/, '.$1')}`,
  ),
  b: opt(fc.boolean()),
  dt: opt(
    fc.integer({ min: daysFromCivil(1, 1, 1), max: daysFromCivil(9999, 12, 31) }).map(formatDate),
  ),
  ts: opt(fc.bigInt({ min: TS_MIN, max: TS_MAX })),
  tz: opt(fc.bigInt({ min: TS_MIN, max: TS_MAX })),
  bin: opt(fc.uint8Array({ maxLength: 24 })),
});

async function readAll(model: TableModel, suffix = ''): Promise<unknown[][]> {
  const r = await engine.query(
    `SELECT * FROM ${engine.names.table(model.namespace, model.name)}${suffix} ORDER BY 1, 2`,
  );
  return r.rows.map((row) => [...row]);
}

function expected(model: TableModel, rows: Record<string, unknown>[]): unknown[][] {
  return rows.map((r) => model.columns.map((c) => canonical(c.type, r[c.name])));
}

/** Value-for-value equality, with NaN and -0 compared exactly. */
function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b);
  if (a instanceof Uint8Array && b instanceof Uint8Array)
    return Buffer.from(a).equals(Buffer.from(b));
  return a === b;
}

async function snapshotIds(model: TableModel): Promise<bigint[]> {
  const r = await engine.query(
    `SELECT snapshot_id FROM ${engine.names.metadata(model.namespace, model.name, 'snapshots')} ORDER BY committed_at`,
  );
  return r.rows.map((x) => x[0] as bigint);
}

beforeAll(async () => {
  await clearFaults();
  await ensureTable(engine, 'trino', allTypes);
  await ensureTable(engine, 'trino', daily);
});

afterAll(async () => {
  await clearFaults();
  for (const m of [allTypes, daily])
    await engine.query(`DROP TABLE IF EXISTS ${engine.names.table(m.namespace, m.name)}`);
  await engine.query(`DROP SCHEMA IF EXISTS "${ns}"`, { catalog: TEST_CATALOGS.uploads });
});

describe('the Iceberg writer', () => {
  it('stages 10,000 random rows of every type as Parquet, merges them and reads them back value for value', async () => {
    let nextId = 0n;
    await fc.assert(
      fc.asyncProperty(fc.array(rowArb, { minLength: 2_500, maxLength: 2_500 }), async (batch) => {
        const rows = batch.map((r) => ({ id: nextId++, ...r }));
        const first = rows[0]!.id as bigint;
        const report = await writeRows(engine, allTypes, rows, {
          disposition: 'merge',
          staging,
          forceStaging: true,
          partRows: 1_000,
        });
        expect(report.rejected).toEqual([]);
        expect(report.rowsWritten).toBe(rows.length);
        expect(report.parts).toBeGreaterThan(1);
        expect(report.commits).toBe(1);
        const got = (
          await engine.query(
            `SELECT * FROM ${engine.names.table(ns, 'all_types')} WHERE id >= ${first} AND id < ${nextId} ORDER BY id`,
          )
        ).rows;
        const want = expected(allTypes, rows);
        expect(got.length).toBe(want.length);
        for (let r = 0; r < want.length; r++) {
          for (let c = 0; c < allTypes.columns.length; c++) {
            if (!sameValue(got[r]![c], want[r]![c])) {
              throw new Error(
                `row id=${want[r]![0]} column ${allTypes.columns[c]!.name}: wrote ${String(want[r]![c])}, read ${String(got[r]![c])}`,
              );
            }
          }
        }
      }),
      { numRuns: 4, endOnFailure: true },
    );
    const count = await engine.query(`SELECT count(*) FROM ${engine.names.table(ns, 'all_types')}`);
    expect(count.rows[0]![0]).toBe(10_000n);
  });

  it('leaves the table unchanged when the same batch is merged three times', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => ({
      route: ['fujinomiya', 'gotemba', 'subashiri'][i % 3],
      day: formatDate(daysFromCivil(2026, 7, 1) + Math.floor(i / 3)),
      n: i,
      note: i % 7 === 0 ? "山頂'富士\n🗻" : null,
    }));
    const written: number[] = [];
    const contents: unknown[][][] = [];
    const before = (await snapshotIds(daily)).length;
    for (let pass = 0; pass < 3; pass++) {
      written.push((await writeRows(engine, daily, rows, { disposition: 'merge' })).rowsWritten);
      contents.push(await readAll(daily));
    }
    expect(written).toEqual([300, 0, 0]);
    expect(contents[1]).toEqual(contents[0]);
    expect(contents[2]).toEqual(contents[0]);
    expect(contents[0]).toEqual(
      expected(daily, rows).sort(
        (a, b) =>
          String(a[0]).localeCompare(String(b[0])) || String(a[1]).localeCompare(String(b[1])),
      ),
    );
    const snaps = await snapshotIds(daily);
    // The first merge is a commit in $snapshots; reruns change no row.
    expect(snaps.length).toBeGreaterThan(before);
  });

  it('stages a 50,000-row batch over 200 partitions and commits once per 100-partition group', async () => {
    const rows = Array.from({ length: 50_000 }, (_, i) => ({
      route: `r${i % 250}`,
      day: formatDate(daysFromCivil(2025, 1, 1) + Math.floor(i / 250)),
      n: i,
      note: `note ${i} ご来光`,
    }));
    const before = (await snapshotIds(daily)).length;
    const report = await writeRows(engine, daily, rows, { disposition: 'merge', staging });
    expect(report.rowsWritten).toBe(50_000);
    expect(report.parts).toBeGreaterThan(1);
    expect([report.statements, report.commits]).toEqual([2, 2]);
    expect((await snapshotIds(daily)).length - before).toBe(2);
    const r = await engine.query(
      `SELECT count(*), sum(n) FROM ${engine.names.table(ns, 'daily')} WHERE route LIKE 'r%'`,
    );
    expect(r.rows[0]).toEqual([50_000n, BigInt((49_999 * 50_000) / 2)]);
    expect(await staging.leftovers(`${ns}_daily`)).toEqual([]);
  });

  it('reads the previous contents back through time travel', async () => {
    const key = { route: 'time-travel', day: '2026-08-01' };
    await writeRows(engine, daily, [{ ...key, n: 1 }], { disposition: 'merge' });
    const [previous] = (await snapshotIds(daily)).slice(-1);
    await writeRows(engine, daily, [{ ...key, n: 2 }], { disposition: 'merge' });
    const now = await engine.query(
      `SELECT n FROM ${engine.names.table(ns, 'daily')} WHERE route = 'time-travel'`,
    );
    const then = await engine.query(
      `SELECT n FROM ${engine.names.table(ns, 'daily')} FOR VERSION AS OF ${previous} WHERE route = 'time-travel'`,
    );
    expect(now.rows).toEqual([[2]]);
    expect(then.rows).toEqual([[1]]);
  });

  it('retries injected throttling and commit conflicts and still writes exactly', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => ({
      route: 'faulty',
      day: '2026-08-02',
      n: i,
    })).map((r, i) => ({
      ...r,
      route: `faulty-${i}`,
    }));
    // Matched on this file's namespace, so another test run sharing the stack cannot take the faults.
    await injectFaults({
      throttle: 2,
      commitConflict: 2,
      match: `^MERGE INTO "${TEST_CATALOGS.uploads}"."${ns}"`,
    });
    const report = await writeRows(engine, daily, rows, { disposition: 'merge' });
    const counters = await faultCounters();
    await clearFaults();
    expect(counters.throttled).toBe(2);
    expect(counters.injectedFailures).toBe(2);
    expect(report.rowsWritten).toBe(50);
    const r = await engine.query(
      `SELECT count(*), sum(n) FROM ${engine.names.table(ns, 'daily')} WHERE route LIKE 'faulty-%'`,
    );
    expect(r.rows[0]).toEqual([50n, 1225n]);
  });

  it('surfaces a non-retryable failure as a typed error with query id, reason and kind', async () => {
    const missing = defineTable({ ...daily, name: 'does_not_exist' });
    const err = await writeRows(engine, missing, [{ route: 'a', day: '2026-08-01' }], {
      disposition: 'merge',
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueryFailedError);
    const f = err as QueryFailedError;
    expect(f.retryable).toBe(false);
    expect(f.statementKind).toBe('merge');
    expect(f.state).toBe('FAILED');
    expect(f.queryId).toMatch(/^[0-9a-f-]{36}$/);
    expect(f.stateReason).toMatch(/TABLE_NOT_FOUND/);
    expect(f.errorCategory).toBe(2);
  });

  it('stops the running query when the caller aborts', async () => {
    await injectFaults({ slowMs: 30_000, match: 'slow_marker' });
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error('deadline near')), 500);
    const err = await engine
      .query(`SELECT 'slow_marker'`, { signal: ac.signal })
      .catch((e: unknown) => e);
    await clearFaults();
    expect(err).toBeInstanceOf(QueryAbortedError);
    expect((err as QueryAbortedError).retryable).toBe(true);
  });
});
