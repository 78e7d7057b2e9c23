/** Contracts of the catalogue resources this suite loads, and how each is found in the catalogue. */
import { defineContract, type Contract } from '#shared/csv/contract.ts';
import { fiscalYear, number, text } from '#shared/csv/values.ts';
import { tourismVisitors } from './tables.ts';

const people = number({ units: ['人'], integer: true });

export const tourismVisitorsContract = defineContract({
  name: 'tourism_visitors',
  doc: { ja: '市町別観光交流客数', en: 'Visitors per municipality and fiscal year' },
  table: tourismVisitors,
  columns: {
    municipality: { headers: ['市町名', '市町村名', '市町'], parse: text(), required: true },
    fiscal_year: { headers: ['年度'], parse: fiscalYear(), required: true },
    visitors: { headers: ['観光交流客数', '観光交流客数(人)'], parse: people },
    overnight_visitors: {
      headers: ['うち宿泊客数', 'うち宿泊客数(人)', '宿泊客数'],
      parse: people,
    },
  },
  skip: { totalLabels: ['計', '合計', '県計', '総計'] },
  encoding: 'cp932',
  load: 'merge',
});

/** A catalogue resource loaded into a domain table: found by dataset id or by a search. */
export interface Registration {
  readonly name: string;
  readonly contract: Contract;
  /** package_show id: the dataset's uuid or filename (dataset/8167.html). */
  readonly dataset?: string;
  /** package_search q, when the dataset's id is not stable. */
  readonly search?: string;
  /** Which of the dataset's resources: by name, CSV only. */
  readonly resource: RegExp;
}

export const REGISTRATIONS: readonly Registration[] = [
  {
    name: 'tourism_visitors',
    contract: tourismVisitorsContract,
    search: '観光交流客数',
    resource: /市町別観光交流客数/,
  },
];
