/**
 * GA4 runReport answers as data: pure functions over a response body (REST JSON, where default
 * values are omitted and int64 may be a number or a string). Values become typed columns; a row
 * that breaks its shape is rejected alone with the URL and its JSON path; a broken answer fails
 * with the same.
 */
import type { HttpStatusError } from '#shared/http/errors.ts';
import { Json } from '#shared/http/shape.ts';
import type { ReportDef } from './reports.ts';
import { columnName, METRICS, type MetricType } from './schema.ts';
import type { SourceRejection } from '#shared/runtime/connector.ts';
import { eachRecord } from '#shared/runtime/records.ts';

type Row = Record<string, unknown>;

export interface QuotaStatus {
  readonly consumed: number;
  readonly remaining: number;
}

/** The token quotas the guard watches (GA answers each as {consumed, remaining}). */
export type WatchedQuota = 'tokensPerDay' | 'tokensPerHour' | 'tokensPerProjectPerHour';
export type PropertyQuota = Partial<Record<WatchedQuota, QuotaStatus>>;

/** Numeric enum values of MetricType, for answers encoded with `enum-encoding=int`. */
const METRIC_TYPE_BY_NUMBER: Record<number, MetricType> = {
  1: 'TYPE_INTEGER',
  2: 'TYPE_FLOAT',
  4: 'TYPE_SECONDS',
  5: 'TYPE_MILLISECONDS',
  9: 'TYPE_CURRENCY',
};

/** One runReport answer, read. */
export interface Page {
  readonly rowCount: number;
  readonly rows: Row[];
  /** Rows that broke their shape, each alone: the others land. */
  readonly rejected: SourceRejection[];
  readonly sampled: boolean;
  readonly samplesRead: bigint;
  readonly samplingSpace: bigint;
  readonly metadata: Row;
  readonly quota: PropertyQuota;
  readonly tokens: number;
}

export function int64(node: Json | undefined): bigint {
  if (!node) return 0n;
  const v = node.value;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return BigInt(v);
  return node.fail('expected an integer (number or string)');
}

function bool(node: Json | undefined): boolean {
  if (!node || node.value === null) return false; // REST JSON omits false
  if (typeof node.value !== 'boolean') node.fail('expected a boolean');
  return node.value as boolean;
}

/** An optional metadata string: absent, null (as re-encoded copies write it) or "" is NULL. */
function text(node: Json | undefined): string | null {
  if (!node || node.value === null) return null;
  return node.string() || null;
}

/** A currency string rounded to 6 places, as the column's decimal(20,6) holds. */
function currency(s: string, node: Json): string {
  if (!/^-?\d+(\.\d+)?(e[-+]?\d+)?$/i.test(s))
    node.fail(`expected a decimal, got ${JSON.stringify(s)}`);
  const [, frac = ''] = s.split('.');
  return frac.length <= 6 && !/e/i.test(s) ? s : Number(s).toFixed(6);
}

function metricValue(type: MetricType, node: Json): unknown {
  const s = node.opt('value')?.string() ?? '0'; // omitted = default 0
  switch (type) {
    case 'TYPE_INTEGER':
      if (!/^-?\d+$/.test(s)) node.fail(`expected an integer, got ${JSON.stringify(s)}`);
      return BigInt(s);
    case 'TYPE_CURRENCY':
      return currency(s, node);
    default: {
      const n = Number(s);
      if (s.trim() === '' || !Number.isFinite(n))
        node.fail(`expected a number, got ${JSON.stringify(s)}`);
      return n;
    }
  }
}

/** The quotas an answer reports (`propertyQuota`), and the day's tokens it consumed. */
export function quotaOf(node: Json | undefined): { quota: PropertyQuota; tokens: number } {
  const quota: Record<string, { consumed: number; remaining: number }> = {};
  for (const name of ['tokensPerDay', 'tokensPerHour', 'tokensPerProjectPerHour']) {
    const q = node?.opt(name);
    if (!q) continue;
    quota[name] = {
      consumed: Number(int64(q.opt('consumed'))),
      remaining: Number(int64(q.opt('remaining'))),
    };
  }
  return { quota, tokens: quota.tokensPerDay?.consumed ?? 0 };
}

export function parsePage(
  payload: unknown,
  url: string,
  report: ReportDef,
  property: string,
  day: string,
  table = `web_analytics.ga4_${report.name}`,
): Page {
  const root = new Json(payload, url);
  if (typeof root.value !== 'object' || root.value === null || Array.isArray(root.value))
    root.fail('expected a RunReportResponse object');
  const headers = root.opt('metricHeaders')?.items() ?? [];
  const types = report.metrics.map((name, i) => {
    const h = headers[i];
    const declared = METRICS[name]?.type;
    if (!h) return declared ?? 'TYPE_FLOAT'; // an empty report may omit headers
    if (h.get('name').string() !== name) h.get('name').fail(`expected metric ${name}`);
    const t = h.opt('type')?.value;
    const got = typeof t === 'number' ? METRIC_TYPE_BY_NUMBER[t] : t;
    if (got !== undefined && declared !== undefined && got !== declared)
      h.get('type').fail(`expected ${declared}, got ${JSON.stringify(t)}`);
    return declared ?? (got as MetricType | undefined) ?? 'TYPE_FLOAT';
  });
  const compact = day.replaceAll('-', '');
  const { values: rows, rejected } = eachRecord(root.opt('rows')?.items() ?? [], table, (r) => {
    const dims = r.opt('dimensionValues')?.items() ?? [];
    const mets = r.opt('metricValues')?.items() ?? [];
    if (dims.length !== report.dimensions.length)
      r.fail(`expected ${report.dimensions.length} dimension values, got ${dims.length}`);
    if (mets.length !== report.metrics.length)
      r.fail(`expected ${report.metrics.length} metric values, got ${mets.length}`);
    const row: Row = { property_id: property };
    report.dimensions.forEach((d, i) => {
      const v = dims[i]!.opt('value')?.string() ?? ''; // omitted = ""
      if (d === 'date') {
        if (v !== compact) dims[i]!.fail(`expected date ${compact}, got ${JSON.stringify(v)}`);
        row.date = day;
      } else row[columnName(d)] = v;
    });
    report.metrics.forEach((m, i) => (row[columnName(m)] = metricValue(types[i]!, mets[i]!)));
    return row;
  });
  const meta = root.opt('metadata');
  const samplings = meta?.opt('samplingMetadatas')?.items() ?? [];
  const { quota, tokens } = quotaOf(root.opt('propertyQuota'));
  return {
    rowCount: Number(int64(root.opt('rowCount'))),
    rows,
    rejected,
    sampled: samplings.length > 0,
    samplesRead: samplings.reduce((s, x) => s + int64(x.opt('samplesReadCount')), 0n),
    samplingSpace: samplings.reduce((s, x) => s + int64(x.opt('samplingSpaceSize')), 0n),
    metadata: {
      subject_to_thresholding: bool(meta?.opt('subjectToThresholding')),
      data_loss_from_other_row: bool(meta?.opt('dataLossFromOtherRow')),
      currency_code: text(meta?.opt('currencyCode')),
      time_zone: text(meta?.opt('timeZone')),
      empty_reason: text(meta?.opt('emptyReason')),
    },
    quota,
    tokens,
  };
}

/** GA's error JSON `{error: {code, message, status}}`, or the raw text. */
export function googleMessage(err: HttpStatusError): string {
  try {
    const e = (JSON.parse(err.body) as { error?: { status?: string; message?: string } }).error;
    if (e?.message) return `${e.status ?? err.status}: ${e.message}`;
  } catch {
    // not JSON: fall through
  }
  return `HTTP ${err.status}`;
}

const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The rows of a page (none when omitted), for paging; parsePage names a body of another kind. */
export const rowsOf = (root: Json): Json | undefined =>
  isObject(root.value) ? root.opt('rows') : undefined;

/** The report's row count (omitted when 0), for paging. */
export const rowCountOf = (root: Json): number =>
  isObject(root.value) ? Number(int64(root.opt('rowCount'))) : 0;
