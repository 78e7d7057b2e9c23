/**
 * Tables of the GA4 connector: one per report (property + every dimension as the key, metrics
 * typed from the API's metric types) and one row of response metadata per report, property and
 * day, so sampling and thresholding are never hidden.
 */
import { col, defineTable, type ColumnDef, type TableModel } from '#shared/model/table.ts';
import type { IcebergType } from '#shared/sql/types.ts';
import type { ReportDef } from './reports.ts';
import { columnName, DIMENSIONS, METRICS, type MetricInfo } from './schema.ts';

export const NAMESPACE = 'web_analytics';

/** Currency values keep 6 decimal places (GA's averages can carry more; they are rounded). */
export const CURRENCY_TYPE = 'decimal(20,6)';

const COLUMN_TYPE: Record<MetricInfo['type'], IcebergType> = {
  TYPE_INTEGER: 'long',
  TYPE_FLOAT: 'double',
  TYPE_SECONDS: 'double',
  TYPE_MILLISECONDS: 'double',
  TYPE_CURRENCY: CURRENCY_TYPE,
};

const UNIT: Record<MetricInfo['type'], string> = {
  TYPE_INTEGER: '',
  TYPE_FLOAT: '',
  TYPE_SECONDS: ' (seconds)',
  TYPE_MILLISECONDS: ' (milliseconds)',
  TYPE_CURRENCY: ' (property currency)',
};

const ADDITIVITY_NOTE = {
  additive: { ja: '', en: '' },
  users: {
    ja: '（ユーザー数: 日・行をまたいで合算不可）',
    en: '; distinct users: do not sum across days or rows',
  },
  ratio: { ja: '（率・平均: 合算不可）', en: '; a rate or average: do not sum' },
};

function metricColumn(name: string): ColumnDef {
  const info = METRICS[name]!;
  const note = ADDITIVITY_NOTE[info.additivity];
  return col(
    columnName(name),
    COLUMN_TYPE[info.type],
    `${info.ja}${note.ja}`,
    `GA4 metric ${name}${UNIT[info.type]}${note.en}`,
  );
}

function dimensionColumn(name: string): ColumnDef {
  if (name === 'date')
    return col('date', 'date', DIMENSIONS.date!, 'GA4 date, in the property’s time zone', true);
  return col(
    columnName(name),
    'string',
    DIMENSIONS[name] ?? `カスタムディメンション ${name}`,
    `GA4 dimension ${name} ("" when GA sends none)`,
    true,
  );
}

function nonAdditiveNote(report: ReportDef, metrics: readonly string[]) {
  const cols = metrics.map(columnName).join(', ');
  return report.dimensions.length === 1
    ? {
        ja: `合算不可の指標: ${cols}（日をまたいで合計しない。期間の値は期間で取得したレポートで）`,
        en: `Non-additive metrics: ${cols}; do not sum across days (a period's value needs a report over that period)`,
      }
    : {
        ja: `合算不可の指標: ${cols}（日別合計は ga4_daily_totals を使う）`,
        en: `Non-additive metrics: ${cols}; for totals use ga4_daily_totals, never a SUM over rows`,
      };
}

export function reportTable(report: ReportDef, namespace = NAMESPACE): TableModel {
  const nonAdditive = report.metrics.filter((x) => METRICS[x]!.additivity !== 'additive');
  return defineTable({
    namespace,
    name: `ga4_${report.name}`,
    doc: report.doc,
    columns: [
      col('property_id', 'string', 'GA4 プロパティID', 'GA4 property id', true),
      ...report.dimensions.map(dimensionColumn),
      // No fetch time here: it would change every row on every re-read. It is kept per slice
      // in ga4_slice_metadata, so a rerun of settled days writes nothing.
      ...report.metrics.map(metricColumn),
    ],
    key: ['property_id', ...report.dimensions.map(columnName)],
    eventTime: 'date',
    partitionBy: [{ column: 'date', transform: 'month' }],
    sortBy: [{ column: 'date' }],
    ...(nonAdditive.length > 0 && { notes: [nonAdditiveNote(report, nonAdditive)] }),
  });
}

export const sliceMetadata = (namespace = NAMESPACE): TableModel =>
  defineTable({
    namespace,
    name: 'ga4_slice_metadata',
    doc: {
      ja: 'GA4 レポート応答のメタデータ（レポート・プロパティ・日ごと）',
      en: 'GA4 response metadata per report, property and day: sampling, thresholding, quota',
    },
    columns: [
      col('report', 'string', 'レポート名', 'Report name', true),
      col('property_id', 'string', 'GA4 プロパティID', 'GA4 property id', true),
      col(
        'date',
        'date',
        '日付（プロパティのタイムゾーン）',
        'Day, in the property’s time zone',
        true,
      ),
      col('row_count', 'long', '行数（rowCount）', 'rowCount reported by GA'),
      col('pages', 'int', '取得ページ数', 'Pages read'),
      col('reads', 'int', '読み込み回数（再読込を含む）', 'Reads of the slice, including re-reads'),
      col('sampled', 'boolean', 'サンプリングされたか', 'Whether GA sampled the data'),
      col('samples_read_count', 'long', 'サンプル数', 'samplesReadCount (sum over date ranges)'),
      col('sampling_space_size', 'long', 'サンプリング母数', 'samplingSpaceSize (sum)'),
      col(
        'subject_to_thresholding',
        'boolean',
        'しきい値の適用対象か',
        'subjectToThresholding: rows may be withheld',
      ),
      col(
        'data_loss_from_other_row',
        'boolean',
        '(other) 行への集約があったか',
        'dataLossFromOtherRow: some values were bucketed into (other)',
      ),
      col('currency_code', 'string', '通貨', 'Property currency'),
      col('time_zone', 'string', 'タイムゾーン', 'Property time zone'),
      col('empty_reason', 'string', '空の理由', 'emptyReason when no rows'),
      col('tokens_per_day_remaining', 'long', '1日のトークン残量', 'Quota tokensPerDay remaining'),
      col(
        'tokens_per_hour_remaining',
        'long',
        '1時間のトークン残量',
        'Quota tokensPerHour remaining',
      ),
      col('tokens_consumed', 'long', '消費トークン', 'Tokens consumed by this slice'),
      col('fetched_at', 'timestamptz', '取得時刻', 'Fetched at', true),
    ],
    key: ['report', 'property_id', 'date'],
    eventTime: 'date',
    partitionBy: [{ column: 'date', transform: 'month' }],
  });
