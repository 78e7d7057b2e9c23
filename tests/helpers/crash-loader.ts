/**
 * A loader the crash test kills with SIGKILL: writes one version of a file into a test table
 * through the production runtime (table lock with heartbeat, staged batches, one MERGE), and
 * prints `done` when the run returns.
 *
 *   node tests/helpers/crash-loader.ts <namespace> <state table> <version> <rows>
 */
import { defineConnector } from '#shared/runtime/connector.ts';
import { runConnector } from '#shared/runtime/run.ts';
import { cliContext, ensureLocalStateTable } from '../../cli/context.ts';
import { crashModel, crashRows } from './crash-model.ts';

const [namespace, stateTable, version, n] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
];
const ctx = cliContext({
  ...process.env,
  FUJI_ETL_TARGET: 'local',
  FUJI_ETL_STATE_TABLE: stateTable,
});
await ensureLocalStateTable(ctx);
const model = crashModel(namespace);
const rows = crashRows(version, Number(n));
const BATCH = 5_000;
const connector = defineConnector({
  name: 'crash_loader',
  tables: [{ model, disposition: 'replace', replaceBySource: 'source' }],
  slices: () => [{ id: 'file' }],
  async fetch() {
    return {
      source: 's3://it-crash/file.csv',
      rows: { [model.name]: rows.slice(0, BATCH) },
      rowsRead: Math.min(BATCH, rows.length),
      batches: (async function* () {
        for (let i = BATCH; i < rows.length; i += BATCH) {
          const part = rows.slice(i, i + BATCH);
          yield { rows: { [model.name]: part }, rowsRead: part.length };
        }
      })(),
    };
  },
});
const summary = await runConnector(
  connector,
  { engine: ctx.engine, dialect: 'trino', store: ctx.store, staging: ctx.staging },
  { lockTtlMs: Number(process.env.CRASH_LOCK_TTL_MS ?? 2_000), lockWaitUntil: Date.now() + 30_000 },
);
console.log(summary.ok ? 'done' : `failed ${JSON.stringify(summary.slices.map((s) => s.error))}`);
process.exit(summary.ok ? 0 : 1);
