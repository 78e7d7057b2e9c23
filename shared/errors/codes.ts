/**
 * Every error code of the suite, closed: a `FujiEtlError` takes an `ErrorCode`, so a typo or a
 * new code without its line here fails to compile. The codes are stable strings (the ledger's
 * `error` column, dashboards and tests read them); docs/codes.md is generated from this list.
 *
 * `retryable` is the default of the code's throw sites: `depends` when the marker is set per
 * failure (an HTTP 5xx is retried, a 404 is not). The runtime and the Lambda boundary read the
 * marker on the error, never this table.
 */

export type RetryableByDefault = boolean | 'depends';

export interface CodeDoc {
  readonly retryable: RetryableByDefault;
  /** One line: what went wrong, and what retrying (or not) means for it. */
  readonly doc: string;
}

export const ERROR_CODES = {
  // Inputs: the same input fails the same way.
  CONFIG: {
    retryable: false,
    doc: 'A setting is missing or malformed; raised at start-up, before any call.',
  },
  BAD_EVENT: {
    retryable: false,
    doc: 'A Lambda event is malformed (unknown connector, bad range, missing field); the event is logged.',
  },
  USAGE: {
    retryable: false,
    doc: 'A command line or operator input the CLI cannot act on (unknown command, bad flag, bad snapshot id or time).',
  },

  // Engine (Athena locally Trino).
  ENGINE_QUERY_FAILED: {
    retryable: 'depends',
    doc: 'A query FAILED or was CANCELLED; retryable when Athena marks the failure transient (commit conflict, internal error).',
  },
  ENGINE_THROTTLED: {
    retryable: true,
    doc: 'Athena refused to start the query (TooManyRequests) through every retry.',
  },
  ENGINE_TRANSPORT: {
    retryable: true,
    doc: 'The connection to Athena kept failing (reset, refused, timed out, 5xx) through every retry of one call.',
  },
  ENGINE_TIMEOUT: { retryable: true, doc: 'A query outlived the engine timeout and was stopped.' },
  ENGINE_ABORTED: {
    retryable: true,
    doc: "The caller's signal (Lambda's early timeout) stopped the query.",
  },

  // Tables, SQL and the write path.
  TABLE_MODEL: {
    retryable: false,
    doc: 'A table model is invalid (names, partitioning, key); a code fix.',
  },
  SQL_LITERAL: {
    retryable: false,
    doc: "A value cannot become a SQL literal of its column's type; the row is quarantined.",
  },
  SQL_IDENTIFIER: {
    retryable: false,
    doc: 'A name is not a valid identifier (^[a-z][a-z0-9_]{0,62}$).',
  },
  SCHEMA_DRIFT: {
    retryable: false,
    doc: 'A table in the catalogue differs from its model in a way the writer will not evolve.',
  },
  NO_SCOPE: {
    retryable: false,
    doc: 'A table written with replace got no scope from the slice; a connector bug.',
  },
  NO_STAGING: {
    retryable: false,
    doc: 'A batch too large for one statement, and no staging area configured.',
  },
  STAGING: {
    retryable: 'depends',
    doc: 'The staging area (S3 parts, Glue tables) failed (retryable), or a stage name is invalid (not).',
  },
  CONTINUATION: {
    retryable: false,
    doc: 'A handed-on slice cannot go on (its continuation is gone, changed or names another slice).',
  },

  // State and locks.
  LOCK_HELD: {
    retryable: true,
    doc: 'Another run holds a table lock; a later attempt finds it free.',
  },
  LOCK_LOST: {
    retryable: true,
    doc: 'This run no longer holds its lock (expired or taken over); it stopped before writing.',
  },
  LOCK_LIVE: {
    retryable: false,
    doc: 'An operator asked to release a lock whose holder is alive (heartbeating); --force releases it.',
  },

  // AWS calls.
  SECRET: {
    retryable: 'depends',
    doc: 'A secret cannot be read: missing or empty (not retried) or a passing failure (retried).',
  },
  S3_GET: {
    retryable: 'depends',
    doc: 'An object cannot be read: NoSuchKey or AccessDenied (not retried), otherwise retried.',
  },
  INVOKE: { retryable: true, doc: 'An asynchronous Lambda invoke was not accepted.' },
  CFN_RESPONSE: {
    retryable: true,
    doc: 'The CloudFormation response URL did not accept the custom resource answer.',
  },

  // Sources over HTTP.
  HTTP_STATUS: {
    retryable: 'depends',
    doc: 'A source answered an HTTP error: 429 and 5xx are retried, other statuses are not.',
  },
  HTTP_TRANSPORT: { retryable: true, doc: 'No answer from a source (DNS, connection, timeout).' },
  HTTP_PAGING: {
    retryable: false,
    doc: 'Paging did not end where it should (more pages than possible, a page repeated).',
  },
  HTTP_MEMBER_STOPPED: {
    retryable: false,
    doc: 'A member (property, resource) was stopped earlier in this run; its later requests are not sent.',
  },
  SOURCE_SHAPE: {
    retryable: false,
    doc: 'A payload does not have the shape the parser expects (URL and JSON path named).',
  },
  ALL_MEMBERS_FAILED: {
    retryable: 'depends',
    doc: 'Every member of a slice failed; retryable when any member failed for a passing reason.',
  },

  // GA4.
  GA4_REQUEST: {
    retryable: 'depends',
    doc: 'The GA4 Data API refused a request (5xx retried; 400/403 stop the run).',
  },
  GA4_REFUSED: {
    retryable: false,
    doc: 'A GA4 property refused access earlier in this run; its other days are not asked (stops the run).',
  },
  GA4_QUOTA: {
    retryable: false,
    doc: 'Not a failure: the GA4 quota is (nearly) spent; the slice is deferred to the next run.',
  },
  GA4_UNSTABLE: {
    retryable: true,
    doc: "A GA4 report's rowCount kept changing while it was paged.",
  },
  GA4_SAMPLED: {
    retryable: false,
    doc: 'GA4 sampled the report and FUJI_ETL_GA4_ON_SAMPLED is fail.',
  },

  // Shizuoka open data.
  OPENDATA_NOT_FOUND: {
    retryable: false,
    doc: 'A registered dataset is no longer in the open data catalogue.',
  },
  OPENDATA_TOO_LARGE: {
    retryable: false,
    doc: 'An open data resource is over FUJI_ETL_OPENDATA_MAX_BYTES.',
  },

  // Uploaded files (the same bytes fail the same way: the object is tagged failed).
  CONTRACT_FILE: { retryable: false, doc: 'A dataset contract file is invalid.' },
  CSV_ENCODING: { retryable: false, doc: "A file is not in the contract's encoding." },
  CSV_BINARY: { retryable: false, doc: 'A file has binary content where CSV was expected.' },
  CSV_HEADER: { retryable: false, doc: "A file's header does not match the contract's columns." },
  CSV_RESUME: {
    retryable: false,
    doc: 'A read cannot go on part-way (a UTF-16 file, a checkpoint of another format).',
  },
  XLSX_INVALID: { retryable: false, doc: 'A workbook cannot be read as XLSX.' },
  XLSX_SHEET: { retryable: false, doc: "A workbook lacks the contract's sheet." },
  XLSX_TOO_LARGE: { retryable: false, doc: 'A workbook is over the size read in memory.' },
  REPLAY_ID: {
    retryable: false,
    doc: 'A quarantine record does not match its content id; it is not replayed.',
  },

  // Operators' tools.
  RESTORE: {
    retryable: 'depends',
    doc: 'A restore refused (the table changed since the plan, over 100 partitions) or failed in the engine.',
  },
  STATE_NOT_FOUND: {
    retryable: false,
    doc: "No snapshot at or before the time asked, or it left the table's restore window.",
  },
  NO_KEY: { retryable: false, doc: 'A table without a key cannot be compared row by row (diff).' },

  // A function's summary of failures it recorded elsewhere (the ledger, the object's tags).
  RUN_FAILED: {
    retryable: 'depends',
    doc: 'A scheduled run failed a slice; retryable when any failed slice was (see the run ledger).',
  },
  BACKFILL_FAILED: {
    retryable: 'depends',
    doc: 'A backfill run failed a slice; retryable when any failed slice was.',
  },
  REPLAY_FAILED: { retryable: true, doc: 'A quarantine replay failed a slice.' },
  UPLOAD_RETRY: {
    retryable: true,
    doc: 'An upload failed for a passing reason (engine, lock, S3); Lambda retries the event.',
  },

  // The local stack (never deployed).
  PROVISION: {
    retryable: 'depends',
    doc: 'Installing a local stack component (Trino, moto, Postgres) failed.',
  },
  POSTGRES: { retryable: false, doc: 'The local Postgres cluster cannot start or answer.' },
  STACK_START: { retryable: true, doc: 'A local stack service did not become healthy in time.' },
} as const satisfies Record<string, CodeDoc>;

/** A stable error code: the first word of every error line and the ledger's `error`. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** True for a string that is one of the codes (for text read back from the ledger). */
export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CODES, code);
}
