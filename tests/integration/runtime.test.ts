/** A connector run end to end: tables, locks, ledger, quarantine, cursor, reruns. */
import { afterAll, describe, expect, it } from 'vitest';
import { synthetic } from '#connectors/synthetic/connector.ts';
import { trailCounts } from '#connectors/synthetic/tables.ts';
import { defineConnector } from '#shared/runtime/connector.ts';
import { eachMember } from '#shared/runtime/members.ts';
import { FujiEtlError } from '#shared/errors/index.ts';
import { runConnector } from '#shared/runtime/run.ts';
import { qualifiedName } from '#shared/sql/identifier.ts';
import { stringLiteral } from '#shared/sql/literal.ts';
import { LockHeldError, StateStore } from '#shared/state/store.ts';
import { clientsFor } from '#shared/aws/clients.ts';
import { cliContext } from '../../cli/context.ts';
import { inNamespace, testEngine, uniqueNamespace } from '../helpers/local.ts';

const ns = uniqueNamespace('runtime');
const model = inNamespace(trailCounts, ns);
const connector = defineConnector({ ...synthetic, tables: [{ model, disposition: 'merge' }] });
const ctx = cliContext({ ...process.env, FUJI_ETL_TARGET: 'local' });
const engine = testEngine();
const deps = { engine, dialect: 'trino' as const, store: ctx.store, staging: ctx.staging };
const range = { from: '2026-07-10', to: '2026-07-13' };

afterAll(async () => {
  await engine.query(`DROP TABLE IF EXISTS ${qualifiedName(ns, model.name)}`);
  await engine.query(`DROP SCHEMA IF EXISTS "${ns}"`);
});

describe('running a connector', () => {
  it('lands every slice, quarantines the bad row with its reason, and records the ledger', async () => {
    const run = await runConnector(connector, deps, { range });
    expect(run.ok).toBe(true);
    expect(
      run.slices.map((s) => [s.slice, s.status, s.rowsRead, s.rowsWritten, s.rowsQuarantined]),
    ).toEqual([
      ['2026-07-10', 'succeeded', 97, 96, 1],
      ['2026-07-11', 'succeeded', 97, 96, 1],
      ['2026-07-12', 'succeeded', 97, 96, 1],
    ]);
    const count = await engine.query(`SELECT count(*) FROM ${qualifiedName(ns, model.name)}`);
    expect(count.rows[0]![0]).toBe(288n);
    const q = await engine.query(
      `SELECT target_table, reason, source FROM "ops"."quarantine" WHERE run_id = ${stringLiteral(run.runId)} ORDER BY source`,
    );
    expect(q.text).toHaveLength(3);
    expect(q.text[0]).toEqual([
      `${ns}.trail_counts`,
      expect.stringMatching(/counter_note: .*NUL/),
      'synthetic://trail_counts/2026-07-10',
    ]);
    const ledger = await engine.query(
      `SELECT slice, status, rows_read, rows_written, rows_quarantined FROM "ops"."run_ledger" WHERE run_id = ${stringLiteral(run.runId)} ORDER BY slice`,
    );
    expect(ledger.rows).toEqual([
      ['2026-07-10', 'succeeded', 97n, 96n, 1n],
      ['2026-07-11', 'succeeded', 97n, 96n, 1n],
      ['2026-07-12', 'succeeded', 97n, 96n, 1n],
    ]);
    expect(await ctx.store.getCursor('synthetic', 'main')).toBe('2026-07-13');
  });

  it('converges on a rerun: nothing is written again', async () => {
    const run = await runConnector(connector, deps, { range });
    expect(run.slices.map((s) => s.rowsWritten)).toEqual([0, 0, 0]);
    const count = await engine.query(`SELECT count(*) FROM ${qualifiedName(ns, model.name)}`);
    expect(count.rows[0]![0]).toBe(288n);
    // The same rejections land on the same quarantine rows, now attributed to the rerun.
    const q = await engine.query(
      `SELECT count(*), count_if(run_id = ${stringLiteral(run.runId)}) FROM "ops"."quarantine" WHERE target_table = ${stringLiteral(`${ns}.trail_counts`)}`,
    );
    expect(q.rows[0]).toEqual([3n, 3n]);
  });

  it('keeps going after a failed slice but never moves the cursor past it', async () => {
    const flaky = defineConnector({
      ...connector,
      async fetch(slice, c) {
        if (slice.day === '2026-07-14') throw new Error('upstream said 500 for 2026-07-14');
        return connector.fetch(slice, c);
      },
    });
    const run = await runConnector(flaky, deps, {
      range: { from: '2026-07-13', to: '2026-07-16' },
    });
    expect(run.ok).toBe(false);
    expect(run.slices.map((s) => s.status)).toEqual(['succeeded', 'failed', 'succeeded']);
    expect(run.slices[1]!.error).toBe('upstream said 500 for 2026-07-14');
    expect(await ctx.store.getCursor('synthetic', 'main')).toBe('2026-07-14');
  });

  it('refuses to write a table another live run holds, and takes over a stale lock', async () => {
    const lock = await ctx.store.acquireLock(`table#${ns}.trail_counts`, 'other-run', 60_000);
    await expect(runConnector(connector, deps, { range })).rejects.toThrow(LockHeldError);
    await lock.release();
    const past = new StateStore(
      clientsFor(ctx.cfg).dynamo,
      ctx.cfg.stateTable,
      () => Date.now() - 120_000,
    );
    await past.acquireLock(`table#${ns}.trail_counts`, 'crashed-run', 60_000);
    const run = await runConnector(connector, deps, {
      range: { from: '2026-07-10', to: '2026-07-11' },
    });
    expect(run.ok).toBe(true);
    // A backfill of older days never pulls the cursor back.
    expect(await ctx.store.getCursor('synthetic', 'main')).toBe('2026-07-14');
  });

  it('re-reads a member that failed alone on later runs, then gives it up loudly after five tries', async () => {
    let planned = 0;
    const events: Record<string, unknown>[] = [];
    const probe = defineConnector({
      name: 'member_probe',
      tables: [{ model, disposition: 'merge' }],
      slices: () => [{ id: `s${planned}` }],
      sliceFromId: (id) => ({ id }),
      async fetch(_slice, fctx) {
        const read = await eachMember(
          fctx,
          ['good', 'bad'],
          (m) => m,
          async (m) => {
            if (m === 'bad') throw new FujiEtlError('SOURCE_SHAPE', 'this member always fails');
            return m;
          },
        );
        return {
          rows: {},
          rowsRead: read.values.length,
          failures: read.failures,
          members: read.members,
        };
      },
    });
    const runs = [];
    for (planned = 0; planned < 7; planned++)
      runs.push(await runConnector(probe, { ...deps, log: (e) => void events.push(e) }));
    // Each run: its own slice partial (good landed, bad failed), then the owed ones for `bad`.
    expect(runs.every((r) => r.ok)).toBe(true);
    expect(runs[0]!.slices.map((x) => [x.slice, x.status])).toEqual([['s0', 'partial']]);
    expect(runs[1]!.slices.map((x) => [x.slice, x.status])).toEqual([
      ['s1', 'partial'],
      ['s0', 'failed'],
    ]);
    const gaveUp = events.filter((e) => e.code === 'MEMBER_GAVE_UP');
    expect(gaveUp).toEqual([
      expect.objectContaining({
        sliceId: 's0',
        member: 'bad',
        reason: 'SOURCE_SHAPE: this member always fails',
      }),
    ]);
    const ledger = await engine.query(
      `SELECT status, members_failed, error FROM "ops"."run_ledger" WHERE run_id = ${stringLiteral(runs[6]!.runId)} AND slice = 's0 bad'`,
    );
    expect(ledger.rows).toEqual([
      ['failed', 1, expect.stringMatching(/^MEMBER_GAVE_UP: bad failed 5 re-reads/)],
    ]);
    // s0 is no longer owed; the member is still failing, and says so after every run.
    const health = JSON.parse((await ctx.store.getCursor('member_probe', 'members'))!);
    expect(Object.keys(health.bad.owed)).not.toContain('s0');
    expect(events.filter((e) => e.code === 'MEMBERS_FAILING')).toHaveLength(7);
  });
});
