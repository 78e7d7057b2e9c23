/** Tables of the `ops` namespace: what every run did, and every row it could not load. */
import { defineTable } from '../model/table.ts';

export const runLedger = defineTable({
  namespace: 'ops',
  name: 'run_ledger',
  doc: {
    ja: 'コネクタ実行台帳（スライスごとに1行）',
    en: 'Connector run ledger, one row per slice attempt',
  },
  columns: [
    { name: 'run_id', type: 'string', required: true, doc: { ja: '実行ID', en: 'Run id' } },
    {
      name: 'connector',
      type: 'string',
      required: true,
      doc: { ja: 'コネクタ名', en: 'Connector name' },
    },
    {
      name: 'slice',
      type: 'string',
      required: true,
      doc: { ja: 'スライス（日付・地点など）', en: 'Slice (date window, station, …)' },
    },
    {
      name: 'started_at',
      type: 'timestamptz',
      required: true,
      doc: { ja: '開始時刻', en: 'Started at' },
    },
    { name: 'finished_at', type: 'timestamptz', doc: { ja: '終了時刻', en: 'Finished at' } },
    {
      name: 'status',
      type: 'string',
      required: true,
      doc: {
        ja: '結果 succeeded/partial（一部メンバー失敗）/failed/aborted/deferred（次回実行へ持ち越し）',
        en: 'Outcome: succeeded, partial (some members failed alone), failed, aborted, or deferred to the next run',
      },
    },
    {
      name: 'rows_read',
      type: 'long',
      doc: { ja: '読み込み行数', en: 'Rows read from the source' },
    },
    {
      name: 'rows_written',
      type: 'long',
      doc: { ja: '書き込み行数', en: 'Rows inserted or changed' },
    },
    {
      name: 'rows_skipped',
      type: 'long',
      doc: {
        ja: '契約の規則で除外した行数（表題・注記・合計・空行）',
        en: 'Source records left out by a contract rule (titles, notes, totals, blank lines)',
      },
    },
    {
      name: 'rows_loaded',
      type: 'long',
      doc: {
        ja: '取り込んだ行数（読込＝取込＋隔離＋除外）',
        en: 'Source records that landed (read = loaded + quarantined + skipped)',
      },
    },
    {
      name: 'rows_quarantined',
      type: 'long',
      doc: { ja: '隔離行数', en: 'Rows sent to ops.quarantine' },
    },
    { name: 'statements', type: 'int', doc: { ja: '実行SQL文数', en: 'SQL statements run' } },
    {
      name: 'bytes_scanned',
      type: 'long',
      doc: {
        ja: 'スキャンバイト数（エンジン報告）',
        en: 'Bytes scanned as reported by the engine',
      },
    },
    { name: 'error', type: 'string', doc: { ja: 'エラー（1行）', en: 'Error, one line' } },
    {
      name: 'members_failed',
      type: 'int',
      doc: {
        ja: '単独で失敗したメンバー数（観測所・プロパティ・リソース・変数）',
        en: 'Members (stations, properties, resources, variables) that failed alone',
      },
    },
    {
      name: 'failed_members',
      type: 'string',
      doc: {
        ja: '失敗したメンバーと理由（「メンバー: 理由; …」）',
        en: 'Failed members with their reasons (`member: reason; …`)',
      },
    },
    {
      name: 'notes',
      type: 'string',
      doc: {
        ja: '注記（読み込まなかった列など）',
        en: 'Notes of the read, such as columns a contract does not know (not loaded)',
      },
    },
    {
      name: 'commits',
      type: 'int',
      doc: {
        ja: 'Iceberg コミット数（全テーブル合計、100パーティションごとに1）',
        en: 'Iceberg commits the slice made, all tables together (one per 100 partitions of a table)',
      },
    },
    {
      name: 'table_counts',
      type: 'string',
      doc: {
        ja: 'テーブルごとにコミットされた行数とコミット数（失敗前にコミットされた分も含む）',
        en: 'Rows and commits per table that committed (`ns.table: N rows in C commits; …`), including tables committed before a later one failed',
      },
    },
    {
      name: 'snapshots',
      type: 'string',
      doc: {
        ja: 'この実行が作った Iceberg スナップショット（`ns.table=ID,ID; …`）。`fuji-etl history` が実行と結び付ける',
        en: 'Iceberg snapshots the slice made (`ns.table=id,id; …`): how `fuji-etl history` names the run behind each snapshot',
      },
    },
  ],
  key: ['run_id', 'slice'],
  partitionBy: [{ column: 'started_at', transform: 'month' }],
});

export const quarantine = defineTable({
  namespace: 'ops',
  name: 'quarantine',
  doc: { ja: '取り込めなかった行と理由', en: 'Rows that could not be loaded, with the reason' },
  columns: [
    {
      name: 'record_id',
      type: 'string',
      required: true,
      doc: {
        ja: '隔離レコードID（対象テーブル・取得元・行・内容のハッシュ）',
        en: 'Quarantined record id: hash of target table, source, line and content',
      },
    },
    { name: 'run_id', type: 'string', required: true, doc: { ja: '実行ID', en: 'Run id' } },
    {
      name: 'connector',
      type: 'string',
      required: true,
      doc: { ja: 'コネクタ名', en: 'Connector' },
    },
    {
      name: 'target_table',
      type: 'string',
      required: true,
      doc: { ja: '書き込み先テーブル', en: 'Target table' },
    },
    {
      name: 'source',
      type: 'string',
      doc: { ja: '取得元（URL・S3オブジェクト）', en: 'Source URL or S3 object' },
    },
    { name: 'line_number', type: 'long', doc: { ja: '行番号', en: 'Line number in the source' } },
    { name: 'raw', type: 'string', doc: { ja: '元の行', en: 'Raw record' } },
    { name: 'reason', type: 'string', required: true, doc: { ja: '理由', en: 'Reason' } },
    { name: 'contract', type: 'string', doc: { ja: 'データ契約', en: 'Dataset contract' } },
    {
      name: 'header',
      type: 'string',
      doc: {
        ja: 'ファイルの見出し行（再処理で使用）',
        en: 'Header record of the file, used to read the raw record again on replay',
      },
    },
    {
      name: 'quarantined_at',
      type: 'timestamptz',
      required: true,
      doc: { ja: '隔離時刻', en: 'Quarantined at' },
    },
  ],
  // A rerun that rejects the same record again updates its row instead of adding another, so
  // quarantine converges like every other table; a merge reads one connector's partition only.
  key: ['connector', 'record_id'],
  partitionBy: [{ column: 'connector', transform: 'identity' }],
});

export const opsTables = [runLedger, quarantine] as const;
