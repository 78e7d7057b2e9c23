/**
 * The Athena engine: the only place SQL leaves the process. It uses the unmodified
 * `@aws-sdk/client-athena`; locally the same code talks to the Athena-compatible server in
 * front of Trino, with only the endpoint changed.
 *
 * Retries belong here, not in the SDK (the client is built with maxAttempts 1), so there is one
 * policy, bounded and jittered, and every retry is counted: TooManyRequestsException when
 * starting, and FAILED queries that are ICEBERG_COMMIT_ERROR (a lost commit race: nothing was
 * written, so the whole statement is safe to run again) or that Athena marks Retryable, and
 * each call sent again after a failure on the wire (transport.ts): a warm Lambda's stale
 * keep-alive socket used to fail the whole statement.
 */
import { randomUUID } from 'node:crypto';
import {
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type AthenaClient,
  type QueryExecution,
} from '@aws-sdk/client-athena';
import { decodeValue } from './decode.ts';
import {
  QueryAbortedError,
  QueryFailedError,
  QueryThrottledError,
  QueryTimeoutError,
  QueryTransportError,
  type StatementKind,
} from './errors.ts';
import { backoff, sleep } from './sleep.ts';
import { withTransportRetry } from './transport.ts';
import { assertCatalog, TableNames } from '../sql/table-names.ts';

export interface EngineOptions {
  readonly client: AthenaClient;
  /** The context catalog, e.g. `s3tablescatalog/<table bucket>` (the lake's). */
  readonly catalog: string;
  /**
   * Namespaces whose tables live in another catalog (their domain's table bucket): statements
   * name those tables with the catalog in front ({@link TableNames}).
   */
  readonly namespaces?: Readonly<Record<string, string>>;
  readonly workGroup: string;
  /** Only when the workgroup does not enforce one. */
  readonly outputLocation?: string;
  readonly pollInitialMs?: number;
  readonly pollMaxMs?: number;
  readonly maxAttempts?: number;
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
  /** Overall limit for one statement, all attempts included. */
  readonly timeoutMs?: number;
  /** Sends of one call that failed on the wire (transport.ts) before the statement fails. */
  readonly transportTries?: number;
}

export interface QueryOptions {
  readonly kind?: StatementKind;
  readonly database?: string;
  /**
   * The statement's context catalog when not the engine's: DDL and information_schema of a
   * namespace in another table bucket (`engine.names.catalogOf(namespace)`).
   */
  readonly catalog?: string;
  readonly signal?: AbortSignal;
  /** Fetch and decode the result rows (SELECT); DML only needs the update count. */
  readonly fetchRows?: boolean;
}

export interface Column {
  readonly name: string;
  readonly type: string;
}

export interface QueryResult {
  readonly queryId: string;
  readonly columns: readonly Column[];
  /** Decoded values (see decode.ts). */
  readonly rows: readonly (readonly unknown[])[];
  /** The text Athena returned, null for NULL: what the CLI prints. */
  readonly text: readonly (readonly (string | null)[])[];
  readonly updateCount: number | undefined;
  readonly dataScannedBytes: number | undefined;
  readonly engineMs: number | undefined;
  readonly attempts: number;
  /** Calls sent again after a transport failure (a reset or stale connection, a 5xx). */
  readonly transportRetries: number;
}

type Tuning = Required<
  Omit<EngineOptions, 'client' | 'catalog' | 'namespaces' | 'workGroup' | 'outputLocation'>
>;

const DEFAULTS: Tuning = {
  pollInitialMs: 100,
  pollMaxMs: 2_000,
  maxAttempts: 6,
  retryBaseMs: 200,
  retryMaxMs: 10_000,
  timeoutMs: 15 * 60_000,
  transportTries: 4,
};

/** One statement's signal and its count of resent calls. */
interface Call {
  readonly signal: AbortSignal;
  readonly kind: StatementKind;
  transportRetries: number;
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function inferKind(sql: string): StatementKind {
  const word = /^\s*(\w+)/.exec(sql)?.[1]?.toLowerCase();
  switch (word) {
    case 'select':
    case 'with':
    case 'values':
    case 'show':
    case 'describe':
      return 'select';
    case 'merge':
      return 'merge';
    case 'insert':
      return 'insert';
    case 'delete':
      return 'delete';
    case 'create':
    case 'alter':
    case 'drop':
      return 'ddl';
    default:
      return 'other';
  }
}

function isThrottle(err: unknown): boolean {
  return (
    err instanceof Error &&
    (err.name === 'TooManyRequestsException' || err.name === 'ThrottlingException')
  );
}

function retryableFailure(q: QueryExecution): boolean {
  const reason = q.Status?.StateChangeReason ?? q.Status?.AthenaError?.ErrorMessage ?? '';
  return q.Status?.AthenaError?.Retryable === true || /ICEBERG_COMMIT_ERROR/.test(reason);
}

export class AthenaEngine {
  private readonly opts: EngineOptions & Tuning;
  /** How statements name a table, given the catalog its namespace lives in. */
  readonly names: TableNames;

  constructor(opts: EngineOptions) {
    this.opts = { ...DEFAULTS, ...stripUndefined(opts) };
    this.names = new TableNames({ catalog: opts.catalog, namespaces: opts.namespaces });
  }

  /**
   * Runs one statement to completion and returns its result.
   *
   * @example
   * const r = await engine.query('SELECT count(*) FROM "weather"."jma_forecast"');
   * console.log(r.rows[0][0]);
   */
  async query(sql: string, options: QueryOptions = {}): Promise<QueryResult> {
    const kind = options.kind ?? inferKind(sql);
    const deadline = Date.now() + this.opts.timeoutMs;
    const timeout = AbortSignal.timeout(this.opts.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const call: Call = { signal, kind, transportRetries: 0 };
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.opts.maxAttempts; attempt++) {
      if (attempt > 1) {
        await this.pause(attempt - 1, signal, kind, attempt, deadline);
      }
      let queryId: string;
      try {
        queryId = await this.start(sql, options, call);
      } catch (err) {
        if (isThrottle(err)) {
          lastError = err;
          continue;
        }
        if (signal.aborted) throw this.abortError(kind, undefined, attempt, deadline, err);
        throw err;
      }
      const execution = await this.waitFor(queryId, call, attempt, deadline);
      const state = execution.Status?.State;
      if (state === 'SUCCEEDED') {
        return this.results(
          queryId,
          execution,
          kind,
          attempt,
          options.fetchRows ?? kind === 'select',
          call,
        );
      }
      const failure = new QueryFailedError({
        queryId,
        state: state ?? 'UNKNOWN',
        stateReason:
          execution.Status?.StateChangeReason ??
          execution.Status?.AthenaError?.ErrorMessage ??
          'no reason given',
        statementKind: kind,
        errorCategory: execution.Status?.AthenaError?.ErrorCategory,
        errorType: execution.Status?.AthenaError?.ErrorType,
        retryable: state === 'FAILED' && retryableFailure(execution),
        attempts: attempt,
      });
      if (!failure.retryable) throw failure;
      lastError = failure;
    }
    if (isThrottle(lastError)) {
      throw new QueryThrottledError(
        { statementKind: kind, attempts: this.opts.maxAttempts },
        lastError,
      );
    }
    throw lastError;
  }

  private async pause(
    n: number,
    signal: AbortSignal,
    kind: StatementKind,
    attempt: number,
    deadline: number,
  ) {
    try {
      await sleep(backoff(n, this.opts.retryBaseMs, this.opts.retryMaxMs), signal);
    } catch (err) {
      throw this.abortError(kind, undefined, attempt, deadline, err);
    }
  }

  private abortError(
    kind: StatementKind,
    queryId: string | undefined,
    attempts: number,
    deadline: number,
    cause: unknown,
  ) {
    const ctx = { statementKind: kind, queryId, attempts };
    return Date.now() >= deadline - 5
      ? new QueryTimeoutError(ctx, this.opts.timeoutMs)
      : new QueryAbortedError(ctx, cause);
  }

  /** Sends one call, again after a transport failure (safe for every call made here). */
  private send<O>(name: string, call: Call, request: (abortSignal: AbortSignal) => Promise<O>) {
    return withTransportRetry(() => request(call.signal), {
      tries: this.opts.transportTries,
      baseMs: this.opts.retryBaseMs,
      capMs: this.opts.retryMaxMs,
      signal: call.signal,
      onRetry: () => call.transportRetries++,
      exhausted: (err, tries) =>
        new QueryTransportError({ statementKind: call.kind, call: name, tries }, err),
    });
  }

  private async start(sql: string, options: QueryOptions, call: Call): Promise<string> {
    // A fresh token per attempt: reusing one would return the failed execution again. A resend
    // after a transport failure keeps it, so Athena answers with the execution it may have made.
    const command = new StartQueryExecutionCommand({
      QueryString: sql,
      ClientRequestToken: randomUUID(),
      QueryExecutionContext: {
        Catalog: options.catalog === undefined ? this.opts.catalog : assertCatalog(options.catalog),
        ...(options.database && { Database: options.database }),
      },
      WorkGroup: this.opts.workGroup,
      ...(this.opts.outputLocation && {
        ResultConfiguration: { OutputLocation: this.opts.outputLocation },
      }),
    });
    const out = await this.send('StartQueryExecution', call, (abortSignal) =>
      this.opts.client.send(command, { abortSignal }),
    );
    return out.QueryExecutionId!;
  }

  private async waitFor(
    queryId: string,
    call: Call,
    attempt: number,
    deadline: number,
  ): Promise<QueryExecution> {
    const { signal, kind } = call;
    let delay = this.opts.pollInitialMs;
    for (;;) {
      try {
        const { QueryExecution: q } = await this.send('GetQueryExecution', call, (abortSignal) =>
          this.opts.client.send(new GetQueryExecutionCommand({ QueryExecutionId: queryId }), {
            abortSignal,
          }),
        );
        const state = q?.Status?.State;
        if (state === 'SUCCEEDED' || state === 'FAILED' || state === 'CANCELLED') return q!;
        await sleep(delay, signal);
        delay = Math.min(this.opts.pollMaxMs, delay * 2);
      } catch (err) {
        if (!signal.aborted) throw err;
        await this.stop(queryId);
        throw this.abortError(kind, queryId, attempt, deadline, err);
      }
    }
  }

  /** Best effort: the query is being abandoned either way, so a failed stop only loses cost. */
  private async stop(queryId: string): Promise<void> {
    try {
      await this.opts.client.send(new StopQueryExecutionCommand({ QueryExecutionId: queryId }), {
        abortSignal: AbortSignal.timeout(10_000),
      });
    } catch {
      // ignored on purpose, see above
    }
  }

  private async results(
    queryId: string,
    q: QueryExecution,
    kind: StatementKind,
    attempts: number,
    fetchRows: boolean,
    call: Call,
  ): Promise<QueryResult> {
    const columns: Column[] = [];
    const rows: unknown[][] = [];
    const text: (string | null)[][] = [];
    let updateCount: number | undefined;
    let token: string | undefined;
    let first = true;
    do {
      const command = new GetQueryResultsCommand({
        QueryExecutionId: queryId,
        NextToken: token,
        MaxResults: 1000,
      });
      const page = await this.send('GetQueryResults', call, (abortSignal) =>
        this.opts.client.send(command, { abortSignal }),
      );
      if (page.UpdateCount !== undefined && kind !== 'select')
        updateCount = Number(page.UpdateCount);
      if (first) {
        for (const c of page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []) {
          columns.push({ name: c.Name ?? '', type: c.Type ?? 'varchar' });
        }
      }
      const pageRows = page.ResultSet?.Rows ?? [];
      // The header row (column labels) leads the first page of a SELECT only.
      const skip = first && kind === 'select' && pageRows.length > 0 ? 1 : 0;
      for (const r of pageRows.slice(skip)) {
        const cells = (r.Data ?? []).map((d) => d.VarCharValue);
        text.push(cells.map((v) => v ?? null));
        rows.push(cells.map((v, i) => decodeValue(columns[i]?.type ?? 'varchar', v)));
      }
      token = page.NextToken;
      first = false;
    } while (fetchRows && token);
    return {
      queryId,
      columns,
      rows,
      text,
      updateCount,
      dataScannedBytes: q.Statistics?.DataScannedInBytes,
      engineMs: q.Statistics?.EngineExecutionTimeInMillis,
      attempts,
      transportRetries: call.transportRetries,
    };
  }
}
