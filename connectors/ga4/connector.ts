/**
 * `ga4`: the declared GA4 reports for every configured property, one slice per day in the
 * properties' time zone. Each run re-reads a trailing window (GA's numbers settle over 24–48 h)
 * plus every day after the cursor up to yesterday. A report's answer is the whole truth of its
 * property and day, so each report table is written with `replace` scoped to the properties that
 * answered on that day: re-reads converge to GA's final numbers, a dimension row GA no longer
 * reports leaves the table, and a property that failed keeps its rows. A spent quota defers the rest of the run with the
 * cursor at the last complete day; a backfill range resumes the same way.
 */
import { ConfigError } from '#shared/errors/index.ts';
import { perRun } from '#shared/http/requester.ts';
import { eachMember } from '#shared/runtime/members.ts';
import {
  defineConnector,
  type ConnectorDefinition,
  type FetchContext,
} from '#shared/runtime/connector.ts';
import type { Window } from '#shared/runtime/incremental.ts';
import { ga4Requester, readDay } from './api.ts';
import { settings, type Ga4Config } from './settings.ts';
import { DEFAULT_REPORTS, type ReportDef } from './reports.ts';
import { NAMESPACE, reportTable, sliceMetadata } from './tables.ts';

/** The connector over a set of reports; tests give it their own namespace. */
export function ga4Connector(
  reports: readonly ReportDef[] = DEFAULT_REPORTS,
  namespace = NAMESPACE,
): ConnectorDefinition<Window, Ga4Config> {
  const tables = new Map(reports.map((r) => [r.name, reportTable(r, namespace)]));
  const metadata = sliceMetadata(namespace);
  // What one run learns as it goes lives in its requester: quotas seen by earlier slices slow or
  // stop the later ones, and a property that refused access is not asked again (its days owed).
  const api = perRun((ctx: FetchContext<Ga4Config>) =>
    ga4Requester(ctx.settings, {
      signal: ctx.signal,
      deadline: ctx.deadline,
      secrets: ctx.secrets,
      timeoutMs: ctx.settings.httpTimeoutMs,
    }),
  );
  return defineConnector({
    name: 'ga4',
    // EventBridge Scheduler, Asia/Tokyo (infra/schedules.json is generated from it).
    schedule: {
      cron: 'cron(0 9 * * ? *)',
      why: 'GA4 daily data settles within a day; the connector reloads the settling window',
    },
    cadence: {
      hours: 36,
      why: 'daily, up to yesterday, loaded at 09:00 JST: yesterday ends 9 h before the load and 33 h before the next',
    },
    tables: [
      ...[...tables.values()].map((model) => ({ model, disposition: 'replace' as const })),
      { model: metadata, disposition: 'merge' },
    ],
    settings,
    // Days in the properties' zone up to yesterday; GA's numbers settle over 24–48 h, so the
    // last days are re-read every run until they are final.
    incremental: {
      step: { days: 1 },
      timeZone: (s) => s.timeZone,
      firstRun: (s) => s.firstRunDays,
      settledAfter: (s) => Math.max(0, s.trailingDays - 1),
      until: 'complete',
      backfill: true,
    },
    async fetch(slice, ctx) {
      const cfg = ctx.settings;
      const read = { cfg, api: api(ctx), now: () => ctx.now };
      // One property that refuses access (or reports in another zone) stops only itself.
      const byProperty = await eachMember(
        ctx,
        cfg.properties,
        (property) => `property:${property}`,
        async (property) => {
          const days = [];
          for (const report of reports) {
            if (report.properties && !report.properties.includes(property)) continue;
            const table = tables.get(report.name)!;
            const day = await readDay(read, report, property, slice.day, table);
            const tz = day.meta.time_zone;
            if (tz !== null && tz !== cfg.timeZone)
              throw new ConfigError(
                `GA4 property ${property} reports in ${String(tz)}, but FUJI_ETL_GA4_TIME_ZONE is ${cfg.timeZone}: days would be cut wrongly`,
                { property },
              );
            days.push({ table: table.name, day, property });
          }
          return days;
        },
      );
      const rows: Record<string, Record<string, unknown>[]> = { [metadata.name]: [] };
      for (const t of tables.values()) rows[t.name] = [];
      let rowsRead = 0;
      const rejected = [];
      const answered = new Map([...tables.values()].map((t) => [t.name, [] as string[]]));
      for (const { table, day, property } of byProperty.values.flatMap((v) => v.value)) {
        answered.get(table)!.push(property);
        rows[table]!.push(...day.rows);
        rows[metadata.name]!.push(day.meta);
        rejected.push(...day.rejected);
        rowsRead += day.rows.length + day.rejected.length;
      }
      return {
        rows,
        rowsRead,
        rejected,
        failures: byProperty.failures,
        members: byProperty.members,
        scopes: Object.fromEntries(
          [...answered].map(([table, properties]) => [
            table,
            { property_id: { in: properties }, date: { in: [slice.day] } },
          ]),
        ),
        source: `${cfg.baseUrl}/v1beta/properties/{${cfg.properties.join(',')}}:runReport?date=${slice.day}`,
      };
    },
  });
}

export const ga4 = ga4Connector();
