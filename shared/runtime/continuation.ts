/**
 * A slice handed from one invocation to the next: what its writers staged, what the source read
 * so far and where it stands, kept beside the stages in the staging area (so the sweeper removes
 * it with them if nobody comes back). The next invocation takes the same run id, the same table
 * locks (by owner) and the same stages, and the slice commits once, at its end.
 */
import { FujiEtlError } from '../errors/index.ts';
import type { StagingArea } from '../writer/staging.ts';
import type { WriterCheckpoint } from '../writer/table-writer.ts';
import type { MemberFailure, Resumable } from './connector.ts';
import type { QuarantineCheckpoint } from './quarantine.ts';

export interface Continuation {
  readonly version: 1;
  readonly runId: string;
  readonly connector: string;
  readonly slice: string;
  readonly startedAt: string;
  /** The number of the invocation that goes on with it (the first hand-over: 2). */
  readonly invocations: number;
  readonly counts: {
    readonly rowsRead: number;
    readonly rowsSkipped: number;
    readonly rowsLoaded: number;
  };
  readonly failures: readonly MemberFailure[];
  readonly members: readonly string[];
  readonly notes: readonly string[];
  /** The slice's staged state (SliceState.set), saved when it lands. */
  readonly state: readonly (readonly [string, string])[];
  readonly writers: readonly WriterCheckpoint[];
  readonly quarantine: QuarantineCheckpoint;
  readonly position: unknown;
  readonly blobs: readonly string[];
}

export interface LoadedContinuation {
  readonly name: string;
  readonly doc: Continuation;
  readonly resume: Resumable;
}

export class ContinuationError extends FujiEtlError {
  constructor(message: string, context: Record<string, unknown>) {
    // A continuation that is gone (swept, or its slice failed) is not worth retrying as is:
    // the caller starts the source again from its beginning.
    super('CONTINUATION', message, { retryable: false, context });
  }
}

const DOC = 'continuation.json';
const blobFile = (name: string) => `blob-${name}.bin`;

export async function keepContinuation(
  staging: StagingArea,
  doc: Omit<Continuation, 'blobs' | 'position' | 'version'>,
  at: Resumable,
): Promise<string> {
  const blobs = at.blobs ?? {};
  const full: Continuation = {
    version: 1,
    ...doc,
    position: at.state,
    blobs: Object.keys(blobs),
  };
  return staging.keep(`continue_${doc.connector}`, {
    [DOC]: JSON.stringify(full),
    ...Object.fromEntries(Object.entries(blobs).map(([k, v]) => [blobFile(k), v])),
  });
}

export async function loadContinuation(
  staging: StagingArea,
  name: string,
  connector: string,
): Promise<LoadedContinuation> {
  let doc: Continuation;
  try {
    doc = JSON.parse(new TextDecoder().decode(await staging.kept(name, DOC))) as Continuation;
  } catch (err) {
    throw new ContinuationError(`continuation ${name} is gone or unreadable: ${String(err)}`, {
      continuation: name,
    });
  }
  if (doc.version !== 1 || doc.connector !== connector)
    throw new ContinuationError(`continuation ${name} is not one of ${connector}`, {
      continuation: name,
      connector: doc.connector,
    });
  const blobs: Record<string, Uint8Array> = {};
  for (const b of doc.blobs) blobs[b] = await staging.kept(name, blobFile(b));
  return { name, doc, resume: { state: doc.position, blobs } };
}
