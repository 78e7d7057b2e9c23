/** The catalogue table (one row per dataset resource) and the domain tables of registered resources. */
import { LINEAGE_COLUMNS } from '#shared/csv/contract.ts';
import { col, defineTable } from '#shared/model/table.ts';

export const catalogueResources = defineTable({
  namespace: 'opendata',
  name: 'catalogue_resources',
  doc: {
    ja: 'ふじのくにオープンデータカタログのリソース一覧（1リソース1行）',
    en: 'Shizuoka open-data catalogue: one row per dataset resource',
  },
  columns: [
    col('resource_uuid', 'string', 'リソースUUID', 'Resource uuid', true),
    col('resource_id', 'long', 'リソースID', 'Resource id'),
    col('dataset_uuid', 'string', 'データセットUUID', 'Dataset uuid', true),
    col('dataset_id', 'long', 'データセットID', 'Dataset id'),
    col('dataset_title', 'string', 'データセット名', 'Dataset title'),
    col('resource_name', 'string', 'リソース名', 'Resource name'),
    col('format', 'string', '形式（CSV・XLSX・PDF…）', 'Format (CSV, XLSX, PDF…)'),
    col('licence_uid', 'string', 'ライセンス識別子（cc-by など）', 'Licence id (cc-by, …)'),
    col('licence_name', 'string', 'ライセンス名', 'Licence name'),
    col(
      'licence_id',
      'long',
      'ライセンス番号（URL登録のリソースはこれのみ）',
      'Licence number (all a resource registered by URL gives)',
    ),
    col('updated', 'timestamptz', 'カタログ上の更新日時', 'Updated, as the catalogue says'),
    col('download_url', 'string', 'ダウンロードURL', 'Download URL'),
    col(
      'content_hash',
      'string',
      '内容のSHA-256（ハッシュ対象の形式のみ）',
      'SHA-256 of the content (hashed formats only)',
    ),
    col('content_bytes', 'long', 'サイズ（バイト）', 'Size in bytes (hashed formats only)'),
    col('last_seen', 'timestamptz', '最終確認日時', 'Last seen in the catalogue', true),
  ],
  key: ['resource_uuid'],
  // When the catalogue last listed the resource: `updated` is the publisher's, and changes rarely.
  eventTime: 'last_seen',
  sortBy: [{ column: 'dataset_uuid' }],
});

export const tourismVisitors = defineTable({
  namespace: 'tourism',
  name: 'visitors_by_municipality',
  doc: {
    ja: '市町別観光交流客数（年度、ふじのくにオープンデータカタログ）',
    en: 'Visitors per municipality and fiscal year (Shizuoka open data)',
  },
  columns: [
    col('municipality', 'string', '市町名', 'Municipality', true),
    col(
      'fiscal_year',
      'int',
      '年度（開始年、令和6年度=2024）',
      'Fiscal year, as the year it starts (令和6年度 = 2024)',
      true,
    ),
    col('visitors', 'long', '観光交流客数（人）', 'Visitors'),
    col('overnight_visitors', 'long', 'うち宿泊客数（人）', 'Of which stayed overnight'),
    ...LINEAGE_COLUMNS,
  ],
  key: ['municipality', 'fiscal_year'],
  eventTime: { none: 'one row per fiscal year, published once a year: no day to be late by' },
  sortBy: [{ column: 'fiscal_year' }],
});
