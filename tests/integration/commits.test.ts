/**
 * One commit per batch, on the real local stack: replace of a scope in one MERGE, what a reader
 * sees while it runs, reruns that commit nothing, the staging sweeper, and crash-safe locks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineTable, type TableModel } from '#shared/model/table.ts';
import { metadataTableName, qualifiedName } from '#shared/sql/identifier.ts';
import { ensureTable } from '#shared/writer/ensure-table.ts';
import { writeRows } from '#shared/writer/write.ts';
import { TableWriter } from '#shared/writer/table-writer.ts';
import { LockHeldError, LockLostError } from '#shared/state/store.ts';
import { cliContext } from '../../cli/context.ts';
import { testEngine, testStaging, uniqueNamespace } from '../helpers/local.ts';

const doc = { ja: '試験', en: 'test' };
const ns = uniqueNamespace('commits');
const engine = testEngine();
const staging = testStaging();
// Locks in the file's own state table (tests/setup/state-table.ts, through the environment).
const ctx = cliContext({ ...process.env, FUJI_ETL_TARGET: 'local' });

/** Rows of uploaded files: `source` is the file, the key is (day, gate). */
const visits = defineTable({
  namespace: ns,
  name: 'visits',
  doc,
  columns: [
    { name: 'day', type: 'date', required: true, doc },
    { name: 'gate', type: 'string', required: true, doc },
    { name: 'n', type: 'int', doc },
    { name: 'version', type: 'string', doc },
    { name: 'source', type: 'string', doc },
  ],
  key: ['day', 'gate'],
  partitionBy: [{ column: 'day', transform: 'year' }],
});

const table = (m: TableModel) => qualifiedName(m.namespace, m.name);

async function snapshots(m: TableModel): Promise<number> {
  const r = await engine.query(
    `SELECT count(*) FROM ${metadataTableName(m.namespace, m.name, 'snapshots')}`,
  );
  return Number(r.rows[0]![0]);
}

function fileRows(
  source: string,
  version: string,
  days: number,
  gates: number,
  from = '2025-01-01',
) {
  const start = Date.parse(`${from}T00:00:00Z`);
  const rows = [];
  for (let d = 0; d < days; d++) {
    const day = new Date(start + d * 86_400_000).toISOString().slice(0, 10);
    for (let g = 0; g < gates; g++)
      rows.push({ day, gate: `g${g}`, n: d * gates + g, version, source });
  }
  return rows;
}

const bySource = (source: string) => ({ source: { in: [source] } });

beforeAll(async () => {
  await ensureTable(engine, 'trino', visits);
});

afterAll(async () => {
  await engine.query(`DROP TABLE IF EXISTS ${table(visits)}`);
  await engine.query(`DROP SCHEMA IF EXISTS "${ns}"`);
});

describe('writing a batch as one commit', () => {
  it('replaces a scope in one commit: missing rows leave, changed rows update, new rows arrive', async () => {
    const a = 's3://it/a.csv';
    const b = 's3://it/b.csv';
    await writeRows(engine, visits, fileRows(a, 'v1', 10, 3), {
      disposition: 'replace',
      staging,
      scope: bySource(a),
    });
    await writeRows(engine, visits, fileRows(b, 'v1', 5, 3, '2026-01-01'), {
      disposition: 'replace',
      staging,
      scope: bySource(b),
    });
    const before = await snapshots(visits);
    // Version 2 of file a: days 0-7 only (two dropped), gate g1 changed, a new gate g3.
    const v2 = fileRows(a, 'v2', 8, 4).map((r) => (r.gate === 'g1' ? { ...r, n: -1 } : r));
    const report = await writeRows(engine, visits, v2, {
      disposition: 'replace',
      staging,
      scope: bySource(a),
    });
    expect(report.commits).toBe(1);
    expect(await snapshots(visits)).toBe(before + 1);
    const r = await engine.query(
      `SELECT source, version, count(*), sum(n) FROM ${table(visits)} GROUP BY source, version ORDER BY source, version`,
    );
    expect(r.text).toEqual([
      [a, 'v2', '32', String(v2.reduce((s, x) => s + x.n, 0))],
      [b, 'v1', '15', String(fileRows(b, 'v1', 5, 3).reduce((s, x) => s + x.n, 0))],
    ]);
  });

  it('deletes scope rows in partitions the new batch does not touch (a corrected file drops a year)', async () => {
    const c = 's3://it/c.csv';
    await writeRows(
      engine,
      visits,
      [...fileRows(c, 'v1', 2, 2, '2020-06-01'), ...fileRows(c, 'v1', 2, 2, '2021-06-01')],
      {
        disposition: 'replace',
        staging,
        scope: bySource(c),
      },
    );
    const report = await writeRows(engine, visits, fileRows(c, 'v2', 2, 2, '2021-06-01'), {
      disposition: 'replace',
      staging,
      scope: bySource(c),
    });
    expect(report.commits).toBe(1);
    const r = await engine.query(
      `SELECT year(day), version, count(*) FROM ${table(visits)} WHERE source = '${c}' GROUP BY 1, 2`,
    );
    expect(r.text).toEqual([['2021', 'v2', '4']]);
  });

  it('empties a scope when the new version of its file has no rows, partitioned or not', async () => {
    const flat = defineTable({ ...visits, name: 'visits_flat', partitionBy: [] });
    await ensureTable(engine, 'trino', flat);
    for (const m of [visits, flat]) {
      const e = 's3://it/emptied.csv';
      await writeRows(engine, m, fileRows(e, 'v1', 3, 2, '2016-03-01'), {
        disposition: 'replace',
        staging,
        scope: bySource(e),
      });
      const report = await writeRows(engine, m, [], {
        disposition: 'replace',
        staging,
        scope: bySource(e),
      });
      expect(report.commits).toBe(1);
      const r = await engine.query(`SELECT count(*) FROM ${table(m)} WHERE source = '${e}'`);
      expect(r.rows[0]![0]).toBe(0n);
    }
    await engine.query(`DROP TABLE ${table(flat)}`);
  });

  it('shows a polling reader the old scope or the new one during a staged replace, never a mix or a gap', async () => {
    const f = 's3://it/big.csv';
    const n = 60 * 250;
    await writeRows(engine, visits, fileRows(f, 'old', 60, 250, '2024-01-01'), {
      disposition: 'replace',
      staging,
      scope: bySource(f),
    });
    const seen = new Set<string>();
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const r = await engine.query(
          `SELECT version, count(*) FROM ${table(visits)} WHERE source = '${f}' GROUP BY version`,
        );
        seen.add(
          r.text
            .map((x) => `${x[0]}:${x[1]}`)
            .sort()
            .join(','),
        );
      }
    })();
    const next = fileRows(f, 'new', 60, 250, '2024-01-01');
    const report = await writeRows(engine, visits, next, {
      disposition: 'replace',
      staging,
      scope: bySource(f),
      partRows: 2_000,
    });
    polling = false;
    await poller;
    expect(report.parts).toBeGreaterThan(1);
    expect(report.commits).toBe(1);
    expect([...seen].every((s) => s === `old:${n}` || s === `new:${n}`)).toBe(true);
    expect(seen.has(`new:${n}`) || seen.has(`old:${n}`)).toBe(true);
  });

  it('commits no snapshot when the same batch is merged again', async () => {
    const rows = fileRows('s3://it/same.csv', 'v1', 20, 5, '2019-01-01');
    await writeRows(engine, visits, rows, { disposition: 'merge', staging, forceStaging: true });
    const before = await snapshots(visits);
    const again = await writeRows(engine, visits, rows, {
      disposition: 'merge',
      staging,
      forceStaging: true,
    });
    const literal = await writeRows(engine, visits, rows.slice(0, 10), {
      disposition: 'merge',
      staging,
    });
    expect([again.rowsWritten, again.commits, literal.rowsWritten, literal.commits]).toEqual([
      0, 0, 0, 0,
    ]);
    expect(await snapshots(visits)).toBe(before);
  });

  it('writes nothing when the slice fails before its commit, and leaves no staging behind', async () => {
    const before = await snapshots(visits);
    const w = new TableWriter(engine, visits, { disposition: 'merge', staging, partRows: 500 });
    await w.add(fileRows('s3://it/never.csv', 'v1', 10, 200, '2018-01-01'));
    await w.discard(); // what the runtime does when a later batch fails to read
    expect(await snapshots(visits)).toBe(before);
    expect(await staging.leftovers(`${ns}_visits`)).toEqual([]);
  });

  it('sweeps stages left by crashed runs once they are a day old, and keeps fresh ones', async () => {
    const old = staging.open('it_sweep', new Date(Date.now() - 25 * 3_600_000));
    const fresh = staging.open('it_sweep', new Date());
    for (const s of [old, fresh]) {
      await s.putPart(0, new Uint8Array([1, 2, 3]));
      await s.register([{ name: 'x', type: 'int' }]);
    }
    const swept = await staging.sweep();
    expect(swept.tables).toContain(old.name);
    expect(swept.prefixes).toContain(old.name);
    const left = await staging.leftovers();
    expect(left).toContain(fresh.name);
    expect(left).not.toContain(old.name);
    await fresh.drop();
  });
});

describe('table locks', () => {
  it("frees a dead holder's lock within its TTL while a live holder's heartbeat keeps it", async () => {
    const ttl = 1_500;
    // A crashed run: it took the lock and never renewed it.
    await ctx.store.acquireLock('table#it.dead', 'crashed-run', ttl, { heartbeat: false });
    await expect(ctx.store.acquireLock('table#it.dead', 'next-run', ttl)).rejects.toBeInstanceOf(
      LockHeldError,
    );
    const t0 = Date.now();
    const taken = await ctx.store.acquireLock('table#it.dead', 'next-run', ttl, {
      waitUntil: Date.now() + 10_000,
    });
    expect(Date.now() - t0).toBeLessThan(ttl + 2_500);
    // A live run keeps its lock well past one TTL.
    const live = await ctx.store.acquireLock('table#it.live', 'live-run', ttl);
    await new Promise((r) => setTimeout(r, ttl * 2.5));
    live.assertHeld();
    await expect(ctx.store.acquireLock('table#it.live', 'other', ttl)).rejects.toBeInstanceOf(
      LockHeldError,
    );
    await live.release();
    await taken.release();
  });

  it('lists locks, refuses to release a live one unless forced, and the holder then stops before writing', async () => {
    const lock = await ctx.store.acquireLock('table#it.ops', 'busy-run', 1_500);
    const listed = (await ctx.store.listLocks()).find((l) => l.name === 'table#it.ops');
    expect(listed).toMatchObject({ owner: 'busy-run', live: true });
    await expect(ctx.store.releaseLock('table#it.ops')).rejects.toThrow(/LOCK_LIVE|--force/);
    expect(await ctx.store.releaseLock('table#it.ops', { force: true })).toMatchObject({
      owner: 'busy-run',
    });
    await new Promise((r) => setTimeout(r, 1_000)); // the next heartbeat finds the lock gone
    expect(() => lock.assertHeld()).toThrow(LockLostError);
    const w = new TableWriter(engine, visits, {
      disposition: 'merge',
      staging,
      beforeCommit: () => lock.assertHeld(),
    });
    await w.add([{ day: '2017-01-01', gate: 'x', n: 1 }]);
    await expect(w.commit()).rejects.toBeInstanceOf(LockLostError);
    const r = await engine.query(
      `SELECT count(*) FROM ${table(visits)} WHERE day = DATE '2017-01-01'`,
    );
    expect(r.rows[0]![0]).toBe(0n);
    await lock.release();
  });
});
