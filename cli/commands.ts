/** The CLI's commands, one small function each, sharing the context from context.ts. */
import { readFileSync, writeFileSync } from 'node:fs';
import { FujiEtlError } from '#shared/errors/index.ts';
import { createTableSql, type Dialect } from '#shared/model/ddl.ts';
import { partitionText, tableDocs } from '#shared/model/docs.ts';
import { runConnector } from '#shared/runtime/run.ts';
import { connectorNamed, dayRange } from '#shared/runtime/select.ts';
import { connectors, allTables, freshnessSources } from '#connectors/index.ts';
import { tableFreshness } from '#shared/ops/freshness.ts';
import { jstText, utcText } from '#shared/time/display.ts';
import { provisionStack, stackDown, stackStatus, stackUp } from '#local/stack/index.ts';
import {
  cliContext,
  ensureLocalGa4Credentials,
  ensureLocalStateTable,
  runDeps,
} from './context.ts';
import { formatRows, type OutputFormat } from './format.ts';
import { Progress } from './progress.ts';
import { generatedFragments } from './infra/index.ts';
import { GOVERNANCE_DOC, governanceDocs } from './infra/docs.ts';
import { README, readmeWithSettings, SETTINGS_DOC, settingsDocs } from './settings.ts';
import { demo } from './demo.ts';
import { CODES_DOC, codesDoc } from '#shared/errors/docs.ts';
import { writeReport } from './report.ts';
import { csvCommand } from './csv.ts';
import { prereqCommand } from './prereq/index.ts';
import { diffCommand, historyCommand, maintainCommand, restoreCommand } from './ops.ts';

type Values = {
  format?: string;
  database?: string;
  ddl?: string;
  from?: string;
  to?: string;
  dataset?: string;
  encoding?: string;
  url?: string;
  secret?: string;
  user?: string;
  force?: boolean;
  out?: string;
  apply?: boolean;
};

export interface Command {
  readonly summary: string;
  run(args: string[], values: Values): Promise<number>;
}

class UsageError extends FujiEtlError {
  constructor(message: string) {
    super('USAGE', message);
  }
}

function outputFormat(v: string | undefined): OutputFormat {
  if (v === 'table' || v === 'json' || v === 'csv') return v;
  throw new UsageError(`--format must be table, json or csv, got ${JSON.stringify(v)}`);
}

const log = (line: string) => console.error(line);

export const DOCS_PATH = new URL('../docs/tables.md', import.meta.url);
export const INFRA_DIR = new URL('../infra/', import.meta.url);

export const commands: Record<string, Command> = {
  stack: {
    summary: 'up | down | status | provision: the local Trino + Athena endpoint + moto stack',
    async run([action]) {
      if (action === 'provision') {
        const report = await provisionStack({ log });
        log(`stack: provisioned (${JSON.stringify(report)})`);
        return 0;
      }
      if (action === 'up') await stackUp({ log });
      else if (action === 'down') {
        await stackDown({ log });
        return 0;
      } else if (action !== 'status')
        throw new UsageError('stack needs up, down, status or provision');
      const status = await stackStatus();
      const rows = status.services.map((s) => [
        s.name,
        s.running ? 'running' : 'stopped',
        s.url,
        s.pid === undefined ? null : String(s.pid),
        s.details ?? null,
      ]);
      console.log(formatRows(['service', 'state', 'url', 'pid', 'details'], rows, 'table'));
      return 0;
    },
  },
  sql: {
    summary:
      '"<query>" [--format table|json|csv] [--database ns]: run a query on the engine (with --database, in the catalog of that namespace’s table bucket)',
    async run([query], values) {
      if (!query) throw new UsageError('sql needs a query');
      const format = outputFormat(values.format);
      const { engine } = cliContext();
      const r = await engine.query(query, {
        database: values.database,
        // `--database climbing` finds the uploads bucket's tables by their short names.
        ...(values.database && { catalog: engine.names.catalogOf(values.database) }),
        fetchRows: true,
      });
      if (r.columns.length === 0) {
        console.log(r.updateCount === undefined ? 'OK' : `${r.updateCount} rows`);
      } else {
        console.log(
          formatRows(
            r.columns.map((c) => c.name),
            r.text,
            format,
          ),
        );
      }
      return 0;
    },
  },
  tables: {
    summary: '[--format table|json] [--ddl trino|athena]: the declared tables',
    async run(_args, values) {
      const models = allTables();
      if (values.ddl) {
        if (values.ddl !== 'trino' && values.ddl !== 'athena')
          throw new UsageError('--ddl must be trino or athena');
        for (const m of models) {
          try {
            console.log(`${createTableSql(values.ddl as Dialect, m)};\n`);
          } catch (err) {
            console.log(`-- ${m.namespace}.${m.name}: ${(err as Error).message}\n`);
          }
        }
        return 0;
      }
      if (values.format === 'json') {
        console.log(JSON.stringify(models, null, 2));
        return 0;
      }
      const rows = models.map((m) => [
        m.namespace,
        m.name,
        m.columns.map((c) => `${c.name} ${c.type}${c.required ? '!' : ''}`).join(', '),
        m.key.join(', ') || '-',
        m.partitionBy.map(partitionText).join(', ') || '-',
      ]);
      console.log(
        formatRows(
          ['namespace', 'table', 'columns (! = required)', 'key', 'partitioning'],
          rows,
          'table',
        ),
      );
      return 0;
    },
  },
  run: {
    summary:
      '<connector> [--from YYYY-MM-DD --to YYYY-MM-DD]: run a connector (range is [from, to))',
    async run([name], values) {
      const usage = { code: 'USAGE' as const };
      const def = connectorNamed(connectors, name, usage);
      const range =
        values.from === undefined && values.to === undefined
          ? undefined
          : dayRange(values.from, values.to, usage);
      const ctx = cliContext();
      await ensureLocalStateTable(ctx);
      if (def.name === 'ga4') await ensureLocalGa4Credentials(ctx);
      // Slices done of planned on stderr while it runs; the table below stays alone on stdout.
      const progress = new Progress({ label: `${range ? 'backfill' : 'run'} ${def.name}` });
      const summary = await runConnector(def, runDeps(ctx, progress.log), { range }).finally(() =>
        progress.finish(),
      );
      const rows = summary.slices.map((s) => [
        s.slice,
        s.status,
        String(s.rowsRead),
        String(s.rowsLoaded),
        String(s.rowsSkipped),
        String(s.rowsQuarantined),
        String(s.rowsWritten),
        String(s.statements),
        String(s.commits),
        s.error ?? null,
      ]);
      console.log(`run ${summary.runId} (${summary.connector})`);
      console.log(
        formatRows(
          [
            'slice',
            'status',
            'read',
            'loaded',
            'skipped',
            'quarantined',
            'written',
            'statements',
            'commits',
            'error',
          ],
          rows,
          'table',
        ),
      );
      return summary.ok ? 0 : 1;
    },
  },
  csv: {
    summary:
      'check|load|upload <file> --dataset <name> | check <file> --contract <file.yml> | infer <file> [--dataset <name>] [--out f.yml] | load s3://bucket/key | replay [--dataset <name>]: files through dataset contracts',
    run: (args, values) => csvCommand(args, values),
  },
  prereq: {
    summary:
      "postgres (--url u | --secret id) [--user u] | dynamodb <table>: are the managed pipelines' sources ready?",
    async run(args, values) {
      return prereqCommand(args, values);
    },
  },
  lock: {
    summary:
      'list | release <table> [--force]: the per-table write locks (release refuses a live heartbeat unless --force)',
    async run([action, name], values) {
      const ctx = cliContext();
      await ensureLocalStateTable(ctx);
      if (action === 'list') {
        const rows = (await ctx.store.listLocks()).map((l) => [
          l.name,
          l.owner,
          l.acquiredAt,
          l.heartbeatAt,
          l.expiresAt,
          l.live ? 'live' : 'expired',
        ]);
        console.log(
          formatRows(
            ['lock', 'run', 'acquired', 'heartbeat', 'expires', 'state'],
            rows,
            outputFormat(values.format),
          ),
        );
        return 0;
      }
      if (action !== 'release' || !name)
        throw new UsageError('lock needs list, or release <table>');
      // Operators name the table; the lock is `table#<namespace>.<table>`.
      const lockName = name.startsWith('table#') ? name : `table#${name}`;
      const released = await ctx.store.releaseLock(lockName, { force: values.force === true });
      console.log(
        released
          ? `released ${lockName} (held by run ${released.owner}, heartbeat ${released.heartbeatAt})`
          : `no lock ${lockName}`,
      );
      return 0;
    },
  },
  history: {
    summary:
      '<namespace.table> [--database ns] [--format table|json|csv]: snapshots with commit time (UTC, JST), rows, the run that made each, and the restore window',
    run: ([name], values) =>
      historyCommand(name, { ...values, format: outputFormat(values.format) }),
  },
  diff: {
    summary:
      '<namespace.table> --from <snapshot-id|ISO time> [--to <snapshot-id|ISO time>]: rows inserted, updated and deleted between two states',
    run: ([name], values) => diffCommand(name, values),
  },
  restore: {
    summary:
      '<namespace.table> --to <snapshot-id|ISO time> [--apply]: make the table equal to a past state in one commit (dry run without --apply)',
    run: ([name], values) => restoreCommand(name, values),
  },
  maintain: {
    summary:
      "[<namespace.table>]: the local warehouse's S3 Tables maintenance (expire snapshots past the window, compact small files)",
    run: ([name]) => maintainCommand(name),
  },
  staging: {
    summary: 'sweep: remove staging tables and Parquet parts older than a day (crashed runs)',
    async run([action]) {
      if (action !== 'sweep') throw new UsageError('staging needs sweep');
      const swept = await cliContext().staging.sweep();
      console.log(
        `swept ${swept.tables.length} staging tables and ${swept.prefixes.length} part prefixes`,
      );
      return 0;
    },
  },
  docs: {
    summary:
      'write docs/tables.md, docs/governance.md, docs/settings.md and README’s settings table from the models and settings declarations',
    async run() {
      writeFileSync(DOCS_PATH, tableDocs(allTables()));
      console.log(`wrote ${DOCS_PATH.pathname}`);
      writeFileSync(GOVERNANCE_DOC, governanceDocs());
      console.log(`wrote ${GOVERNANCE_DOC.pathname}`);
      writeFileSync(SETTINGS_DOC, settingsDocs());
      console.log(`wrote ${SETTINGS_DOC.pathname}`);
      writeFileSync(CODES_DOC, codesDoc());
      console.log(`wrote ${CODES_DOC.pathname}`);
      writeFileSync(README, await readmeWithSettings(readFileSync(README, 'utf8')));
      console.log(`wrote the settings table of ${README.pathname}`);
      return 0;
    },
  },
  infra: {
    summary:
      'write the generated infra/*.json (tables, schedules, alarms, grants, payments stream) from the models',
    async run() {
      for (const [name, body] of Object.entries(generatedFragments())) {
        const file = new URL(name, INFRA_DIR);
        writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
        console.log(`wrote ${file.pathname}`);
      }
      return 0;
    },
  },
  report: {
    summary:
      '[--out DIR] [--from YYYY-MM-DD --to YYYY-MM-DD]: rebuild the analytics tables and write the self-contained HTML report (operations and analysis; opens offline)',
    async run(_args, values) {
      const season =
        values.from === undefined && values.to === undefined
          ? undefined
          : dayRange(values.from, values.to, { code: 'USAGE' });
      const r = await writeReport(cliContext(), { out: values.out, season });
      console.log(
        `wrote ${r.path} (${Math.round(r.bytes / 1024)} KiB, ${(r.totalMs / 1000).toFixed(1)} s)`,
      );
      return 0;
    },
  },
  freshness: {
    summary:
      '[--format table|json|csv]: per table, the newest data time, its state (fresh, late, stale, failing) and the last run',
    async run(_args, values) {
      const rows = await tableFreshness(cliContext().engine, freshnessSources(), {
        now: new Date(),
      });
      console.log(
        formatRows(
          [
            'table',
            'connector',
            'event time',
            'cadence h',
            'newest data (UTC)',
            'newest data (JST)',
            'age h',
            'state',
            'last run (JST)',
            'last run',
          ],
          rows.map((f) => [
            f.table,
            f.connector,
            f.eventTime,
            String(f.cadenceHours),
            f.newestData ? utcText(f.newestData) : null,
            f.newestData ? jstText(f.newestData) : null,
            f.ageHours === undefined ? null : f.ageHours.toFixed(1),
            f.state,
            f.lastRun ? jstText(f.lastRun.startedAt) : null,
            f.lastRun
              ? `${f.lastRun.outcome} (${f.lastRun.failedSlices}/${f.lastRun.slices} failed)`
              : null,
          ]),
          outputFormat(values.format),
        ),
      );
      return 0;
    },
  },
  demo: {
    summary: 'start the local stack, load the synthetic dataset end to end, print what landed',
    async run() {
      return demo(log);
    },
  },
};

export function readGenerated(path: URL): string {
  return readFileSync(path, 'utf8');
}
