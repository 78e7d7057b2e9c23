/**
 * Every dataset contract by name: the upload contracts and the registered open-data resources.
 * Apart from index.ts so the file-loading function bundles contracts without every connector.
 */
import type { Contract } from '#shared/csv/contract.ts';
import { uploadContracts } from './csv_upload/contracts.ts';
import { REGISTRATIONS } from './shizuoka_opendata/contracts.ts';

export const contracts: ReadonlyMap<string, Contract> = new Map([
  ...uploadContracts,
  ...REGISTRATIONS.map((r) => [r.contract.name, r.contract] as const),
]);
