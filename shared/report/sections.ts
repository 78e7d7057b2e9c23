/**
 * What a report is made of: sections, each a table of numbers (the SQL's own text, so what is
 * shown is what the engine said) and optionally a chart drawn from the same rows in the browser.
 */
import type { Doc } from '../model/table.ts';

export type Cell = string | null;

export interface ReportColumn {
  readonly key: string;
  readonly label: Doc;
  /** Numbers are right-aligned and charted as numbers. */
  readonly numeric?: boolean;
}

/**
 * A chart over a section's rows. `ys` are folded into one series per column (and per `series`
 * value when set), so a wide table draws as several lines.
 */
export interface ChartSpec {
  readonly mark: 'line' | 'bar' | 'dot';
  readonly x: string;
  /** `date`: 'YYYY-MM-DD' days; `band`: categories; `linear`: numbers. */
  readonly xType: 'date' | 'band' | 'linear';
  readonly ys: readonly string[];
  readonly series?: string;
  readonly yLabel: Doc;
}

export interface Section {
  readonly id: string;
  readonly title: Doc;
  readonly note?: Doc;
  /** The statement behind the rows, shown under the table; absent when computed in code. */
  readonly sql?: string;
  readonly columns: readonly ReportColumn[];
  readonly rows: readonly (readonly Cell[])[];
  readonly chart?: ChartSpec;
}

export interface Page {
  readonly id: 'operations' | 'analysis';
  readonly title: Doc;
  readonly sections: readonly Section[];
}

export interface Report {
  readonly generatedAt: Date;
  readonly pages: readonly Page[];
  /** How long the queries took, ms. */
  readonly queryMs: number;
}

export const column = (key: string, ja: string, en: string, numeric = false): ReportColumn => ({
  key,
  label: { ja, en },
  ...(numeric && { numeric }),
});
