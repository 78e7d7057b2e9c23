/**
 * Tables the managed pipelines write, declared like every other model so the template creates
 * them before the pipeline starts: Firehose's database source merges by `UniqueKeys` only into
 * tables that exist (table creation is off, so a missing table sends its rows to the error
 * prefix). The schemas follow the payment database's tables column for column (Firehose maps a
 * PostgreSQL column to the Iceberg column of the same name); a column the payment team adds later
 * evolves on its own (SchemaEvolution on), a changed type does not.
 *
 * Not in `allTables()`: no connector writes them and the local stack has no Firehose, so they
 * live in the template, the access matrix and docs/governance.md only.
 */
import { col, defineTable, type TableModel } from './table.ts';

export const payments = defineTable({
  namespace: 'payments',
  name: 'payments',
  doc: {
    ja: '入山料の決済（決済DB public.payments の複製）',
    en: 'Entry-fee payments, replicated from public.payments of the payment database',
  },
  columns: [
    col('payment_id', 'long', '決済ID', 'Payment id (primary key in the payment database)', true),
    col('registration_id', 'string', '事前登録ID', 'Entry registration the payment is for'),
    col('amount_yen', 'long', '金額（円）', 'Amount (JPY)'),
    col(
      'method',
      'string',
      '決済手段（card/convenience_store/…）',
      'Method: card, convenience_store, …',
    ),
    col(
      'status',
      'string',
      '状態（authorized/captured/failed/…）',
      'Status: authorized, captured, failed, …',
    ),
    col('payer_name', 'string', '支払者氏名（個人情報）', 'Payer name (personal data)'),
    col(
      'payer_email',
      'string',
      '支払者メールアドレス（個人情報）',
      'Payer e-mail (personal data)',
    ),
    col(
      'card_last4',
      'string',
      'カード番号下4桁（個人情報）',
      'Last four card digits (personal data)',
    ),
    col('paid_at', 'timestamptz', '決済日時', 'Paid at'),
    col('updated_at', 'timestamptz', '更新日時（決済DB）', 'Updated at, in the payment database'),
  ],
  key: ['payment_id'],
});

export const refunds = defineTable({
  namespace: 'payments',
  name: 'refunds',
  doc: {
    ja: '入山料の返金（決済DB public.refunds の複製）',
    en: 'Entry-fee refunds, replicated from public.refunds of the payment database',
  },
  columns: [
    col('refund_id', 'long', '返金ID', 'Refund id (primary key in the payment database)', true),
    col('payment_id', 'long', '元の決済ID', 'Payment refunded', true),
    col('amount_yen', 'long', '返金額（円）', 'Amount refunded (JPY)'),
    col('status', 'string', '状態', 'Status'),
    col(
      'reason',
      'string',
      '返金理由（自由記述・個人情報を含みうる）',
      'Reason, free text (may name the payer: personal data)',
    ),
    col('refunded_at', 'timestamptz', '返金日時', 'Refunded at'),
    col('updated_at', 'timestamptz', '更新日時（決済DB）', 'Updated at, in the payment database'),
  ],
  key: ['refund_id'],
});

/** Firehose destination tables, with the source table each replicates. */
export const firehoseTables: readonly { readonly source: string; readonly model: TableModel }[] = [
  { source: 'public.payments', model: payments },
  { source: 'public.refunds', model: refunds },
];

/** Every table a managed pipeline writes that the template declares. */
export const pipelineTables: readonly TableModel[] = firehoseTables.map((t) => t.model);
