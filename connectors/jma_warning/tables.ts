/**
 * JMA weather warnings and advisories per area, every report kept: a row is one kind's status
 * in one area as one report gives it, so a rerun of the same report merges onto its rows and a
 * new report adds rows. Partitioned by the report's month: a calm month adds a few reports a
 * day, a stormy one a few dozen, far from a file's worth per day.
 *
 * Since the 2026 reform an office's answer is a list of reports, one per phenomenon
 * (`dataTypeCode` VPWW55 大雨, 56 土砂災害, …), and two of them can share a report time: the
 * data type is part of the key. The table is new in this release (no deployment holds it yet),
 * so its key changed before its first load rather than by evolution; the new columns come
 * last, so the fields it had keep their ids.
 */
import { col, defineTable } from '#shared/model/table.ts';

export const jmaWarnings = defineTable({
  namespace: 'weather',
  name: 'jma_warnings',
  doc: {
    ja: '気象庁 気象警報・注意報（発表ごと・区域ごと・種別ごとの状態、履歴を保持）',
    en: 'JMA weather warnings and advisories: each kind’s status per area and report, history kept',
  },
  columns: [
    col('report_datetime', 'timestamptz', '発表日時', 'Report issued at', true),
    col(
      'area_code',
      'string',
      '区域コード（市町村等7桁、一次細分区域6桁）',
      'Area code (7 digits: municipality, class20; 6 digits: class10 area)',
      true,
    ),
    col(
      'warning_code',
      'string',
      '警報・注意報の種別コード（00は発表なし）',
      'Warning or advisory kind code (00 = nothing in force)',
      true,
    ),
    col('office_code', 'string', '府県予報区コード', 'Forecast office code', true),
    col('publishing_office', 'string', '発表官署', 'Publishing office'),
    col(
      'area_class',
      'string',
      '区域の種類（class20=市町村等、class10=一次細分区域）',
      'Area class: class20 (municipality) or class10 (primary subdivision)',
      true,
    ),
    col('warning_name_ja', 'string', '種別名', 'Kind name (Japanese)'),
    col('warning_name_en', 'string', '種別名（英語）', 'Kind name (English)'),
    col(
      'warning_level',
      'string',
      '段階（emergency=特別警報、warning=警報、advisory=注意報、NULL=発表なし・未知コード）',
      'Tier: emergency, warning, advisory; NULL for none or an unknown code',
    ),
    col(
      'status',
      'string',
      '状態（発表・継続・解除・警報から注意報・発表警報・注意報はなし など、原文のまま）',
      'Status as JMA writes it (発表 issued, 継続 continued, 解除 lifted, …)',
      true,
    ),
    col('headline_text', 'string', '見出し（発表全体）', 'Headline of the whole report'),
    col(
      'data_type_code',
      'string',
      '電文の種別（VPWW55=大雨、56=土砂災害、58=風、59=波浪、61=濃霧 など。旧形式 warning/{office}.json の発表は legacy）',
      'Report data type (VPWW55 heavy rain, 56 landslide, 58 wind, 59 waves, 61 fog, …); legacy for the pre-2026 warning/{office}.json document',
      true,
    ),
    col(
      'control_datetime',
      'timestamptz',
      '電文の作成日時（r8のみ、旧形式はNULL）',
      'When JMA produced the report (r8 only; NULL for legacy rows)',
    ),
    col(
      'info_type',
      'string',
      '情報の種類（原文のまま、例: 発表。旧形式はNULL）',
      'Information type as JMA writes it (e.g. 発表 issued); NULL for legacy rows',
    ),
  ],
  key: ['report_datetime', 'data_type_code', 'area_code', 'warning_code'],
  eventTime: 'report_datetime',
  partitionBy: [{ column: 'report_datetime', transform: 'month' }],
});
