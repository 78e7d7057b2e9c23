/**
 * Golden tests over real GA4 Data API answers (fixtures/real, see PROVENANCE.md): each report
 * is read as the connector reads a page, with the report declared from the answer's own
 * headers, and its rows equal the kept expectation; the error envelopes give the message the
 * connector reports.
 */
import { describe, expect, it } from 'vitest';
import { HttpStatusError } from '#shared/http/errors.ts';
import { expectGolden, here, realFixtures } from '../../tests/helpers/golden.ts';
import { googleMessage, parsePage } from './parse.ts';
import type { ReportDef } from './reports.ts';

const dir = here(import.meta.url);
const URL = 'https://analyticsdata.googleapis.com/v1beta/properties/123456789:runReport';

type Answer = {
  dimensionHeaders?: { name: string }[];
  metricHeaders?: { name: string }[];
  rows?: { dimensionValues: { value: string }[] }[];
};

/** A batchRunReports capture holds runReport answers in `reports`. */
const reportOf = (json: unknown): Answer =>
  ((json as { reports?: Answer[] }).reports?.[0] ?? json) as Answer;

describe('real GA4 runReport captures', () => {
  const fixtures = realFixtures(dir);

  it('has at least five report answers', () => {
    expect(fixtures.filter((f) => f.name.startsWith('runreport_')).length).toBeGreaterThanOrEqual(
      5,
    );
  });

  for (const f of fixtures.filter((x) => x.name.startsWith('runreport_'))) {
    it(`parses ${f.name} into the rows kept for it`, () => {
      const answer = reportOf(f.json);
      const dims = (answer.dimensionHeaders ?? []).map((h) => h.name);
      const report: ReportDef = {
        name: 'fixture',
        doc: { ja: '', en: '' },
        dimensions: dims,
        metrics: (answer.metricHeaders ?? []).map((h) => h.name),
      };
      // The day a page is read for: the first row's date (rows of other days are rejected).
      const i = dims.indexOf('date');
      const first = answer.rows?.[0]?.dimensionValues[i]?.value ?? '20240101';
      const day = `${first.slice(0, 4)}-${first.slice(4, 6)}-${first.slice(6, 8)}`;
      const page = parsePage(answer, URL, report, '123456789', day, 'web_analytics.ga4_fixture');
      expectGolden(dir, f.name, page);
    });
  }

  it('reads the message and status of real refusals', () => {
    for (const f of fixtures.filter((x) => x.name.startsWith('error_403'))) {
      const why = googleMessage(new HttpStatusError(URL, 403, f.text, false));
      expect(why).toMatch(/^PERMISSION_DENIED: .+/);
    }
  });
});
