/**
 * The data domains: who owns each namespace, what it holds, whether it holds personal data, how
 * long it is kept, and which table bucket keeps it apart from the others. The template's table
 * buckets, Lake Formation grants and reader roles, and docs/governance.md are generated from this
 * table (cli/infra/), so an owner or a personal column is written down once.
 *
 * A domain is one namespace: the namespace is the unit Lake Formation grants on and the unit a
 * producer writes, so a finer domain could not be enforced and a coarser one would be only a name.
 */
import type { Doc } from './table.ts';

/**
 * The table buckets. A bucket is the hard boundary (its own catalog under s3tablescatalog, its
 * own storage, its own IAM resource ARN); namespaces inside one bucket are kept apart by grants.
 *
 * - `lake`: what the suite's own connectors fetch from outside (external sources: weather, web
 *   analytics, open data, tourism statistics), the derived analytics, and the run ledger and
 *   quarantine every function writes (`ops`; its one personal column is column-granted).
 * - `uploads`: the user data that arrives as uploaded files (climbing counts, entry
 *   registrations, parking and shuttle use), kept apart from what the suite fetched itself. The
 *   writer names these tables with their catalog (shared/sql/table-names.ts), so one function
 *   writes them and `ops` in one run.
 * - `payments`: the payment database's replica (Firehose), personal data of payers.
 * - `app`: the FUJI NAVI user attributes (DynamoDB zero-ETL), personal data of app users.
 */
export type TableBucketId = 'lake' | 'uploads' | 'payments' | 'app';

export interface TableBucketDef {
  readonly id: TableBucketId;
  /** CloudFormation logical id (`TableBucket` stays: other fragments and outputs refer to it). */
  readonly logicalId: string;
  /** The serverless variable naming it (serverless.yml `custom`). */
  readonly nameVar: string;
  readonly doc: Doc;
}

export const TABLE_BUCKETS: Readonly<Record<TableBucketId, TableBucketDef>> = {
  lake: {
    id: 'lake',
    logicalId: 'TableBucket',
    nameVar: '${self:custom.tableBucket}',
    doc: {
      ja: '外部データ・派生集計・運用台帳（Lambda コネクタが取得して書く）',
      en: 'External sources, derived analytics and the run ledger (fetched and written by the Lambda connectors)',
    },
  },
  uploads: {
    id: 'uploads',
    logicalId: 'UploadsTableBucket',
    nameVar: '${self:custom.uploadsTableBucket}',
    doc: {
      ja: 'アップロードされた利用者データ（登山者数・入山登録・駐車場とシャトル）',
      en: 'Uploaded user data (climber counts, entry registrations, parking and shuttle use)',
    },
  },
  payments: {
    id: 'payments',
    logicalId: 'PaymentsTableBucket',
    nameVar: '${self:custom.paymentsTableBucket}',
    doc: {
      ja: '決済DBの複製（Firehose）',
      en: 'The payment database replica (Firehose)',
    },
  },
  app: {
    id: 'app',
    logicalId: 'AppTableBucket',
    nameVar: '${self:custom.appTableBucket}',
    doc: {
      ja: 'FUJI NAVI 利用者属性（DynamoDB zero-ETL）',
      en: 'FUJI NAVI user attributes (DynamoDB zero-ETL)',
    },
  },
};

/**
 * Personal data in a domain: none, every table (a namespace whose tables another service
 * creates, so their columns cannot be named here), or named columns per table.
 */
export type Personal =
  | { readonly kind: 'none' }
  | { readonly kind: 'whole'; readonly why: string }
  | { readonly kind: 'columns'; readonly columns: Readonly<Record<string, readonly string[]>> };

/** Who reads a domain: its own reader role, or the data team's read-all-non-personal role. */
export type ReaderKind = 'domain' | 'data-team';

export interface Domain {
  readonly namespace: string;
  readonly bucket: TableBucketId;
  /** The organisation accountable for the data (decides who may read it). */
  readonly owner: string;
  /** Who answers questions about it day to day (definitions, fixes, access requests). */
  readonly steward: string;
  readonly holds: Doc;
  readonly personal: Personal;
  /** Readers that may see the personal columns; every reader sees the rest. */
  readonly personalReaders: readonly ReaderKind[];
  /** How long the data is kept, and why. */
  readonly retention: Doc;
}

const PLATFORM = 'データ基盤チーム / Data platform team';
const NONE: Personal = { kind: 'none' };
const OWN_READER: readonly ReaderKind[] = ['domain'];
const UNTIL_DELETED: Doc = {
  ja: '無期限（統計の時系列として保持。削除はデータ所有者の判断）',
  en: 'Kept indefinitely as a statistical series; deleted only on the owner’s decision',
};

export const DOMAINS: readonly Domain[] = [
  {
    namespace: 'ops',
    bucket: 'lake',
    owner: PLATFORM,
    steward: 'データ基盤当番 / Platform on-call',
    holds: {
      ja: '実行台帳と隔離行（取り込めなかった行の原文）',
      en: 'Run ledger and quarantine (raw lines that could not be loaded)',
    },
    // A quarantined line is the source record as it came: an uploaded file's line can hold a
    // name or a phone number the contract would have dropped.
    personal: { kind: 'columns', columns: { quarantine: ['raw'] } },
    personalReaders: OWN_READER,
    retention: {
      ja: '台帳は無期限。隔離行は再処理後に削除（replay が消す）',
      en: 'Ledger indefinitely; quarantined rows until replayed (replay deletes them)',
    },
  },
  {
    namespace: 'sandbox',
    bucket: 'lake',
    owner: PLATFORM,
    steward: 'データ基盤当番 / Platform on-call',
    holds: { ja: '合成データ（デモ・検証用）', en: 'Synthetic data for the demo and checks' },
    personal: NONE,
    personalReaders: OWN_READER,
    retention: { ja: '随時作り直し', en: 'Rebuilt at will' },
  },
  {
    namespace: 'weather',
    bucket: 'lake',
    owner: PLATFORM,
    steward: 'データ基盤当番 / Platform on-call',
    holds: {
      ja: '気象庁・Open-Meteo の予報と観測',
      en: 'JMA and Open-Meteo forecasts and observations',
    },
    personal: NONE,
    personalReaders: OWN_READER,
    retention: UNTIL_DELETED,
  },
  {
    namespace: 'web_analytics',
    bucket: 'lake',
    owner: '観光・広報担当 / Tourism and PR (GA4 property owner)',
    steward: 'GA4 管理者 / GA4 administrator',
    holds: {
      ja: 'GA4 の集計レポート（日別・チャネル・ページ・イベント）',
      en: 'GA4 aggregate reports (per day, channel, page, event)',
    },
    personal: NONE,
    personalReaders: OWN_READER,
    retention: {
      ja: '無期限（GA4 側は保持期間で消えるため、ここが唯一の履歴）',
      en: 'Indefinitely: GA4 itself drops old data, this is the only history',
    },
  },
  {
    namespace: 'opendata',
    bucket: 'lake',
    owner: '県デジタル戦略 / Prefecture digital strategy (open-data catalogue)',
    steward: 'オープンデータ担当 / Open-data officer',
    holds: {
      ja: '県オープンデータカタログのリソース一覧',
      en: 'Resources of the prefecture’s open-data catalogue',
    },
    personal: NONE,
    personalReaders: OWN_READER,
    retention: UNTIL_DELETED,
  },
  {
    namespace: 'tourism',
    bucket: 'lake',
    owner: '観光政策 / Tourism policy division',
    steward: '観光統計担当 / Tourism statistics officer',
    holds: {
      ja: '市町村別観光交流客数（オープンデータ）',
      en: 'Visitors per municipality (open data)',
    },
    personal: NONE,
    personalReaders: OWN_READER,
    retention: UNTIL_DELETED,
  },
  {
    namespace: 'climbing',
    bucket: 'uploads',
    owner: '富士山世界遺産課 / Mt. Fuji World Heritage division',
    steward: '登山者数調査担当 / Climber-count officer',
    holds: {
      ja: '登山道別・日別の登山者数（アップロードされた集計ファイル）',
      en: 'Climbers per route and day (uploaded count files)',
    },
    personal: NONE,
    personalReaders: OWN_READER,
    retention: UNTIL_DELETED,
  },
  {
    namespace: 'entry',
    bucket: 'uploads',
    owner: '富士山世界遺産課 / Mt. Fuji World Heritage division (entry management)',
    steward: '入山管理担当 / Entry-management officer',
    holds: {
      ja: '入山事前登録の日別集計（個人単位の行はない）',
      en: 'Daily entry-registration summaries (no row per person)',
    },
    personal: NONE,
    personalReaders: OWN_READER,
    retention: UNTIL_DELETED,
  },
  {
    namespace: 'mobility',
    bucket: 'uploads',
    owner: '交通政策 / Transport policy division',
    steward: '駐車場・シャトル運行担当 / Parking and shuttle operations',
    holds: {
      ja: '駐車場・シャトルバスの日別利用数',
      en: 'Daily parking and shuttle-bus use',
    },
    personal: NONE,
    personalReaders: OWN_READER,
    retention: UNTIL_DELETED,
  },
  {
    namespace: 'payments',
    bucket: 'payments',
    owner: '入山料決済チーム / Entry-fee payment team',
    steward: '決済DB管理者 / Payment database administrator',
    holds: {
      ja: '入山料の決済と返金（決済DBの複製）',
      en: 'Entry-fee payments and refunds (replica of the payment database)',
    },
    personal: {
      kind: 'columns',
      columns: {
        payments: ['payer_name', 'payer_email', 'card_last4'],
        refunds: ['reason'],
      },
    },
    personalReaders: OWN_READER,
    retention: {
      ja: '7年（会計記録。決済DBの保持期間に合わせる）',
      en: 'Seven years (accounting records; follows the payment database)',
    },
  },
  {
    namespace: 'app',
    bucket: 'app',
    owner: 'FUJI NAVI アプリチーム / FUJI NAVI app team',
    steward: 'アプリ運用担当 / App operations',
    holds: {
      ja: 'FUJI NAVI 利用者属性（DynamoDB の複製）',
      en: 'FUJI NAVI user attributes (replica of the DynamoDB table)',
    },
    personal: {
      kind: 'whole',
      why: 'zero-ETL creates the tables from the DynamoDB items: every attribute is a user’s',
    },
    personalReaders: OWN_READER,
    retention: {
      ja: 'アプリの退会・削除に従う（元テーブルから消えた項目は複製からも消える）',
      en: 'Follows the app: an item deleted at the source is deleted from the replica',
    },
  },
  {
    namespace: 'analytics',
    bucket: 'lake',
    owner: PLATFORM,
    steward: 'データ分析チーム / Data team',
    holds: {
      ja: '他ドメインから作る集計（派生データ）',
      en: 'Aggregates derived from the other domains',
    },
    personal: NONE,
    personalReaders: OWN_READER,
    retention: { ja: '元データから再作成できる', en: 'Rebuilt from the other domains' },
  },
];

/** The domain of a namespace; a namespace without an owner is a model error, not a default. */
export function domainOf(namespace: string): Domain {
  const d = DOMAINS.find((x) => x.namespace === namespace);
  if (!d) {
    throw new Error(
      `namespace ${namespace} has no domain row (owner, personal data, retention) in shared/model/domains.ts`,
    );
  }
  return d;
}

/** The personal columns of one table of a domain (every column when the domain is whole). */
export function personalColumns(namespace: string, table: string): readonly string[] | 'all' {
  const p = domainOf(namespace).personal;
  if (p.kind === 'none') return [];
  if (p.kind === 'whole') return 'all';
  return p.columns[table] ?? [];
}

/** The table buckets whose tables the suite's functions read and write through Athena. */
export type WrittenBucketId = Extract<TableBucketId, 'lake' | 'uploads'>;

/**
 * Athena's catalog for each namespace outside the lake's, given the deployment's catalog
 * names: what the engine needs to name those tables (`AthenaEngine`'s `namespaces`).
 */
export function namespaceCatalogs(
  catalogs: Readonly<Record<WrittenBucketId, string>>,
): Record<string, string> {
  const byBucket: Partial<Record<TableBucketId, string>> = catalogs;
  const out: Record<string, string> = {};
  for (const d of DOMAINS) {
    const catalog = byBucket[d.bucket];
    if (catalog !== undefined && d.bucket !== 'lake') out[d.namespace] = catalog;
  }
  return out;
}
