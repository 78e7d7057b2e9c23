/**
 * The dataset contracts for files uploaded to `uploads/<dataset>/…`, kept as data in
 * `contracts/<name>.json` (the format: docs/contracts.md). Header spellings are the ones seen in
 * ministry, prefecture and operator files; add a spelling to the file when a file drifts, then
 * replay its quarantined rows. The data team can also put a contract (YAML or JSON) under
 * `contracts/` in the upload bucket: it is used without a redeploy (see contract-store.ts).
 */
import { contractFromData, type ContractFileDeps } from '#shared/csv/contract-file.ts';
import type { Contract } from '#shared/csv/contract.ts';
import { fullName } from '#shared/model/table.ts';
import entryRegistrations from './contracts/entry_registrations.json' with { type: 'json' };
import moeClimbers8thFile from './contracts/moe_climbers_8th.json' with { type: 'json' };
import parkingShuttle from './contracts/parking_shuttle.json' with { type: 'json' };
import prefClimbers5thFile from './contracts/pref_climbers_5th.json' with { type: 'json' };
import {
  climberCounts,
  entryRegistrations as entryTable,
  parkingShuttle as parkingTable,
} from './tables.ts';
import { VOCABULARIES } from './vocabularies.ts';

export { ROUTES } from './vocabularies.ts';

/** What contract files may name: the upload tables and the shared code lists. */
export const uploadContractDeps: ContractFileDeps = {
  tables: new Map([climberCounts, entryTable, parkingTable].map((t) => [fullName(t), t])),
  vocabularies: VOCABULARIES,
};

const load = (data: unknown, name: string) =>
  contractFromData(data, `connectors/csv_upload/contracts/${name}.json`, uploadContractDeps);

export const moeClimbers8th = load(moeClimbers8thFile, 'moe_climbers_8th');
export const prefClimbers5th = load(prefClimbers5thFile, 'pref_climbers_5th');
export const entryRegistrationSummary = load(entryRegistrations, 'entry_registrations');
export const parkingShuttleCounts = load(parkingShuttle, 'parking_shuttle');

/** The files behind the contracts, for `csv infer` to start a draft from. */
export const uploadContractFiles: ReadonlyMap<string, unknown> = new Map<string, unknown>([
  ['moe_climbers_8th', moeClimbers8thFile],
  ['pref_climbers_5th', prefClimbers5thFile],
  ['entry_registrations', entryRegistrations],
  ['parking_shuttle', parkingShuttle],
]);

/** Contracts by dataset name: the `<dataset>` in `uploads/<dataset>/…` and in `--dataset`. */
export const uploadContracts: ReadonlyMap<string, Contract> = new Map(
  [moeClimbers8th, prefClimbers5th, entryRegistrationSummary, parkingShuttleCounts].map((c) => [
    c.name,
    c,
  ]),
);
