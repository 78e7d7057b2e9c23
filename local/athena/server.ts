/**
 * A local endpoint speaking the Athena API (JSON 1.1: `POST /` with `X-Amz-Target:
 * AmazonAthena.<Operation>`) that runs every query on the local Trino. The production engine
 * code talks to it through the unmodified `@aws-sdk/client-athena`, only the endpoint changed.
 *
 * Besides the API: `GET /__fuji/health`, and `/__fuji/faults` (POST a plan, GET the counters,
 * DELETE to clear) for tests of the retry and abort paths.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { columnInfo, dataRow, headerRow } from './format.ts';
import {
  Executions,
  InvalidRequestError,
  ThrottledError,
  type Execution,
  type StartRequest,
} from './executions.ts';
import { Faults, parseFaultPlan } from './faults.ts';
import { TrinoClient } from './trino-client.ts';

export interface AthenaServerOptions {
  readonly host?: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  readonly trinoUrl: string;
}

export interface AthenaServer {
  readonly url: string;
  close(): Promise<void>;
}

const MAX_PAGE = 1000;
const JSON_TYPE = 'application/x-amz-json-1.1';

class ApiError extends Error {
  readonly type: string;
  readonly extra: Record<string, unknown>;
  constructor(type: string, message: string, extra: Record<string, unknown> = {}) {
    super(message);
    this.type = type;
    this.extra = extra;
  }
}

function seconds(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : ms / 1000;
}

function describe(e: Execution) {
  const end = e.completedAt ?? Date.now();
  const f = e.failure;
  return {
    QueryExecutionId: e.id,
    Query: e.request.sql,
    StatementType: e.statementType,
    ResultConfiguration: {
      OutputLocation: e.request.outputLocation
        ? `${e.request.outputLocation.replace(/\/$/, '')}/${e.id}.csv`
        : `s3://fuji-etl-local-athena-results/${e.id}.csv`,
    },
    QueryExecutionContext: {
      ...(e.request.catalog && { Catalog: e.request.catalog }),
      ...(e.request.database && { Database: e.request.database }),
    },
    Status: {
      State: e.state,
      SubmissionDateTime: seconds(e.submittedAt),
      ...(e.completedAt && { CompletionDateTime: seconds(e.completedAt) }),
      ...(e.state === 'CANCELLED' && { StateChangeReason: 'Query was cancelled by user' }),
      ...(f && {
        // Athena's reason reads `<ERROR_NAME>: <message>`; callers match on the name.
        StateChangeReason: `${f.errorName}: ${f.message}`,
        AthenaError: {
          ErrorCategory: f.category,
          ErrorType: f.type,
          Retryable: f.retryable,
          ErrorMessage: `${f.errorName}: ${f.message}`,
        },
      }),
    },
    Statistics: {
      EngineExecutionTimeInMillis: end - (e.startedAt ?? end),
      DataScannedInBytes: e.outcome?.physicalInputBytes ?? 0,
      TotalExecutionTimeInMillis: end - e.submittedAt,
      QueryQueueTimeInMillis: (e.startedAt ?? end) - e.submittedAt,
      ServicePreProcessingTimeInMillis: 0,
      QueryPlanningTimeInMillis: 0,
      ServiceProcessingTimeInMillis: 0,
    },
    WorkGroup: e.request.workGroup ?? 'primary',
    EngineVersion: {
      SelectedEngineVersion: 'AUTO',
      EffectiveEngineVersion: 'Athena engine version 3',
    },
  };
}

function encodeToken(id: string, offset: number): string {
  return Buffer.from(JSON.stringify({ id, offset })).toString('base64url');
}

function decodeToken(token: string, id: string): number {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString()) as {
      id: string;
      offset: number;
    };
    if (t.id === id && Number.isInteger(t.offset) && t.offset >= 0) return t.offset;
  } catch {
    // falls through to the error below
  }
  throw new ApiError('InvalidRequestException', 'NextToken is not valid for this query', {
    AthenaErrorCode: 'INVALID_INPUT',
  });
}

function results(e: Execution, nextToken: string | undefined, maxResults: number | undefined) {
  if (e.state !== 'SUCCEEDED') {
    const why =
      e.state === 'FAILED'
        ? `Query did not finish successfully. Final query state: FAILED\n${e.failure?.errorName}: ${e.failure?.message}`
        : e.state === 'CANCELLED'
          ? 'Query did not finish successfully. Final query state: CANCELLED'
          : `Query has not yet finished. Current state: ${e.state}`;
    throw new ApiError('InvalidRequestException', why, { AthenaErrorCode: 'INVALID_INPUT' });
  }
  const max = maxResults ?? MAX_PAGE;
  if (!Number.isInteger(max) || max < 1 || max > MAX_PAGE) {
    throw new ApiError('InvalidRequestException', 'MaxResults must be between 1 and 1000');
  }
  const o = e.outcome!;
  // DML and DDL report an update count and no result rows, as Athena does.
  const isRowSet = o.updateType === undefined;
  const total = isRowSet ? o.rows.length + 1 : 0;
  const offset = nextToken ? decodeToken(nextToken, e.id) : 0;
  const end = Math.min(total, offset + max);
  const rows = [];
  for (let i = offset; i < end; i++) {
    rows.push(i === 0 ? headerRow(o.columns) : dataRow(o.columns, o.rows[i - 1]!));
  }
  return {
    UpdateCount: isRowSet ? 0 : (o.updateCount ?? 0),
    ResultSet: {
      Rows: rows,
      ResultSetMetadata: { ColumnInfo: isRowSet ? columnInfo(o.columns) : [] },
    },
    ...(end < total && { NextToken: encodeToken(e.id, end) }),
  };
}

function requireString(body: Record<string, unknown>, name: string): string {
  const v = body[name];
  if (typeof v !== 'string' || v === '') {
    throw new ApiError('InvalidRequestException', `${name} is required`);
  }
  return v;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { 'content-type': JSON_TYPE, ...headers });
  res.end(JSON.stringify(body));
}

export async function createAthenaServer(opts: AthenaServerOptions): Promise<AthenaServer> {
  const faults = new Faults();
  const executions = new Executions(new TrinoClient(opts.trinoUrl), faults);

  function api(target: string, body: Record<string, unknown>): unknown {
    switch (target) {
      case 'StartQueryExecution': {
        const ctx = (body.QueryExecutionContext ?? {}) as Record<string, string | undefined>;
        const rc = (body.ResultConfiguration ?? {}) as Record<string, string | undefined>;
        const req: StartRequest = {
          sql: requireString(body, 'QueryString'),
          clientRequestToken: body.ClientRequestToken as string | undefined,
          catalog: ctx.Catalog,
          database: ctx.Database,
          workGroup: body.WorkGroup as string | undefined,
          outputLocation: rc.OutputLocation,
        };
        return { QueryExecutionId: executions.start(req).id };
      }
      case 'GetQueryExecution':
        return {
          QueryExecution: describe(executions.get(requireString(body, 'QueryExecutionId'))),
        };
      case 'GetQueryResults':
        return results(
          executions.get(requireString(body, 'QueryExecutionId')),
          body.NextToken as string | undefined,
          body.MaxResults as number | undefined,
        );
      case 'StopQueryExecution':
        executions.stop(requireString(body, 'QueryExecutionId'));
        return {};
      default:
        throw new ApiError(
          'UnknownOperationException',
          `operation ${target} is not served locally`,
        );
    }
  }

  async function control(req: IncomingMessage, res: ServerResponse, path: string) {
    if (path === '/__fuji/health') return send(res, 200, { ok: true, trino: opts.trinoUrl });
    if (path === '/__fuji/faults') {
      if (req.method === 'GET') return send(res, 200, faults.counters);
      if (req.method === 'DELETE') {
        faults.clear();
        return send(res, 200, {});
      }
      if (req.method === 'POST') {
        try {
          faults.set(parseFaultPlan(JSON.parse(await readBody(req))));
          return send(res, 200, {});
        } catch (err) {
          return send(res, 400, { message: (err as Error).message });
        }
      }
    }
    return send(res, 404, { message: `no route ${req.method} ${path}` });
  }

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path.startsWith('/__fuji/')) {
      void control(req, res, path);
      return;
    }
    void (async () => {
      const target = String(req.headers['x-amz-target'] ?? '').replace(/^AmazonAthena\./, '');
      try {
        if (req.method !== 'POST' || !target) {
          throw new ApiError('UnknownOperationException', 'expected POST with X-Amz-Target');
        }
        const raw = await readBody(req);
        const body = (raw ? JSON.parse(raw) : {}) as Record<string, unknown>;
        send(res, 200, api(target, body));
      } catch (err) {
        const e =
          err instanceof ApiError
            ? err
            : err instanceof ThrottledError
              ? new ApiError(err.name, err.message, { Reason: 'CONCURRENT_QUERY_LIMIT_EXCEEDED' })
              : err instanceof InvalidRequestError
                ? new ApiError(err.name, err.message, { AthenaErrorCode: 'INVALID_INPUT' })
                : new ApiError('InternalServerException', (err as Error).message);
        const status = e.type === 'InternalServerException' ? 500 : 400;
        send(
          res,
          status,
          { __type: e.type, Message: e.message, ...e.extra },
          {
            'x-amzn-errortype': e.type,
          },
        );
      }
    })();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Idle connections stay open longer than the SDK keeps them (AWS's endpoints do too): with
    // Node's 5 s default a warm function's next call could reuse a socket the server had just
    // closed and fail with 'socket hang up'.
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${opts.host ?? '127.0.0.1'}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
