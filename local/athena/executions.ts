/**
 * Query executions of the local Athena endpoint: each StartQueryExecution becomes one Trino
 * statement running in the background, observed through Athena's states (QUEUED, RUNNING,
 * SUCCEEDED, FAILED, CANCELLED) and AthenaError, kept in memory for an hour.
 */
import { randomUUID } from 'node:crypto';
import { toTrinoSql, trinoCatalogOf } from './catalogs.ts';
import type { Faults } from './faults.ts';
import type { TrinoClient, TrinoError, TrinoOutcome } from './trino-client.ts';

export type QueryState = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';

export interface Failure {
  readonly errorName: string;
  readonly message: string;
  /** 1 SYSTEM, 2 USER, 3 OTHER (Athena's ErrorCategory). */
  readonly category: 1 | 2 | 3;
  /** Athena's ErrorType code (see the Athena error catalog). */
  readonly type: number;
  readonly retryable: boolean;
}

export interface StartRequest {
  readonly sql: string;
  readonly clientRequestToken?: string;
  readonly catalog?: string;
  readonly database?: string;
  readonly workGroup?: string;
  readonly outputLocation?: string;
}

export interface Execution {
  readonly id: string;
  readonly request: StartRequest;
  readonly statementType: 'DML' | 'DDL' | 'UTILITY';
  readonly submittedAt: number;
  state: QueryState;
  startedAt?: number;
  completedAt?: number;
  failure?: Failure;
  outcome?: TrinoOutcome;
  readonly abort: AbortController;
}

/** The request asked for a fault that happens before any query exists. */
export class ThrottledError extends Error {
  override readonly name = 'TooManyRequestsException';
}

/** Athena's InvalidRequestException (bad id, token reused for another query…). */
export class InvalidRequestError extends Error {
  override readonly name = 'InvalidRequestException';
}

const RETENTION_MS = 60 * 60_000;

function statementType(sql: string): Execution['statementType'] {
  const word = /^[\s(]*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? '';
  if (['CREATE', 'ALTER', 'DROP', 'MSCK', 'OPTIMIZE', 'VACUUM'].includes(word)) return 'DDL';
  if (['SHOW', 'DESCRIBE', 'EXPLAIN', 'USE'].includes(word)) return 'UTILITY';
  return 'DML';
}

/**
 * Trino's error classes mapped onto Athena's categories and types. A lost Iceberg commit race
 * is ErrorType 233 (Iceberg error) in Athena's catalog; user mistakes are category 2, type 1000.
 */
export function mapTrinoError(e: TrinoError): Failure {
  const base = { errorName: e.errorName, message: e.message };
  if (e.errorName.startsWith('ICEBERG_'))
    return { ...base, category: 1, type: 233, retryable: false };
  switch (e.errorType) {
    case 'USER_ERROR':
      return { ...base, category: 2, type: 1000, retryable: false };
    case 'INSUFFICIENT_RESOURCES':
      return { ...base, category: 1, type: 0, retryable: true };
    case 'EXTERNAL':
      return { ...base, category: 1, type: 200, retryable: false };
    default:
      return { ...base, category: 1, type: 200, retryable: false };
  }
}

export class Executions {
  private readonly byId = new Map<string, Execution>();
  private readonly byToken = new Map<string, string>();
  private readonly trino: TrinoClient;
  private readonly faults: Faults;

  constructor(trino: TrinoClient, faults: Faults) {
    this.trino = trino;
    this.faults = faults;
  }

  /** Athena's idempotency: the same token returns the same execution instead of a new one. */
  start(req: StartRequest): Execution {
    this.sweep();
    const token = req.clientRequestToken;
    if (token !== undefined) {
      const known = this.byToken.get(token);
      const existing = known === undefined ? undefined : this.byId.get(known);
      if (existing) {
        if (existing.request.sql !== req.sql) {
          throw new InvalidRequestError(
            'Idempotent parameters do not match: ClientRequestToken was used for another query',
          );
        }
        return existing;
      }
    }
    const fault = this.faults.onStart(req.sql);
    if (fault.kind === 'throttle') {
      throw new ThrottledError('Rate exceeded (injected by the local Athena endpoint)');
    }
    const exec: Execution = {
      id: randomUUID(),
      request: req,
      statementType: statementType(req.sql),
      submittedAt: Date.now(),
      state: 'QUEUED',
      abort: new AbortController(),
    };
    this.byId.set(exec.id, exec);
    if (token !== undefined) this.byToken.set(token, exec.id);
    if (fault.kind === 'fail') {
      const { errorName, message, category, retryable } = fault;
      const type = errorName === 'ICEBERG_COMMIT_ERROR' ? 233 : 1000;
      this.finish(exec, 'FAILED', { errorName, message, category, retryable, type });
    } else {
      void this.run(exec, fault.slowMs);
    }
    return exec;
  }

  get(id: string): Execution {
    const exec = this.byId.get(id);
    if (!exec) throw new InvalidRequestError(`QueryExecution ${id} was not found`);
    return exec;
  }

  stop(id: string): void {
    const exec = this.get(id);
    if (exec.state === 'QUEUED' || exec.state === 'RUNNING') {
      this.faults.counters.stopped++;
      this.finish(exec, 'CANCELLED');
      exec.abort.abort(new Error('StopQueryExecution'));
    }
  }

  private async run(exec: Execution, slowMs: number): Promise<void> {
    exec.state = 'RUNNING';
    exec.startedAt = Date.now();
    const signal = exec.abort.signal;
    try {
      if (slowMs > 0) await abortableDelay(slowMs, signal);
      const catalog = trinoCatalogOf(exec.request.catalog);
      if (catalog === undefined) {
        this.finish(exec, 'FAILED', {
          errorName: 'CATALOG_NOT_FOUND',
          message: `Catalog '${exec.request.catalog}' does not exist`,
          category: 2,
          type: 1000,
          retryable: false,
        });
        return;
      }
      const outcome = await this.trino.run(
        toTrinoSql(exec.request.sql),
        { catalog, schema: exec.request.database },
        signal,
      );
      exec.outcome = outcome;
      if (outcome.error) this.finish(exec, 'FAILED', mapTrinoError(outcome.error));
      else this.finish(exec, 'SUCCEEDED');
    } catch (err) {
      if (signal.aborted) return; // already CANCELLED by stop()
      this.finish(exec, 'FAILED', {
        errorName: 'GENERIC_INTERNAL_ERROR',
        message: `local Trino unreachable: ${err instanceof Error ? err.message : String(err)}`,
        category: 1,
        type: 100,
        retryable: true,
      });
    }
  }

  private finish(exec: Execution, state: QueryState, failure?: Failure): void {
    if (exec.state === 'CANCELLED' || exec.state === 'FAILED' || exec.state === 'SUCCEEDED') return;
    exec.state = state;
    exec.completedAt = Date.now();
    if (failure) exec.failure = failure;
  }

  private sweep(): void {
    const cutoff = Date.now() - RETENTION_MS;
    for (const [id, e] of this.byId) {
      if (e.submittedAt >= cutoff) break; // insertion order is submission order
      this.byId.delete(id);
      const token = e.request.clientRequestToken;
      if (token !== undefined) this.byToken.delete(token);
    }
  }
}

function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(signal.reason as Error);
      },
      { once: true },
    );
  });
}
