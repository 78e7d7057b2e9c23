/**
 * Loads one uploaded object, `uploads/<dataset>/…`, through its dataset's contract. Idempotent per
 * bucket, key and ETag: the ETag of the last successful load is kept in the state store, so a
 * redelivered event changes nothing, and a new version of the key loads again. The object is
 * tagged with the outcome; a failed object is loaded again by re-sending its event or
 * `fuji-etl csv load s3://bucket/key`.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { objectTags, openObject, tagObject } from '#shared/aws/s3.ts';
import type { Contract } from '#shared/csv/contract.ts';
import type { FileReport } from '#shared/csv/read.ts';
import { describeError, FujiEtlError } from '#shared/errors/index.ts';
import { runConnector, type RunDeps, type RunSummary } from '#shared/runtime/run.ts';
import { ContinuationError } from '#shared/runtime/continuation.ts';
import type { ContractFileDeps } from '#shared/csv/contract-file.ts';
import { csvFileConnector } from './connector.ts';
import { chooseContract } from './contract-store.ts';

export const UPLOAD_CONNECTOR = 'csv_upload';
const UPLOAD_KEY = /^uploads\/([a-z][a-z0-9_]*)\/[^/].*$/;

/** Longest wait for a dataset's lock outside Lambda (the CLI), and the time kept for the load. */
const LOCK_WAIT_MS = 10 * 60_000;
const LOCK_WAIT_MARGIN_MS = 2 * 60_000;
/** An S3 body left unread this long is reopened (by ETag) rather than trusted. */
const STREAM_IDLE_MS = 10_000;

export interface UploadDeps extends RunDeps {
  readonly s3: S3Client;
  readonly contracts: ReadonlyMap<string, Contract>;
  /** Set: contracts under `contracts/` in the bucket are used too (the newest valid one wins). */
  readonly contractFileDeps?: ContractFileDeps;
}

export interface UploadOutcome {
  readonly bucket: string;
  readonly key: string;
  /** `continued`: the file is read part-way and goes on in another invocation (`continuation`). */
  readonly status: 'loaded' | 'failed' | 'unchanged' | 'ignored' | 'continued';
  readonly etag?: string;
  readonly dataset?: string;
  readonly summary?: RunSummary;
  readonly report?: FileReport;
  readonly error?: string;
  /** Which contract read the file: `repository` or the bucket's contract file and version. */
  readonly contractFrom?: string;
  /** Worth retrying as is (the engine or S3 failed, not the file). */
  readonly retryable?: boolean;
  /** With `continued`: what the next invocation passes as `resume`. */
  readonly continuation?: string;
}

/** The dataset an upload key names, or undefined when the key is not an upload. */
export function datasetOfKey(key: string): string | undefined {
  return UPLOAD_KEY.exec(key)?.[1];
}

/**
 * @example
 * const outcome = await loadUpload(deps, { bucket: 'uploads-bucket', key: 'uploads/pref_climbers_5th/2025.csv' });
 */
export async function loadUpload(
  deps: UploadDeps,
  object: { readonly bucket: string; readonly key: string },
  opts: {
    readonly signal?: AbortSignal;
    readonly force?: boolean;
    readonly deadline?: number;
    /** Past this epoch ms the read stops at its next checkpoint and is handed on. */
    readonly handOverAt?: number;
    /** Goes on with a `continued` outcome's continuation (same object version). */
    readonly resume?: { readonly continuation: string; readonly etag: string };
  } = {},
): Promise<UploadOutcome> {
  const { bucket, key } = object;
  const log = deps.log ?? (() => {});
  const dataset = datasetOfKey(key);
  if (!dataset) return { bucket, key, status: 'ignored', error: 'not under uploads/<dataset>/' };
  const chosen = deps.contractFileDeps
    ? await chooseContract(deps.s3, bucket, dataset, deps.contracts, deps.contractFileDeps)
    : deps.contracts.has(dataset)
      ? { contract: deps.contracts.get(dataset)!, from: 'repository', passedOver: [] }
      : undefined;
  for (const p of chosen?.passedOver ?? [])
    log({ code: 'CONTRACT_INVALID', bucket, key, dataset, ...p });
  const contract = chosen?.contract;
  if (!contract) {
    const error = `no dataset contract named ${dataset} (known: ${[...deps.contracts.keys()].join(', ')})`;
    await tagObject(deps.s3, bucket, key, {
      'fuji-etl-status': 'failed',
      'fuji-etl-error': 'UNKNOWN_DATASET',
    });
    log({ code: 'UPLOAD_FAILED', bucket, key, error });
    return { bucket, key, dataset, status: 'failed', error };
  }
  const resume = opts.resume;
  // A resumed read opens the same version at its checkpoint, on the first read of the slice.
  const obj = resume
    ? { etag: resume.etag, body: undefined }
    : await openObject(deps.s3, bucket, key, { signal: opts.signal });
  const stateName = `object:${bucket}/${key}`;
  if (
    !resume &&
    !opts.force &&
    (await deps.store.getCursor(UPLOAD_CONNECTOR, stateName)) === obj.etag
  ) {
    destroy(obj.body);
    // The same bytes uploaded again arrive without tags (a put replaces them); a redelivered
    // event finds its tags in place and they are left alone, counts included.
    if (!(await objectTags(deps.s3, bucket, key))['fuji-etl-status']) {
      await tagObject(deps.s3, bucket, key, {
        'fuji-etl-status': 'processed',
        'fuji-etl-note': 'same bytes as an earlier load: nothing changed',
      });
    }
    log({ code: 'UPLOAD_UNCHANGED', bucket, key, etag: obj.etag });
    return { bucket, key, dataset, etag: obj.etag, status: 'unchanged' };
  }
  const known = { bucket, key, dataset, etag: obj.etag, contractFrom: chosen!.from };
  let opened = false;
  const openedAt = Date.now();
  const load = csvFileConnector(
    contract,
    {
      source: `s3://${bucket}/${key}`,
      version: obj.etag,
      ...('size' in obj && { size: obj.size }),
      notes: [`contract ${contract.name} from ${chosen!.from}`],
      // The first read uses the stream already open; a second pass reads the same ETag again.
      open: async (signal, from) => {
        // A stream left idle while the run waited for the dataset's lock may have been closed.
        const fresh = Date.now() - openedAt < STREAM_IDLE_MS;
        if (!opened && fresh && obj.body && !from) return ((opened = true), obj.body);
        if (!opened) destroy(obj.body);
        opened = true;
        return (await openObject(deps.s3, bucket, key, { signal, ifMatch: obj.etag, from })).body;
      },
    },
    UPLOAD_CONNECTOR,
  );
  let summary: RunSummary;
  try {
    summary = await runConnector(load.connector, deps, {
      signal: opts.signal,
      deadline: opts.deadline,
      // Uploads of one dataset that arrive together queue on the table's lock instead of
      // failing into the dead-letter queue: each waits its turn while its invocation has time.
      lockWaitUntil: (opts.deadline ?? Date.now() + LOCK_WAIT_MS) - LOCK_WAIT_MARGIN_MS,
      handOverAt: opts.handOverAt,
      resume: resume?.continuation,
    });
  } catch (err) {
    destroy(obj.body);
    // What an earlier invocation handed on is gone (its slice failed, or the sweeper took it):
    // read the file again from its start.
    if (resume && err instanceof ContinuationError) {
      log({ code: 'UPLOAD_RESTARTED', bucket, key, error: describeError(err) });
      return loadUpload(deps, object, { ...opts, resume: undefined, force: true });
    }
    // The run never got to the file (lock held, engine down): leave the object untagged for a retry.
    const e = describeError(err);
    log({ code: 'UPLOAD_FAILED', bucket, key, error: e });
    return {
      ...known,
      status: 'failed',
      error: e,
      retryable: err instanceof FujiEtlError ? err.retryable : true,
    };
  }
  const slice = summary.slices[0];
  const report = load.report();
  if (summary.continuation && slice) {
    log({ code: 'UPLOAD_CONTINUED', bucket, key, etag: obj.etag, runId: summary.runId, ...slice });
    return { ...known, status: 'continued', summary, continuation: summary.continuation };
  }
  if (summary.complete && slice) {
    await deps.store.putCursor(UPLOAD_CONNECTOR, stateName, obj.etag, summary.runId);
    await tagObject(deps.s3, bucket, key, {
      'fuji-etl-status': 'processed',
      'fuji-etl-run': summary.runId,
      'fuji-etl-loaded': String(slice.rowsLoaded),
      'fuji-etl-quarantined': String(slice.rowsQuarantined),
      'fuji-etl-contract': chosen!.from,
      ...(report && { 'fuji-etl-encoding': report.detection.encoding }),
      ...(report?.header?.map.unknown.length && {
        'fuji-etl-unknown-columns': report.header.map.unknown.join(' / '),
      }),
    });
    log({
      code: 'UPLOAD_LOADED',
      bucket,
      key,
      etag: obj.etag,
      runId: summary.runId,
      encoding: report?.detection.encoding,
      ...slice,
    });
    return { ...known, status: 'loaded', summary, ...(report && { report }) };
  }
  const error = slice?.error ?? 'the run stopped before the file';
  await tagObject(deps.s3, bucket, key, {
    'fuji-etl-status': 'failed',
    'fuji-etl-run': summary.runId,
    'fuji-etl-error': error.split(':')[0] ?? 'FAILED',
  });
  log({ code: 'UPLOAD_FAILED', bucket, key, etag: obj.etag, runId: summary.runId, error });
  return {
    ...known,
    status: 'failed',
    summary,
    error,
    ...(report && { report }),
    retryable: slice?.status === 'aborted',
  };
}

const destroy = (body: unknown) => (body as { destroy?: () => void } | undefined)?.destroy?.();
