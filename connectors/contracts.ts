/**
 * Every dataset contract by name: the upload contracts and the registered open-data resources.
 * Apart from index.ts so the file-loading function bundles contracts without every connector.
 */
import type { ContractFileDeps } from '#shared/csv/contract-file.ts';
import type { Contract } from '#shared/csv/contract.ts';
import {
  uploadContractDeps,
  uploadContractFiles,
  uploadContracts,
} from './csv_upload/contracts.ts';
import {
  opendataContractDeps,
  REGISTRATIONS,
  tourismVisitorsFile,
} from './shizuoka_opendata/contracts.ts';

export const contracts: ReadonlyMap<string, Contract> = new Map([
  ...uploadContracts,
  ...REGISTRATIONS.map((r) => [r.contract.name, r.contract] as const),
]);

/** The contract files behind them (data), by name. */
export const contractFiles: ReadonlyMap<string, unknown> = new Map([
  ...uploadContractFiles,
  ['tourism_visitors', tourismVisitorsFile],
]);

/** Every table and code list a contract file may name. */
export const contractFileDeps: ContractFileDeps = {
  tables: new Map([...uploadContractDeps.tables, ...opendataContractDeps.tables]),
  vocabularies: uploadContractDeps.vocabularies,
};
