import { describe, expect, it } from 'vitest';
import { parsePage } from './parse.ts';
import { ga4Config } from './settings.ts';
import { QuotaGuard } from './quota.ts';
import { defineReport, DEFAULT_REPORTS } from './reports.ts';
import { columnName } from './schema.ts';
import { reportTable } from './tables.ts';

const base = { name: 'r', doc: { ja: 'r', en: 'r' }, dimensions: ['date'], metrics: ['sessions'] };
const URL = 'https://analyticsdata.googleapis.com/v1beta/properties/1:runReport';

describe('report configuration', () => {
  it('fails before any call on unknown names and API limits', () => {
    expect(() => defineReport({ ...base, dimensions: ['date', 'pagepath'] })).toThrow(
      'GA4 report "r": unknown dimension pagepath',
    );
    expect(() => defineReport({ ...base, metrics: ['users'] })).toThrow('unknown metric users');
    expect(() =>
      defineReport({
        ...base,
        dimensions: ['date', ...Array.from({ length: 9 }, (_, i) => `customEvent:d${i}`)],
      }),
    ).toThrow('10 dimensions, GA4 allows at most 9');
    expect(() =>
      defineReport({ ...base, metrics: Array.from({ length: 11 }, () => 'sessions') }),
    ).toThrow('11 metrics, GA4 needs 1 to 10');
    expect(() => defineReport({ ...base, dimensions: ['pagePath'] })).toThrow(
      'first dimension must be date',
    );
    expect(() => defineReport({ ...base, properties: ['G-12AB34'] })).toThrow(
      'property id "G-12AB34" is not numeric',
    );
  });

  it('rejects a property id with letters and a bad time zone, naming the variable', () => {
    expect(() => ga4Config({ FUJI_ETL_GA4_PROPERTIES: '123,G-ABC123' })).toThrow(
      /FUJI_ETL_GA4_PROPERTIES must be comma-separated numeric GA4 property ids/,
    );
    expect(() => ga4Config({ FUJI_ETL_GA4_TIME_ZONE: 'Tokyo' })).toThrow('FUJI_ETL_GA4_TIME_ZONE');
    // No default: a deployment lists its own properties, or its cold start fails.
    expect(() => ga4Config({})).toThrow('FUJI_ETL_GA4_PROPERTIES must be set');
  });

  it('types metric columns and documents the non-additive ones', () => {
    const t = reportTable(DEFAULT_REPORTS.find((r) => r.name === 'traffic')!);
    const type = (c: string) => t.columns.find((x) => x.name === c)!.type;
    expect([type('sessions'), type('key_events'), type('user_engagement_duration')]).toEqual([
      'long',
      'double',
      'double',
    ]);
    expect(
      reportTable(DEFAULT_REPORTS.find((r) => r.name === 'events')!).columns.find(
        (c) => c.name === 'purchase_revenue',
      )!.type,
    ).toBe('decimal(20,6)');
    expect(t.key).toEqual([
      'property_id',
      'date',
      'session_default_channel_group',
      'device_category',
      'country',
    ]);
    expect(t.notes![0]!.en).toMatch(/Non-additive metrics: active_users, new_users, total_users/);
    expect(columnName('customEvent:trail_name')).toBe('custom_event_trail_name');
  });
});

describe('parsePage', () => {
  const report = defineReport({
    ...base,
    dimensions: ['date', 'country'],
    metrics: ['sessions', 'purchaseRevenue', 'averageSessionDuration'],
  });

  it('reads REST JSON with defaults omitted, int64 strings and numeric enums', () => {
    const page = parsePage(
      {
        dimensionHeaders: [{ name: 'date' }, { name: 'country' }],
        metricHeaders: [
          { name: 'sessions', type: 1 },
          { name: 'purchaseRevenue', type: 'TYPE_CURRENCY' },
          { name: 'averageSessionDuration', type: 'TYPE_SECONDS' },
        ],
        rows: [
          {
            dimensionValues: [{ value: '20260719' }, {}],
            metricValues: [{ value: '12' }, { value: '3333.3333333333335' }, {}],
          },
        ],
        rowCount: 1,
        metadata: {
          samplingMetadatas: [{ samplesReadCount: '100', samplingSpaceSize: 300 }],
          currencyCode: 'JPY',
        },
        propertyQuota: { tokensPerDay: { consumed: 11, remaining: '199989' } },
      },
      URL,
      report,
      '1',
      '2026-07-19',
    );
    expect(page.rows).toEqual([
      {
        property_id: '1',
        date: '2026-07-19',
        country: '',
        sessions: 12n,
        purchase_revenue: '3333.333333',
        average_session_duration: 0,
      },
    ]);
    expect([page.sampled, page.samplesRead, page.samplingSpace, page.tokens]).toEqual([
      true,
      100n,
      300n,
      11,
    ]);
    expect(page.metadata).toMatchObject({ subject_to_thresholding: false, currency_code: 'JPY' });
  });

  it('treats an answer without rows or rowCount as an empty day', () => {
    const page = parsePage(
      { metadata: { timeZone: 'Asia/Tokyo' } },
      URL,
      report,
      '1',
      '2026-07-19',
    );
    expect([page.rows, page.rowCount, page.sampled]).toEqual([[], 0, false]);
  });

  it('names the URL and path of a value of the wrong kind or day', () => {
    const row = (date: string, sessions: string) => ({
      rows: [
        {
          dimensionValues: [{ value: date }, { value: 'Japan' }],
          metricValues: [{ value: sessions }, {}, {}],
        },
      ],
      rowCount: 1,
    });
    // A broken row is rejected alone, with the URL and path; the others of the page land.
    const bad = parsePage(row('20260719', '1.5'), URL, report, '1', '2026-07-19');
    expect(bad.rows).toEqual([]);
    expect(bad.rejected).toMatchObject([
      {
        table: 'web_analytics.ga4_r',
        reason: `SOURCE_SHAPE: ${URL} at $.rows[0].metricValues[0]: expected an integer, got "1.5"`,
        source: URL,
      },
    ]);
    expect(parsePage(row('20260718', '1'), URL, report, '1', '2026-07-19').rejected).toMatchObject([
      { reason: expect.stringContaining('expected date 20260719, got "20260718"') },
    ]);
    expect(() =>
      parsePage(
        { metricHeaders: [{ name: 'sessions', type: 'TYPE_FLOAT' }] },
        URL,
        report,
        '1',
        '2026-07-19',
      ),
    ).toThrow('expected TYPE_INTEGER, got "TYPE_FLOAT"');
  });
});

describe('QuotaGuard', () => {
  it('stops below the reserve share of what the run found left', async () => {
    const g = new QuotaGuard(10);
    const signal = new AbortController().signal;
    g.note('1', { tokensPerDay: { consumed: 10, remaining: 990 } });
    await expect(g.beforeRequest('1', signal)).resolves.toBeUndefined();
    g.note('1', { tokensPerDay: { consumed: 10, remaining: 95 } });
    await expect(g.beforeRequest('1', signal)).rejects.toMatchObject({
      code: 'GA4_QUOTA',
      deferred: true,
      stopsRun: true,
    });
  });
});
