/**
 * When each connector runs (EventBridge Scheduler, Asia/Tokyo) and how stale its tables may get
 * before the freshness alarm fires. infra/schedules.json and the freshness alarms are generated
 * from this (`fuji-etl infra`); a connector missing here fails the generated-files test.
 */
export interface ConnectorSchedule {
  /** Scheduler cron, evaluated in Asia/Tokyo. */
  readonly cron: string;
  /**
   * Whole days (1–7) a table may go without a landing. The alarms no longer read it: they read
   * the data's own age against the connector's cadence (shared/ops/freshness.ts).
   */
  readonly freshnessDays: number;
  readonly why: string;
}

export const schedules: Readonly<
  Record<string, ConnectorSchedule | { readonly unscheduled: string }>
> = {
  jma_forecast: {
    cron: 'cron(20 5,11,17 * * ? *)',
    freshnessDays: 1,
    why: 'JMA publishes forecasts at 05, 11 and 17 JST; 20 minutes later they are on the server',
  },
  jma_amedas: {
    cron: 'cron(15 * * * ? *)',
    freshnessDays: 1,
    why: 'AMeDAS observations every 10 minutes; hourly loads keep the table within the hour',
  },
  jma_warning: {
    cron: 'cron(5/15 * * * ? *)',
    freshnessDays: 2,
    why: 'JMA issues warnings whenever they change, at any hour; every 15 minutes a new report lands within about a quarter hour (safety data for climbers)',
  },
  jma_volcano: {
    cron: 'cron(25 * * * ? *)',
    freshnessDays: 7,
    why: 'eruption warnings come at any hour but rarely; hourly is far under the 8-day cadence and cheap (one small file)',
  },
  open_meteo: {
    cron: 'cron(30 6 * * ? *)',
    freshnessDays: 1,
    why: 'the daily forecast refresh; the archive of yesterday is complete by then',
  },
  ga4: {
    cron: 'cron(0 9 * * ? *)',
    freshnessDays: 2,
    why: 'GA4 daily data settles within a day; the connector reloads the settling window',
  },
  shizuoka_opendata: {
    cron: 'cron(0 7 * * ? *)',
    freshnessDays: 2,
    why: 'the catalogue is checked daily; only changed resources are downloaded',
  },
  synthetic: { unscheduled: 'a demonstration source for the local stack and tests' },
};
