/**
 * Every log event of the suite, closed: the runtime, the connectors and the functions log
 * `RunEvent`s through a `RunLog`, so an unknown code fails to compile, and the events the Lambda
 * observer turns into metrics carry the fields it reads. The codes are stable strings (log
 * queries, dashboards and tests read them); docs/codes.md is generated from this list.
 */
import type { ErrorCode } from './codes.ts';

export type EventLevel = 'info' | 'warn' | 'error';

export interface EventDoc {
  /** The level logged (a slice event may rise with its status: failed is an error, partial a warning). */
  readonly level: EventLevel;
  /** One line: what happened, and what an operator does with it. */
  readonly doc: string;
  /** CloudWatch metrics the Lambda observer emits for it (shared/lambda/observe.ts). */
  readonly metrics?: readonly string[];
}

export const RUN_EVENTS = {
  // The runtime (shared/runtime/run.ts).
  SLICE_DONE: {
    level: 'info',
    doc: 'A slice ended (succeeded, partial, failed, aborted, deferred, continued) with its counts; the ledger row beside it.',
    metrics: ['RowsLoaded', 'RowsQuarantined', 'SlicesFailed', 'MembersFailed', 'TableLanded'],
  },
  MEMBER_GAVE_UP: {
    level: 'warn',
    doc: 'A member failed every re-read of a past slice; the runtime stops owing it (ledger row `<slice> <member>`).',
    metrics: ['MembersGivenUp'],
  },
  RUN_PLANNED: {
    level: 'info',
    doc: 'A run planned its slices (how many) after its settings, tables and locks; progress counts from it.',
  },
  MEMBERS_FAILING: {
    level: 'warn',
    doc: "Members failing at the end of a run (stations, properties, resources) with their reasons; the alarm's metric.",
    metrics: ['MembersFailing'],
  },

  // The scheduled function.
  RUN_DONE: {
    level: 'info',
    doc: "A connector's run ended: the summary line (failed and partial slices, the last landed).",
  },
  STAGING_SWEPT: { level: 'info', doc: 'Stages a crashed run left (a day old) were dropped.' },
  STAGING_SWEEP_FAILED: {
    level: 'error',
    doc: 'The staging sweep failed; the bucket lifecycle rule is the backstop.',
  },
  TABLE_FRESHNESS: {
    level: 'info',
    doc: "A table's newest data time and state (fresh, late, stale, failing) after a run; the freshness alarms read its metric.",
    metrics: ['NewestDataAge', 'TableStale'],
  },
  FRESHNESS_CHECK_FAILED: {
    level: 'error',
    doc: 'Freshness could not be read; no metric, so the alarm (missing data breaches) fires if it persists.',
  },

  // Uploads (connectors/csv_upload, functions/csv_upload).
  CONTRACT_INVALID: {
    level: 'info',
    doc: 'A newer dataset contract is invalid and was passed over; the previous version is used.',
  },
  UPLOAD_LOADED: {
    level: 'info',
    doc: "An uploaded object landed through its dataset's contract.",
  },
  UPLOAD_UNCHANGED: {
    level: 'info',
    doc: 'An object with the same ETag was already loaded; nothing to do.',
  },
  UPLOAD_FAILED: {
    level: 'error',
    doc: 'An uploaded object failed; it is tagged failed (not retried when the file itself is wrong).',
  },
  UPLOAD_RESTARTED: {
    level: 'info',
    doc: 'A handed-on upload could not go on (the object changed); it is read again from the start.',
  },
  UPLOAD_CONTINUED: {
    level: 'info',
    doc: 'An upload too large for one invocation stopped at a checkpoint; its parts are kept.',
  },
  UPLOAD_HANDED_ON: {
    level: 'info',
    doc: 'The next invocation of a handed-on upload was invoked.',
  },

  // Backfills.
  BACKFILL_COMPLETE: {
    level: 'info',
    doc: 'Every slice of the range landed; its progress cursor is dropped.',
  },
  BACKFILL_CONTINUED: {
    level: 'info',
    doc: 'The backfill invoked itself to go on with the rest of the range.',
  },
  BACKFILL_STOPPED: {
    level: 'info',
    doc: 'The backfill stopped before the end of the range (nothing landed, or the hop limit); invoke it again.',
  },

  // Operators' functions.
  REPLAY_DONE: {
    level: 'info',
    doc: "A contract's quarantined rows were replayed (counts, or its error).",
  },
  RESTORE_PLANNED: { level: 'info', doc: 'A restore dry run: what it would change.' },
  RESTORE_APPLIED: { level: 'info', doc: 'A restore was applied in one commit.' },
  REPORT_WRITTEN: { level: 'info', doc: 'The HTML report and the analytics tables were rebuilt.' },
  CUSTOM_RESOURCE_DONE: {
    level: 'info',
    doc: 'A CloudFormation custom resource was answered SUCCESS.',
  },
  CUSTOM_RESOURCE_FAILED: {
    level: 'error',
    doc: 'A CloudFormation custom resource was answered FAILED (its reason in the stack events).',
  },

  // The Lambda boundary (shared/lambda/handler.ts).
  INVOCATION_NOT_RETRIED: {
    level: 'error',
    doc: 'An invocation failed with an error marked not retryable: answered, not thrown, so Lambda spends no retry and no failure-queue message on it; its alarm pages.',
    metrics: ['InvocationsNotRetried'],
  },
} as const satisfies Record<string, EventDoc>;

export type RunEventCode = keyof typeof RUN_EVENTS;

/** The fields the observer reads, per event; every other event carries free context. */
interface EventFields {
  SLICE_DONE: {
    readonly connector: string;
    readonly tables: readonly string[];
    readonly status: string;
    readonly rowsLoaded: number;
    readonly rowsQuarantined: number;
    readonly membersFailed: number;
  };
  MEMBER_GAVE_UP: { readonly connector: string; readonly member: string };
  MEMBERS_FAILING: { readonly connector: string; readonly members: readonly unknown[] };
  TABLE_FRESHNESS: {
    readonly connector: string;
    readonly table: string;
    readonly state: string;
    readonly ageHours?: number;
  };
  INVOCATION_NOT_RETRIED: {
    readonly functionName: string;
    readonly errorCode: ErrorCode;
    readonly errorType: string;
    readonly error: string;
  };
}

/**
 * One log event: its code and the context logged with it (never a secret or a whole payload).
 *
 * @example
 * const log: RunLog = (e) => console.log(JSON.stringify(e));
 * log({ code: 'RUN_DONE', connector: 'jma_amedas', ok: true });
 */
export type RunEvent = {
  [C in RunEventCode]: { readonly code: C } & (C extends keyof EventFields
    ? EventFields[C]
    : unknown) & { readonly [field: string]: unknown };
}[RunEventCode];

/** Where events go: the Lambda observer (logs and metrics), the CLI, or nowhere in tests. */
export type RunLog = (event: RunEvent) => void;

/** The level an event is logged at: its code's, raised by a failed or partial status. */
export function eventLevel(event: RunEvent): EventLevel {
  if (event.status === 'failed') return 'error';
  const level = RUN_EVENTS[event.code].level;
  if (level === 'info' && event.status === 'partial') return 'warn';
  return level;
}
