/**
 * When each connector runs, as the connectors declare it (`schedule` in each definition):
 * infra/schedules.json and the freshness alarms are generated from this (`fuji-etl infra`); a
 * connector without a schedule fails the generated-files test.
 */
import type { Schedule } from '#shared/runtime/connector.ts';
import { connectors } from '#connectors/index.ts';

export type ConnectorSchedule = Extract<Schedule, { cron: string }>;

export const schedules: Readonly<Record<string, Schedule>> = Object.fromEntries(
  Object.values(connectors).flatMap((c) => (c.schedule ? [[c.name, c.schedule] as const] : [])),
);
