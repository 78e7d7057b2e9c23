/**
 * One GA4 report for one property and one day, read completely: `runReport` over REST through
 * the run's requester, paged with limit/offset until rowCount, re-read when rowCount changes
 * between pages (GA updated the report mid-read) or when the answer is sampled (as configured).
 * Parsing is `parse.ts`'s; credentials `auth.ts`'s; the quota guard `quota.ts`'s.
 */
import { FujiEtlError } from '#shared/errors/index.ts';
import type { StatusActions } from '#shared/http/actions.ts';
import type { Paginator } from '#shared/http/paginate.ts';
import { requester, type Requester, type RequesterRun } from '#shared/http/requester.ts';
import { fullName, type TableModel } from '#shared/model/table.ts';
import type { SourceRejection } from '#shared/runtime/connector.ts';
import { ga4Auth } from './auth.ts';
import type { Ga4Config } from './settings.ts';
import { googleMessage, parsePage, rowCountOf, rowsOf, type Page } from './parse.ts';
import { quotaGuard } from './quota.ts';
import type { ReportDef } from './reports.ts';

type Row = Record<string, unknown>;

const MAX_REREADS_ON_CHANGE = 3;

const ACTIONS: StatusActions = {
  // A quota is spent: waiting inside this run cannot help (unless GA says when), so defer.
  429: 'defer',
  // Refused access or a rejected request fails every day the same way: stop the property.
  400: 'stop-member',
  401: 'stop-member',
  403: 'stop-member',
  404: 'stop-member',
  '5xx': 'retry',
  default: 'fail',
};

/** The run's requester for the Data API; `run.timeoutMs` is the deployment's setting. */
export function ga4Requester(cfg: Ga4Config, run: RequesterRun): Requester {
  const property = (c: unknown) => String((c as { property?: string } | undefined)?.property);
  return requester(
    {
      baseUrl: cfg.baseUrl,
      auth: ga4Auth(cfg.credentialsSecret),
      actions: ACTIONS,
      guard: () => quotaGuard(cfg.quotaReservePct),
      errors: {
        status(err, req) {
          const p = property(req.context);
          const why = googleMessage(err);
          if (err.status === 429)
            return {
              code: 'GA4_QUOTA',
              message: `property ${p}: ${why}; the run stops and resumes next time`,
              context: { property: p },
            };
          return {
            code: 'GA4_REQUEST',
            message: `property ${p}, report ${String(req.context?.report)}: ${why}`,
            context: { property: p, report: req.context?.report, status: err.status },
          };
        },
        stopped: (req, first) => ({
          code: 'GA4_REFUSED',
          message: `property ${property(req.context)} refused earlier in this run: ${first.message}`,
          context: { property: property(req.context) },
        }),
      },
    },
    run,
  );
}

export interface DayRead {
  readonly rows: Row[];
  readonly rejected: SourceRejection[];
  readonly meta: Row;
}

export interface ReadContext {
  readonly cfg: Ga4Config;
  /** The run's requester ({@link ga4Requester}). */
  readonly api: Requester;
  readonly now: () => Date;
}

/** One full read of the report's pages; `changed` when rowCount moved while paging. */
async function readPages(
  ctx: ReadContext,
  report: ReportDef,
  property: string,
  day: string,
  table: string,
) {
  const request = {
    path: `v1beta/properties/${property}:runReport`,
    json: {
      dateRanges: [{ startDate: day, endDate: day }],
      dimensions: report.dimensions.map((name) => ({ name })),
      metrics: report.metrics.map((name) => ({ name })),
      ...(report.dimensionFilter !== undefined && { dimensionFilter: report.dimensionFilter }),
      ...(report.metricFilter !== undefined && { metricFilter: report.metricFilter }),
      // A stable order, so pages do not overlap or skip rows.
      orderBys: report.dimensions.map((dimensionName) => ({ dimension: { dimensionName } })),
      returnPropertyQuota: true,
    },
    member: `property:${property}`,
    context: { property, report: report.name },
  };
  // Real answers' rowCount can exceed the rows GA hands out (1,115 for 1,114 rows): the empty
  // page after the last one ends the read, as the paginator ends on any empty page.
  const paging: Paginator = {
    kind: 'offset',
    in: 'body',
    numbersAsStrings: true,
    limit: ctx.cfg.pageSize,
    total: rowCountOf,
    records: rowsOf,
  };
  let first: Page | undefined;
  const rows: Row[] = [];
  const rejected: SourceRejection[] = [];
  let pages = 0;
  let tokens = 0;
  for await (const p of ctx.api.pages(request, paging)) {
    const page = parsePage(p.body, p.url, report, property, day, table);
    pages++;
    tokens += page.tokens;
    first ??= page;
    // GA updated the report while we paged: the pages are from different versions.
    if (page.rowCount !== first.rowCount)
      return { first, rows, rejected, pages, tokens, changed: true };
    rows.push(...page.rows);
    rejected.push(...page.rejected);
  }
  if (!first)
    throw new FujiEtlError('GA4_REQUEST', `property ${property}, report ${report.name}: no answer`);
  return { first, rows, rejected, pages, tokens, changed: false };
}

/** Every row of one report, property and day, with the slice's metadata row. */
export async function readDay(
  ctx: ReadContext,
  report: ReportDef,
  property: string,
  day: string,
  table: TableModel,
): Promise<DayRead> {
  let tokens = 0;
  for (let reads = 1; ; reads++) {
    const read = await readPages(ctx, report, property, day, fullName(table));
    const { first } = read;
    tokens += read.tokens;
    if (read.changed) {
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
    const left = (q: { remaining: number } | undefined) => (q ? BigInt(q.remaining) : null);
    return {
      rows: read.rows,
      rejected: read.rejected,
      meta: {
        report: report.name,
        property_id: property,
        date: day,
        row_count: BigInt(first.rowCount),
        pages: read.pages,
        reads,
        sampled: first.sampled,
        samples_read_count: first.sampled ? first.samplesRead : null,
        sampling_space_size: first.sampled ? first.samplingSpace : null,
        ...first.metadata,
        tokens_per_day_remaining: left(first.quota.tokensPerDay),
        tokens_per_hour_remaining: left(first.quota.tokensPerHour),
        tokens_consumed: BigInt(tokens),
        fetched_at: ctx.now(),
      },
    };
  }
}
