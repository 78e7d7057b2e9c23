/**
 * A file loaded through its dataset contract is a one-slice connector run: the runtime writes its
 * batches, quarantines its rejected records, and records the file in the ledger like any slice.
 */
import { contractTarget, type Contract } from '#shared/csv/contract.ts';
import type { Encoding } from '#shared/csv/decode.ts';
import { openCsv, type FileReport, type ReadCheckpoint } from '#shared/csv/read.ts';
import {
  defineConnector,
  type ConnectorDefinition,
  type Resumable,
} from '#shared/runtime/connector.ts';

export interface CsvFile {
  /** s3://bucket/key, a URL or a path: kept with every row and quarantined record. */
  readonly source: string;
  /** ETag or update time of this version of the source. */
  readonly version?: string;
  readonly declared?: Encoding;
  /** Recorded with the file in the ledger (which contract read it). */
  readonly notes?: readonly string[];
  /** Bytes, when known: sizes the reader's key filter. */
  readonly size?: number;
  /**
   * The file's bytes, from byte `from` (a resumed read) or the start. Called again for the
   * duplicate check's second pass: must return the same bytes.
   */
  open(signal: AbortSignal, from?: number): Promise<AsyncIterable<Uint8Array>>;
  /** Called after each batch is read (a progress display counts its records). */
  onBatch?(batch: { readonly rowsRead: number }): void;
}

export interface CsvLoad {
  readonly connector: ConnectorDefinition;
  /** The file's report, once the run has opened it. */
  report(): FileReport | undefined;
}

/**
 * People upload the counters' and the registration system's files, weekly in the season; a table
 * no file has renewed for a week is late.
 */
export const CSV_UPLOAD_CADENCE = {
  hours: 7 * 24,
  why: 'files are uploaded by people, weekly in the climbing season',
} as const;

/** The note a file with columns its contract does not know leaves in the ledger. */
export const unknownColumnsNote = (unknown: readonly string[]) =>
  `unknown columns not loaded: ${unknown.join(', ')}`;

/**
 * @example
 * const load = csvFileConnector(moeClimbers8th, { source: path, open: async () => createReadStream(path) });
 * const summary = await runConnector(load.connector, deps);
 */
export function csvFileConnector(contract: Contract, file: CsvFile, name = 'csv_upload'): CsvLoad {
  let report: FileReport | undefined;
  const slice = { id: file.version ? `${file.source}@${file.version}` : file.source };
  const connector = defineConnector({
    name,
    cadence: CSV_UPLOAD_CADENCE,
    // One file per slice, and its reader quarantines repeated keys.
    tables: [{ ...contractTarget(contract), uniqueKeys: true }],
    slices: () => [slice],
    fetch: async (_s, ctx) => {
      const resume = ctx.resume && checkpointOf(ctx.resume);
      const reader = await openCsv(
        await file.open(ctx.signal, resume?.state.text.offset),
        contract,
        {
          source: file.source,
          version: file.version,
          declared: file.declared,
          sizeHint: file.size,
          reopen: () => file.open(ctx.signal),
          ...(resume && { resume }),
        },
      );
      report = reader.report;
      const table = contract.table.name;
      return {
        rows: {},
        rowsRead: 0,
        source: file.source,
        resumable: {
          position: () => {
            const at = reader.position();
            return (
              at && {
                state: at.state,
                blobs: { keys: at.filter, log: at.keyLog, held: at.suspects },
              }
            );
          },
        },
        batches: (async function* () {
          // Notes were given with the first batch of the first invocation.
          let first = !resume;
          for await (const b of reader.batches()) {
            file.onBatch?.(b);
            const unknown = reader.report.header?.map.unknown ?? [];
            const notes = first
              ? [
                  ...(file.notes ?? []),
                  ...(unknown.length > 0 ? [unknownColumnsNote(unknown)] : []),
                ]
              : [];
            yield {
              rows: { [table]: b.rows },
              rowsRead: b.rowsRead,
              rowsSkipped: b.rowsSkipped,
              rowsLoaded: b.rowsLoaded,
              rejected: b.quarantined,
              ...(notes.length > 0 && { notes }),
            };
            first = false;
          }
        })(),
      };
    },
  });
  return { connector: connector as unknown as ConnectorDefinition, report: () => report };
}

function checkpointOf(r: Resumable): ReadCheckpoint {
  const { keys: filter, log: keyLog, held: suspects } = r.blobs ?? {};
  if (!filter || !keyLog || !suspects)
    throw new Error('a CSV continuation without its key filter, key log and held records');
  return { state: r.state as ReadCheckpoint['state'], filter, keyLog, suspects };
}
