/** Every connector of the suite, by name: the CLI, the demo and the Lambda handlers read this. */
import type { ConnectorDefinition, Slice } from '#shared/runtime/connector.ts';
import { defineTable, type TableModel } from '#shared/model/table.ts';
import { contracts } from './contracts.ts';
import { opsTables } from '#shared/ops/tables.ts';
import { ga4 } from './ga4/connector.ts';
import { jmaAmedas } from './jma_amedas/connector.ts';
import { jmaForecast } from './jma_forecast/connector.ts';
import { jmaVolcano } from './jma_volcano/connector.ts';
import { jmaWarning } from './jma_warning/connector.ts';
import { openMeteo } from './open_meteo/connector.ts';
import { synthetic } from './synthetic/connector.ts';
import { shizuokaOpendata } from './shizuoka_opendata/connector.ts';
import { CSV_UPLOAD_CADENCE } from './csv_upload/connector.ts';
import { uploadContracts } from './csv_upload/contracts.ts';
import type { FreshnessSource } from '#shared/ops/freshness.ts';
import { analyticsTables } from '#shared/analytics/tables.ts';
import type { AnalyticsSources } from '#shared/analytics/rebuild.ts';
import { climberCounts, entryRegistrations } from './csv_upload/tables.ts';
import { amedasObservation } from './jma_amedas/tables.ts';
import { forecastArea, forecastTemp, weeklyTemp } from './jma_forecast/tables.ts';
import { openMeteoHourly } from './open_meteo/tables.ts';

type AnyConnector = ConnectorDefinition<Slice & Record<string, unknown>>;

export const connectors: Readonly<Record<string, AnyConnector>> = {
  synthetic: synthetic as unknown as AnyConnector,
  jma_forecast: jmaForecast as unknown as AnyConnector,
  jma_amedas: jmaAmedas as unknown as AnyConnector,
  jma_warning: jmaWarning as unknown as AnyConnector,
  jma_volcano: jmaVolcano as unknown as AnyConnector,
  open_meteo: openMeteo as unknown as AnyConnector,
  ga4: ga4 as unknown as AnyConnector,
  shizuoka_opendata: shizuokaOpendata as unknown as AnyConnector,
};

/** Every declared table, ops tables first, each once. */
export function allTables(): TableModel[] {
  const models = [
    ...opsTables,
    ...Object.values(connectors).flatMap((c) => c.tables.map((t) => t.model)),
    ...[...contracts.values()].map((c) => c.table),
    ...analyticsTables,
  ];
  return [...new Set(models)];
}

/**
 * A declared table by `namespace.table` (operators' commands and the restore function); with
 * `database`, the same model in that namespace (a sandbox or test copy of a declared table).
 */
export function declaredTable(name: string, database?: string): TableModel | undefined {
  const model = allTables().find((m) => `${m.namespace}.${m.name}` === name);
  return model && database !== undefined ? defineTable({ ...model, namespace: database }) : model;
}

/**
 * Every source whose tables freshness watches: the connectors, and the upload contracts' tables
 * (each uploaded file is a run of connector `csv_upload`).
 */
export function freshnessSources(): FreshnessSource[] {
  const uploads = [...new Set([...uploadContracts.values()].map((c) => c.table))];
  return [
    ...Object.values(connectors),
    {
      name: 'csv_upload',
      cadence: CSV_UPLOAD_CADENCE,
      tables: uploads.map((model) => ({ model })),
    },
  ];
}

/** The declared tables the analytics tables are derived from (shared/analytics/rebuild.ts). */
export function analyticsSources(): AnalyticsSources {
  const ga4Table = (name: string) => {
    const t = ga4.tables.find((x) => x.model.name === name);
    if (!t) throw new Error(`ga4 declares no table ${name}`);
    return t.model;
  };
  return {
    climbers: climberCounts,
    registrations: entryRegistrations,
    webTotals: ga4Table('ga4_daily_totals'),
    observations: amedasObservation,
    openMeteo: openMeteoHourly,
    jmaArea: forecastArea,
    jmaTemp: forecastTemp,
    jmaWeeklyTemp: weeklyTemp,
  };
}
