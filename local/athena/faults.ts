/**
 * Faults the local Athena endpoint injects on request, so tests can prove the engine's retry
 * and abort paths against the real server instead of a mocked client: throttling at start,
 * queries that fail like a lost Iceberg commit race (without running), arbitrary failures, and
 * slow queries. Each applies only to statements matching `match` (a regular expression).
 */

export interface FailWith {
  readonly errorName: string;
  readonly message: string;
  readonly category: 1 | 2 | 3;
  readonly retryable: boolean;
  readonly count: number;
}

export interface FaultPlan {
  /** The next N matching StartQueryExecution calls answer TooManyRequestsException. */
  readonly throttle?: number;
  /** The next N matching queries end FAILED with ICEBERG_COMMIT_ERROR, nothing written. */
  readonly commitConflict?: number;
  readonly failWith?: FailWith;
  /** Every matching query stays RUNNING this long before it reaches Trino. */
  readonly slowMs?: number;
  readonly match?: string;
}

export interface FaultCounters {
  started: number;
  throttled: number;
  injectedFailures: number;
  slowed: number;
  stopped: number;
}

export type StartFault =
  | { kind: 'none'; slowMs: number }
  | { kind: 'throttle' }
  | { kind: 'fail'; errorName: string; message: string; category: 1 | 2 | 3; retryable: boolean };

function nonNegativeInt(v: unknown, name: string): number {
  if (v === undefined) return 0;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    throw new Error(`fault ${name} must be a non-negative integer`);
  }
  return v;
}

/** Validates a plan posted to `/__fuji/faults`; a typo must fail the test, not pass silently. */
export function parseFaultPlan(body: unknown): FaultPlan {
  if (typeof body !== 'object' || body === null) throw new Error('fault plan must be an object');
  const b = body as Record<string, unknown>;
  const known = ['throttle', 'commitConflict', 'failWith', 'slowMs', 'match'];
  const unknown = Object.keys(b).filter((k) => !known.includes(k));
  if (unknown.length > 0) throw new Error(`unknown fault fields: ${unknown.join(', ')}`);
  if (b.match !== undefined) {
    if (typeof b.match !== 'string') throw new Error('fault match must be a string');
    new RegExp(b.match); // throws on a bad pattern
  }
  const fw = b.failWith as Record<string, unknown> | undefined;
  if (fw !== undefined) {
    if (typeof fw.errorName !== 'string' || typeof fw.message !== 'string')
      throw new Error('failWith needs errorName and message');
    if (![1, 2, 3].includes(fw.category as number))
      throw new Error('failWith.category must be 1, 2 or 3');
    nonNegativeInt(fw.count, 'failWith.count');
  }
  return {
    throttle: nonNegativeInt(b.throttle, 'throttle'),
    commitConflict: nonNegativeInt(b.commitConflict, 'commitConflict'),
    slowMs: nonNegativeInt(b.slowMs, 'slowMs'),
    ...(fw && { failWith: fw as unknown as FailWith }),
    ...(typeof b.match === 'string' && { match: b.match }),
  };
}

export class Faults {
  private throttleLeft = 0;
  private conflictLeft = 0;
  private failLeft = 0;
  private failWith: FailWith | undefined;
  private slowMs = 0;
  private match: RegExp | undefined;
  counters: FaultCounters = Faults.zero();

  private static zero(): FaultCounters {
    return { started: 0, throttled: 0, injectedFailures: 0, slowed: 0, stopped: 0 };
  }

  /** Replaces the plan and resets the counters, so each test reads only its own. */
  set(plan: FaultPlan): void {
    this.throttleLeft = plan.throttle ?? 0;
    this.conflictLeft = plan.commitConflict ?? 0;
    this.failWith = plan.failWith;
    this.failLeft = plan.failWith?.count ?? 0;
    this.slowMs = plan.slowMs ?? 0;
    this.match = plan.match === undefined ? undefined : new RegExp(plan.match);
    this.counters = Faults.zero();
  }

  clear(): void {
    this.set({});
  }

  /** Decides the fate of one StartQueryExecution, consuming the plan as it goes. */
  onStart(sql: string): StartFault {
    this.counters.started++;
    if (this.match && !this.match.test(sql)) return { kind: 'none', slowMs: 0 };
    if (this.throttleLeft > 0) {
      this.throttleLeft--;
      this.counters.throttled++;
      return { kind: 'throttle' };
    }
    if (this.conflictLeft > 0) {
      this.conflictLeft--;
      this.counters.injectedFailures++;
      return {
        kind: 'fail',
        errorName: 'ICEBERG_COMMIT_ERROR',
        message: 'Failed to commit Iceberg update to table: injected commit conflict',
        category: 1,
        // Athena does not promise the flag here; the engine must recognise the error by name.
        retryable: false,
      };
    }
    if (this.failWith && this.failLeft > 0) {
      this.failLeft--;
      this.counters.injectedFailures++;
      const { errorName, message, category, retryable } = this.failWith;
      return { kind: 'fail', errorName, message, category, retryable };
    }
    if (this.slowMs > 0) this.counters.slowed++;
    return { kind: 'none', slowMs: this.slowMs };
  }
}
