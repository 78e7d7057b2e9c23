/**
 * One GA4 report for one property and one day, read completely: `runReport` over REST, paged
 * with limit/offset until rowCount, re-read when rowCount changes between pages (GA updated the
 * report mid-read) or when the answer is sampled (as configured). Values become typed columns;
 * a broken answer fails with the URL and the JSON path.
 */
import { requestJson } from '#shared/http/client.ts';
import { HttpStatusError } from '#shared/http/errors.ts';
import { Json } from '#shared/http/shape.ts';
import { FujiEtlError } from '#shared/errors/index.ts';
import { authHeaders } from './auth.ts';
import type { Ga4Config } from './config.ts';
import { QuotaExhaustedError, type PropertyQuota, type QuotaGuard } from './quota.ts';
import type { ReportDef } from './reports.ts';
import { columnName, METRICS, type MetricType } from './schema.ts';
import type { SourceRejection } from '#shared/runtime/connector.ts';
import { eachRecord } from '#shared/runtime/records.ts';
import { fullName, type TableModel } from '#shared/model/table.ts';

type Row = Record<string, unknown>;

/** Numeric enum values of MetricType, for answers encoded with `enum-encoding=int`. */
const METRIC_TYPE_BY_NUMBER: Record<number, MetricType> = {
  1: 'TYPE_INTEGER',
  2: 'TYPE_FLOAT',
  4: 'TYPE_SECONDS',
  5: 'TYPE_MILLISECONDS',
  9: 'TYPE_CURRENCY',
};

const MAX_REREADS_ON_CHANGE = 3;

export interface DayRead {
  readonly rows: Row[];
  readonly rejected: SourceRejection[];
  readonly meta: Row;
}

interface Page {
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

function int64(node: Json | undefined): bigint {
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

function quotaOf(node: Json | undefined): { quota: PropertyQuota; tokens: number } {
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

export interface ReadContext {
  readonly cfg: Ga4Config;
  readonly guard: QuotaGuard;
  readonly signal: AbortSignal;
  readonly deadline?: number;
  readonly now: () => Date;
}

async function runReport(
  ctx: ReadContext,
  report: ReportDef,
  property: string,
  day: string,
  offset: number,
  table: string,
): Promise<Page> {
  const url = `${ctx.cfg.baseUrl}/v1beta/properties/${property}:runReport`;
  await ctx.guard.beforeRequest(property, ctx.signal, ctx.deadline);
  const body = {
    dateRanges: [{ startDate: day, endDate: day }],
    dimensions: report.dimensions.map((name) => ({ name })),
    metrics: report.metrics.map((name) => ({ name })),
    ...(report.dimensionFilter !== undefined && { dimensionFilter: report.dimensionFilter }),
    ...(report.metricFilter !== undefined && { metricFilter: report.metricFilter }),
    // A stable order, so pages do not overlap or skip rows.
    orderBys: report.dimensions.map((dimensionName) => ({ dimension: { dimensionName } })),
    offset: String(offset),
    limit: String(ctx.cfg.pageSize),
    returnPropertyQuota: true,
  };
  let payload: unknown;
  try {
    payload = await requestJson(
      url,
      { method: 'POST', json: body },
      {
        signal: ctx.signal,
        deadline: ctx.deadline,
        timeoutMs: ctx.cfg.httpTimeoutMs,
        headers: await authHeaders(ctx.cfg.credentialsSecret, url),
        // 429 means a quota is spent: waiting inside this run cannot help, so it is not retried.
        retryStatus: (status) => status >= 500,
      },
    );
  } catch (err) {
    if (!(err instanceof HttpStatusError)) throw err;
    const why = googleMessage(err);
    if (err.status === 429) throw new QuotaExhaustedError(property, why);
    throw new FujiEtlError('GA4_REQUEST', `property ${property}, report ${report.name}: ${why}`, {
      // Refused access or a rejected request fails every day the same way: stop the run.
      stopsRun:
        err.status === 400 || err.status === 401 || err.status === 403 || err.status === 404,
      retryable: err.status >= 500,
      context: { property, report: report.name, status: err.status },
    });
  }
  const page = parsePage(payload, url, report, property, day, table);
  ctx.guard.note(property, page.quota);
  return page;
}

/** Every row of one report, property and day, with the slice's metadata row. */
export async function readDay(
  ctx: ReadContext,
  report: ReportDef,
  property: string,
  day: string,
  table: TableModel,
): Promise<DayRead> {
  let reads = 0;
  let tokens = 0;
  for (;;) {
    reads++;
    const first = await runReport(ctx, report, property, day, 0, fullName(table));
    tokens += first.tokens;
    const rows = [...first.rows];
    const rejected = [...first.rejected];
    let pages = 1;
    let changed = false;
    while (rows.length + rejected.length < first.rowCount && !changed) {
      const next = await runReport(
        ctx,
        report,
        property,
        day,
        rows.length + rejected.length,
        fullName(table),
      );
      tokens += next.tokens;
      pages++;
      changed = next.rowCount !== first.rowCount;
      // Real answers' rowCount can exceed the rows GA hands out (1,115 for 1,114 rows): an
      // empty page at an unchanged rowCount is the end of the report, not a change.
      if (next.rows.length === 0) break;
      rows.push(...next.rows);
      rejected.push(...next.rejected);
    }
    if (changed) {
      // GA updated the report while we paged: the pages are from different versions.
      if (reads > MAX_REREADS_ON_CHANGE)
        throw new FujiEtlError(
          'GA4_UNSTABLE',
          `property ${property}, report ${report.name}, ${day}: rowCount kept changing while paging`,
          { retryable: true, context: { property, report: report.name, day } },
        );
      continue;
    }
    if (first.sampled && ctx.cfg.onSampled === 'fail')
      throw new FujiEtlError(
        'GA4_SAMPLED',
        `property ${property}, report ${report.name}, ${day}: GA sampled the data (${first.samplesRead} of ${first.samplingSpace})`,
        { context: { property, report: report.name, day } },
      );
    if (first.sampled && ctx.cfg.onSampled === 'reread' && reads <= ctx.cfg.sampledRereads)
      continue;
    return {
      rows,
      rejected,
      meta: {
        report: report.name,
        property_id: property,
        date: day,
        row_count: BigInt(first.rowCount),
        pages,
        reads,
        sampled: first.sampled,
        samples_read_count: first.sampled ? first.samplesRead : null,
        sampling_space_size: first.sampled ? first.samplingSpace : null,
        ...first.metadata,
        tokens_per_day_remaining: first.quota.tokensPerDay
          ? BigInt(first.quota.tokensPerDay.remaining)
          : null,
        tokens_per_hour_remaining: first.quota.tokensPerHour
          ? BigInt(first.quota.tokensPerHour.remaining)
          : null,
        tokens_consumed: BigInt(tokens),
        fetched_at: ctx.now(),
      },
    };
  }
}
