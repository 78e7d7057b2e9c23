/**
 * Recovery from an operator's mistake on the local stack, as the runbook does it: a good file
 * lands, a wrong file replaces it, `history` names the runs, `diff` counts the damage,
 * `restore --to` the snapshot before the mistake makes the table equal to it row for row in
 * one commit, the restore of the restore brings the mistake back, and a state the window no
 * longer holds is refused with the window in the message.
 */
import { execFile } from 'node:child_process';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { contracts } from '#connectors/contracts.ts';
import { csvFileConnector } from '#connectors/csv_upload/connector.ts';
import { defineContract } from '#shared/csv/contract.ts';
import { defineTable, fullName } from '#shared/model/table.ts';
import { diffStates } from '#shared/ops/diff.ts';
import { tableHistory } from '#shared/ops/history.ts';
import { applyRestore, planRestore } from '#shared/ops/restore.ts';
import { runConnector } from '#shared/runtime/run.ts';
import { ensureTable } from '#shared/writer/ensure-table.ts';
import { writeRows } from '#shared/writer/write.ts';
import { metadataTableName, qualifiedName } from '#shared/sql/identifier.ts';
import { stringLiteral } from '#shared/sql/literal.ts';
import { cliContext } from '../../cli/context.ts';
import { inNamespace, testStaging, uniqueNamespace } from '../helpers/local.ts';
import { fileStateTable } from '../helpers/state.ts';

const exec = promisify(execFile);
const CLI = new URL('../../cli/fuji-etl.ts', import.meta.url).pathname;
// The commands the test runs take their locks in the file's state table.
const stateTable = fileStateTable();
const env = { ...process.env, FUJI_ETL_TARGET: 'local', FUJI_ETL_STATE_TABLE: stateTable };
const ctx = cliContext(env);
const ns = uniqueNamespace('restore');
const base = contracts.get('parking_shuttle')!;
const model = inNamespace(base.table, ns);
const contract = defineContract({ ...base, name: `it_restore_${ns.slice(-6)}`, table: model });
const declared = fullName(base.table);
const table = qualifiedName(ns, model.name);
const deps = {
  engine: ctx.engine,
  dialect: 'trino' as const,
  store: ctx.store,
  staging: testStaging(),
};

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [CLI, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

type Row = { day: number; site: string; vehicles: number };

/** 40 rows: 20 days of July 2025 × 2 car parks. */
const good: Row[] = Array.from({ length: 40 }, (_, i) => ({
  day: 1 + (i % 20),
  site: `P${Math.floor(i / 20)}`,
  vehicles: 100 + i,
}));
/**
 * The wrong file: the same first 30 rows with 5 counts changed, then 3 rows of other car parks
 * instead of the last 10 (lines stay where they were, so only the counts differ).
 */
const wrong: Row[] = [
  ...good.slice(0, 30).map((r, i) => (i < 5 ? { ...r, vehicles: r.vehicles + 1000 } : r)),
  ...[1, 2, 3].map((d) => ({ day: d, site: 'X9', vehicles: 7 })),
];

function csv(rows: readonly Row[]): Buffer {
  const lines = ['日付,駐車場,駐車台数,シャトルバス乗車人数,前年同日比'];
  for (const r of rows)
    lines.push(`2025/07/${String(r.day).padStart(2, '0')},${r.site},${r.vehicles}台,10人,1`);
  return iconv.encode(`${lines.join('\r\n')}\r\n`, 'cp932');
}

async function load(rows: readonly Row[]) {
  const body = csv(rows);
  const { connector } = csvFileConnector(contract, {
    source: 's3://it-restore/uploads/parking_shuttle/parking.csv',
    open: async () => Readable.from([body]),
  });
  const s = await runConnector(connector, deps);
  expect(s.slices.map((x) => x.status)).toEqual(['succeeded']);
  return s;
}

async function contents(): Promise<string[][]> {
  const r = await ctx.engine.query(
    `SELECT CAST(use_date AS varchar), site, vehicles, shuttle_passengers, source_line FROM ${table} ORDER BY 1, 2`,
  );
  return r.text.map((row) => row.map(String));
}

async function snapshotCount(): Promise<number> {
  const r = await ctx.engine.query(
    `SELECT count(*) FROM ${metadataTableName(ns, model.name, 'snapshots')}`,
  );
  return Number(r.rows[0]![0]);
}

describe('restore after a wrong file', () => {
  let goodRows: string[][];
  let wrongRows: string[][];
  let goodSnapshot: string;
  let wrongSnapshot: string;
  let wrongRun: string;

  beforeAll(async () => {
    await load(good);
    goodRows = await contents();
    goodSnapshot = (await tableHistory(ctx.engine, model, { limit: 1 }))[0]!.snapshotId;
    wrongRun = (await load(wrong)).runId;
    wrongRows = await contents();
    wrongSnapshot = (await tableHistory(ctx.engine, model, { limit: 1 }))[0]!.snapshotId;
  }, 240_000);

  it('history names the run behind each snapshot, with UTC and JST times and the window', async () => {
    expect(goodRows).toHaveLength(40);
    expect(wrongRows).toHaveLength(33);
    const h = await tableHistory(ctx.engine, model);
    expect(h[0]).toMatchObject({ snapshotId: wrongSnapshot, runId: wrongRun, current: true });
    expect(h[0]!.connector).toBe('csv_upload');
    const { stdout, code } = await cli('history', declared, '--database', ns, '--format', 'csv');
    expect(code).toBe(0);
    expect(stdout).toContain(`${ns}.${model.name}: ${h.length} snapshots; restore window 7 days`);
    const line = stdout.split('\n').find((l) => l.startsWith(`${wrongSnapshot},`))!;
    expect(line).toContain(wrongRun);
    expect(line).toMatch(/ UTC,\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} JST,/);
    expect(line).toContain(',current');
    // The ledger's own row says which snapshot the run made.
    const ledger = await ctx.engine.query(
      `SELECT snapshots FROM ops.run_ledger WHERE run_id = ${stringLiteral(wrongRun)}`,
    );
    expect(ledger.text[0]![0]).toBe(`${ns}.${model.name}=${wrongSnapshot}`);
  });

  it('diff counts what the wrong file did, with sample keys', async () => {
    const d = await diffStates(ctx.engine, model, goodSnapshot, wrongSnapshot);
    expect(d.counts).toEqual({ inserted: 3, updated: 5, deleted: 10 });
    expect(d.samples.inserted).toEqual(['2025-07-01 | X9', '2025-07-02 | X9', '2025-07-03 | X9']);
    expect(d.samples.updated[0]).toBe('2025-07-01 | P0');
    expect(d.partitions).toBe(1); // one year partition
    const { stdout } = await cli('diff', declared, '--database', ns, '--from', goodSnapshot);
    expect(stdout).toMatch(/inserted\s+\|\s+3\s+\|/);
    expect(stdout).toMatch(/deleted\s+\|\s+10\s+\|/);
  });

  it('restore is a dry run first, then one commit that makes the table equal to before', async () => {
    const before = await snapshotCount();
    const dry = await cli('restore', declared, '--database', ns, '--to', goodSnapshot);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('(dry run: nothing changed; add --apply to restore)');
    expect(dry.stdout).toMatch(/inserted\s+\|\s+10\s+\|/); // the rows the mistake deleted
    expect(await contents()).toEqual(wrongRows);
    expect(await snapshotCount()).toBe(before);

    const t0 = performance.now();
    const applied = await cli(
      'restore',
      declared,
      '--database',
      ns,
      '--to',
      goodSnapshot,
      '--apply',
    );
    const seconds = (performance.now() - t0) / 1000;
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/restored: 18 rows written in one commit, snapshot \d+/);
    expect(applied.stdout).toContain(
      `undo: fuji-etl restore ${declared} --database ${ns} --to ${wrongSnapshot} --apply`,
    );
    expect(await contents()).toEqual(goodRows);
    expect(await snapshotCount()).toBe(before + 1);
    const h = await tableHistory(ctx.engine, model, { limit: 1 });
    expect(h[0]!.connector).toBe('restore');
    console.log(`restore of 18 changed rows (40-row table) via the CLI: ${seconds.toFixed(1)} s`);

    // A restore is itself a snapshot, undone the same way: the mistake comes back.
    const plan = await planRestore(ctx.engine, model, { snapshot: wrongSnapshot });
    expect(plan.diff.counts).toEqual({ inserted: 3, updated: 5, deleted: 10 });
    const undo = await applyRestore(deps, model, plan);
    expect(undo.rowsWritten).toBe(18);
    expect(await contents()).toEqual(wrongRows);
    // Restoring to the state it already has changes nothing and commits nothing.
    const again = await applyRestore(
      deps,
      model,
      await planRestore(ctx.engine, model, { snapshot: wrongSnapshot }),
    );
    expect(again.snapshotId).toBeUndefined();
    expect(await snapshotCount()).toBe(before + 2);
  }, 240_000);

  it('restores through a staged copy of the snapshot (the deployed way) to the same rows, leaving no staging', async () => {
    // The table holds the wrong file again (the undo above); restore the good one via staging.
    const plan = await planRestore(ctx.engine, model, { snapshot: goodSnapshot });
    const r = await applyRestore(deps, model, plan, { via: 'staging' });
    expect(r.rowsWritten).toBe(18);
    expect(await contents()).toEqual(goodRows);
    expect(await deps.staging.leftovers(`restore_${ns}_${model.name}`)).toEqual([]);
  }, 120_000);

  it('a staged copy keeps every type exact: microseconds, zones, decimals, Unicode', async () => {
    const typed = defineTable({
      namespace: ns,
      name: 'typed',
      doc: { ja: '型', en: 'types' },
      columns: [
        { name: 'id', type: 'long', required: true, doc: { ja: 'i', en: 'i' } },
        { name: 'at', type: 'timestamptz', required: true, doc: { ja: 'a', en: 'a' } },
        { name: 'local_at', type: 'timestamp', doc: { ja: 'l', en: 'l' } },
        { name: 'amount', type: 'decimal(12,3)', doc: { ja: 'm', en: 'm' } },
        { name: 'day', type: 'date', doc: { ja: 'd', en: 'd' } },
        { name: 'ratio', type: 'double', doc: { ja: 'r', en: 'r' } },
        { name: 'ok', type: 'boolean', doc: { ja: 'o', en: 'o' } },
        { name: 'note', type: 'string', doc: { ja: 'n', en: 'n' } },
      ],
      key: ['id', 'at'],
      partitionBy: [{ column: 'at', transform: 'day' }],
    });
    await ensureTable(ctx.engine, 'trino', typed);
    const rows = [1, 2, 3].map((i) => ({
      id: BigInt(i),
      at: new Date(Date.UTC(2026, 7, i, 23, 59, 59, 123)),
      local_at: `2026-08-0${i}T04:05:06.789012Z`,
      amount: `${i}234.567`,
      day: `2026-08-0${i}`,
      ratio: i / 3,
      ok: i % 2 === 0,
      note: `富士山 ${'𠮷'.repeat(i)} "頂上"`,
    }));
    expect((await writeRows(ctx.engine, typed, rows, { disposition: 'merge' })).rejected).toEqual(
      [],
    );
    const all = async () =>
      (
        await ctx.engine.query(
          `SELECT CAST(at AS varchar), CAST(local_at AS varchar), CAST(amount AS varchar), CAST(day AS varchar), CAST(ratio AS varchar), CAST(ok AS varchar), note FROM ${qualifiedName(ns, 'typed')} ORDER BY id`,
        )
      ).text;
    const before = await all();
    const snap = (await tableHistory(ctx.engine, typed, { limit: 1 }))[0]!.snapshotId;
    await writeRows(ctx.engine, typed, [{ ...rows[0]!, note: 'wrong', amount: '0.000' }], {
      disposition: 'merge',
    });
    const plan = await planRestore(ctx.engine, typed, { snapshot: snap });
    expect(plan.diff.counts).toEqual({ inserted: 0, updated: 1, deleted: 0 });
    await applyRestore(deps, typed, plan, { via: 'staging' });
    expect(await all()).toEqual(before);
    expect(before[0]![1]).toBe('2026-08-01 04:05:06.789012');
  }, 120_000);

  it('restores to a snapshot from before a column was added: the column reads NULL', async () => {
    const v1 = defineTable({
      namespace: ns,
      name: 'evolving',
      doc: { ja: '進化', en: 'evolving' },
      columns: [
        { name: 'id', type: 'long', required: true, doc: { ja: 'i', en: 'i' } },
        { name: 'a', type: 'string', doc: { ja: 'a', en: 'a' } },
      ],
      key: ['id'],
      partitionBy: [],
    });
    const v2 = defineTable({
      ...v1,
      columns: [...v1.columns, { name: 'b', type: 'string', doc: { ja: 'b', en: 'b' } }],
    });
    await ensureTable(ctx.engine, 'trino', v1);
    await writeRows(ctx.engine, v1, [{ id: 1n, a: 'x' }], { disposition: 'merge' });
    const old = (await tableHistory(ctx.engine, v1, { limit: 1 }))[0]!.snapshotId;
    expect((await ensureTable(ctx.engine, 'trino', v2)).addedColumns).toEqual(['b']);
    await writeRows(
      ctx.engine,
      v2,
      [
        { id: 1n, a: 'x', b: 'new' },
        { id: 2n, a: 'y', b: 'z' },
      ],
      { disposition: 'merge' },
    );
    const plan = await planRestore(ctx.engine, v2, { snapshot: old });
    expect(plan.diff.counts).toEqual({ inserted: 0, updated: 1, deleted: 1 });
    await applyRestore(deps, v2, plan);
    const r = await ctx.engine.query(`SELECT id, a, b FROM ${qualifiedName(ns, 'evolving')}`);
    expect(r.rows).toEqual([[1n, 'x', null]]);
  }, 120_000);

  it('refuses a state the window does not hold, naming the window', async () => {
    const early = await cli('restore', declared, '--database', ns, '--to', '2020-01-01T00:00:00Z');
    expect(early.code).toBe(1);
    expect(early.stderr).toContain('STATE_NOT_FOUND');
    expect(early.stderr).toContain('no state at 2020-01-01T00:00:00.000Z');
    expect(early.stderr).toContain('restore window 7 days (and the newest 10 snapshots)');
    const unknown = await cli('restore', declared, '--database', ns, '--to', '123');
    expect(unknown.stderr).toContain("snapshot 123 is not in the table's history");
    const naive = await cli('diff', declared, '--database', ns, '--from', '2026-08-01 09:00');
    expect(naive.stderr).toContain('neither a snapshot id nor an ISO time with a zone');
  });
});
