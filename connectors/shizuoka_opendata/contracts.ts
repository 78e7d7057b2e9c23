/** Contracts of the catalogue resources this suite loads (contracts/*.json), and how each is found. */
import { contractFromData } from '#shared/csv/contract-file.ts';
import type { Contract } from '#shared/csv/contract.ts';
import { fullName } from '#shared/model/table.ts';
import { VOCABULARIES } from '../csv_upload/vocabularies.ts';
import tourismVisitorsFile from './contracts/tourism_visitors.json' with { type: 'json' };

export { tourismVisitorsFile };
import { tourismVisitors } from './tables.ts';

export const opendataContractDeps = {
  tables: new Map([[fullName(tourismVisitors), tourismVisitors]]),
  vocabularies: VOCABULARIES,
};

export const tourismVisitorsContract = contractFromData(
  tourismVisitorsFile,
  'connectors/shizuoka_opendata/contracts/tourism_visitors.json',
  opendataContractDeps,
);

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
