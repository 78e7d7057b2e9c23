/**
 * JMA eruption warnings and forecasts (噴火警報・予報) with the volcanic alert level, one row per
 * report and volcano, every report kept. JMA's list holds only recent reports (a volcano at
 * level 1 for years is absent), so the table is the history of what JMA said, not a daily
 * state. Partitioned by the report's year: a few hundred reports a year across all volcanoes.
 */
import { col, defineTable } from '#shared/model/table.ts';

export const jmaVolcanoAlerts = defineTable({
  namespace: 'weather',
  name: 'jma_volcano_alerts',
  doc: {
    ja: '気象庁 噴火警報・予報と噴火警戒レベル（発表ごと・火山ごと、履歴を保持。富士山は314）',
    en: 'JMA eruption warnings and volcanic alert levels per report and volcano, history kept (Mt. Fuji is 314)',
  },
  columns: [
    col('report_datetime', 'timestamptz', '発表日時', 'Report issued at', true),
    col(
      'volcano_code',
      'string',
      '火山コード（気象庁、富士山=314）',
      'JMA volcano code (Mt. Fuji = 314)',
      true,
    ),
    col('volcano_name', 'string', '火山名', 'Volcano name'),
    col('event_id', 'string', '事象ID（火山コード）', 'Event id JMA gives the report'),
    col(
      'warning_code',
      'string',
      '警報・予報の種別コード（11〜15はレベル1〜5）',
      'Warning kind code (11–15 are alert levels 1–5)',
      true,
    ),
    col(
      'warning_name',
      'string',
      '種別名（例：レベル１（活火山であることに留意））',
      'Kind name as JMA writes it',
    ),
    col(
      'alert_level',
      'int',
      '噴火警戒レベル（1〜5、レベルを運用しない火山・種別はNULL）',
      'Volcanic alert level 1–5; NULL where the volcano or kind has no level',
    ),
    col('last_warning_code', 'string', '直前の種別コード', 'Previous kind code'),
    col(
      'condition',
      'string',
      '発表状況（発表・継続・引上げ・引下げ・切替・解除 など、原文のまま）',
      'Condition as JMA writes it (issued, continued, raised, lowered, switched, lifted)',
    ),
    col(
      'municipality_codes',
      'string',
      '対象市町村等コード（カンマ区切り）',
      'Codes of the municipalities concerned, comma-separated',
    ),
  ],
  key: ['report_datetime', 'volcano_code'],
  eventTime: 'report_datetime',
  partitionBy: [{ column: 'report_datetime', transform: 'year' }],
});
