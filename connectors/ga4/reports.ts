/**
 * GA4 reports are configuration, declared here once: each becomes one Iceberg table in
 * namespace `web_analytics` keyed by property + every dimension, so reruns and re-reads of a
 * day converge to GA's final numbers. `defineReport` checks names and API limits when the
 * module loads, before any call.
 */
import { ConfigError } from '#shared/errors/index.ts';
import { assertIdentifier } from '#shared/sql/identifier.ts';
import type { Doc } from '#shared/model/table.ts';
import { isDimension, METRICS } from './schema.ts';

export interface ReportDef {
  /** Table `web_analytics.ga4_<name>`. */
  readonly name: string;
  readonly doc: Doc;
  /** `date` first: every report is cut into day slices. At most 9. */
  readonly dimensions: readonly string[];
  /** At most 10. */
  readonly metrics: readonly string[];
  /** GA4 FilterExpression JSON, sent as is. */
  readonly dimensionFilter?: unknown;
  readonly metricFilter?: unknown;
  /** Property ids this report applies to; default every configured property. */
  readonly properties?: readonly string[];
}

const MAX_DIMENSIONS = 9;
const MAX_METRICS = 10;

export function defineReport(def: ReportDef): ReportDef {
  const where = `GA4 report ${JSON.stringify(def.name)}`;
  try {
    assertIdentifier(def.name, 'report name');
  } catch {
    throw new ConfigError(`${where}: name must be a lowercase identifier`);
  }
  if (def.dimensions[0] !== 'date')
    throw new ConfigError(`${where}: the first dimension must be date (reports are day-sliced)`);
  if (def.dimensions.length > MAX_DIMENSIONS)
    throw new ConfigError(
      `${where}: ${def.dimensions.length} dimensions, GA4 allows at most ${MAX_DIMENSIONS}`,
    );
  if (def.metrics.length === 0 || def.metrics.length > MAX_METRICS)
    throw new ConfigError(`${where}: ${def.metrics.length} metrics, GA4 needs 1 to ${MAX_METRICS}`);
  const unknownDims = def.dimensions.filter((d) => !isDimension(d));
  if (unknownDims.length > 0)
    throw new ConfigError(`${where}: unknown dimension ${unknownDims.join(', ')}`);
  const unknownMetrics = def.metrics.filter((x) => !Object.hasOwn(METRICS, x));
  if (unknownMetrics.length > 0)
    throw new ConfigError(`${where}: unknown metric ${unknownMetrics.join(', ')}`);
  for (const list of [def.dimensions, def.metrics]) {
    const dup = list.find((x, i) => list.indexOf(x) !== i);
    if (dup) throw new ConfigError(`${where}: ${dup} is listed twice`);
  }
  const badProperty = def.properties?.find((p) => !/^\d{1,20}$/.test(p));
  if (badProperty !== undefined)
    throw new ConfigError(`${where}: property id ${JSON.stringify(badProperty)} is not numeric`);
  return Object.freeze(def);
}

/** The platform's defaults: traffic, pages, the registration funnel, and non-additive totals. */
export const DEFAULT_REPORTS: readonly ReportDef[] = [
  defineReport({
    name: 'traffic',
    doc: {
      ja: '日別・チャネル別・デバイス別・国別のトラフィック',
      en: 'Daily traffic by channel group, device category and country',
    },
    dimensions: ['date', 'sessionDefaultChannelGroup', 'deviceCategory', 'country'],
    metrics: [
      'sessions',
      'engagedSessions',
      'screenPageViews',
      'eventCount',
      'keyEvents',
      'userEngagementDuration',
      'activeUsers',
      'newUsers',
      'totalUsers',
    ],
  }),
  defineReport({
    name: 'pages',
    doc: { ja: '日別・ページパス別の表示回数', en: 'Daily page views by page path' },
    dimensions: ['date', 'pagePath'],
    metrics: ['screenPageViews', 'sessions', 'userEngagementDuration', 'activeUsers'],
  }),
  defineReport({
    name: 'events',
    doc: {
      ja: '日別・イベント名別のイベント数（登録ファネル）',
      en: 'Daily events by event name (the registration funnel)',
    },
    dimensions: ['date', 'eventName'],
    metrics: ['eventCount', 'keyEvents', 'totalUsers', 'purchaseRevenue'],
  }),
  defineReport({
    name: 'daily_totals',
    doc: {
      ja: '日別合計（ユーザー数など合算できない指標はこの表を使う）',
      en: 'Daily totals: use this table for metrics that cannot be summed (users)',
    },
    dimensions: ['date'],
    metrics: [
      'totalUsers',
      'activeUsers',
      'newUsers',
      'sessions',
      'engagedSessions',
      'screenPageViews',
      'eventCount',
      'engagementRate',
      'averageSessionDuration',
      'purchaseRevenue',
    ],
  }),
];
