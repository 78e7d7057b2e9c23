/**
 * The local Athena endpoint driven by the real `@aws-sdk/client-athena` against the running
 * local Trino: the protocol details the engine relies on, checked one by one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type QueryExecution,
} from '@aws-sdk/client-athena';
import { localUrls } from '../config.ts';
import { createAthenaServer, type AthenaServer } from './server.ts';

let server: AthenaServer;
let client: AthenaClient;

beforeAll(async () => {
  server = await createAthenaServer({ port: 0, trinoUrl: localUrls().trino });
  client = new AthenaClient({
    endpoint: server.url,
    region: 'ap-northeast-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client.destroy();
  await server.close();
});

async function start(sql: string, token?: string): Promise<string> {
  const out = await client.send(
    new StartQueryExecutionCommand({
      QueryString: sql,
      ClientRequestToken: token,
      QueryExecutionContext: { Catalog: 's3tablescatalog/test', Database: 'information_schema' },
      WorkGroup: 'primary',
    }),
  );
  return out.QueryExecutionId!;
}

async function finished(id: string): Promise<QueryExecution> {
  for (;;) {
    const { QueryExecution: q } = await client.send(
      new GetQueryExecutionCommand({ QueryExecutionId: id }),
    );
    if (!['QUEUED', 'RUNNING'].includes(q!.Status!.State!)) return q!;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('local Athena endpoint', () => {
  it('pages a SELECT with the header row first and at most 1000 rows a page', async () => {
    const id = await start(
      'SELECT x, CAST(NULL AS varchar) AS n FROM UNNEST(sequence(1, 2500)) AS t(x)',
    );
    expect((await finished(id)).Status!.State).toBe('SUCCEEDED');
    const pages = [];
    let token: string | undefined;
    do {
      const page = await client.send(
        new GetQueryResultsCommand({ QueryExecutionId: id, NextToken: token, MaxResults: 1000 }),
      );
      pages.push(page);
      token = page.NextToken;
    } while (token);
    expect(pages.map((p) => p.ResultSet!.Rows!.length)).toEqual([1000, 1000, 501]);
    const first = pages[0]!.ResultSet!;
    expect(first.Rows![0]!.Data).toEqual([{ VarCharValue: 'x' }, { VarCharValue: 'n' }]);
    expect(first.Rows![1]!.Data).toEqual([{ VarCharValue: '1' }, {}]);
    expect(first.ResultSetMetadata!.ColumnInfo!.map((c) => c.Type)).toEqual(['bigint', 'varchar']);
    expect(pages[2]!.ResultSet!.Rows!.at(-1)!.Data![0]).toEqual({ VarCharValue: '2500' });
  });

  it('keeps bigints, microsecond timestamps and bytes exact', async () => {
    const id = await start(
      "SELECT BIGINT '9223372036854775807', TIMESTAMP '2026-07-10 05:06:07.123456', X'00ff10', nan()",
    );
    await finished(id);
    const page = await client.send(new GetQueryResultsCommand({ QueryExecutionId: id }));
    expect(page.ResultSet!.Rows![1]!.Data!.map((d) => d.VarCharValue)).toEqual([
      '9223372036854775807',
      '2026-07-10 05:06:07.123456',
      '00 ff 10',
      'NaN',
    ]);
  });

  it('returns the same execution for a repeated ClientRequestToken', async () => {
    const token = `token-${Date.now()}-0123456789abcdef0123456789`;
    const a = await start('SELECT 1', token);
    const b = await start('SELECT 1', token);
    expect(b).toBe(a);
    await expect(start('SELECT 2', token)).rejects.toMatchObject({
      name: 'InvalidRequestException',
    });
  });

  it('maps an engine failure to FAILED with a reason and an AthenaError', async () => {
    const id = await start('SELECT * FROM no_such_schema.no_such_table');
    const q = await finished(id);
    expect(q.Status!.State).toBe('FAILED');
    expect(q.Status!.StateChangeReason).toMatch(/^(SCHEMA|TABLE)_NOT_FOUND: /);
    expect(q.Status!.AthenaError).toMatchObject({
      ErrorCategory: 2,
      ErrorType: 1000,
      Retryable: false,
    });
    await expect(
      client.send(new GetQueryResultsCommand({ QueryExecutionId: id })),
    ).rejects.toMatchObject({ name: 'InvalidRequestException' });
  });

  it('answers TooManyRequestsException when throttling is injected, and stops slow queries', async () => {
    const faults = `${server.url}/__fuji/faults`;
    await fetch(faults, { method: 'POST', body: JSON.stringify({ throttle: 1, slowMs: 60_000 }) });
    await expect(start('SELECT 1')).rejects.toMatchObject({ name: 'TooManyRequestsException' });
    const id = await start('SELECT 1');
    expect(
      (await client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }))).QueryExecution!
        .Status!.State,
    ).toBe('RUNNING');
    await client.send(new StopQueryExecutionCommand({ QueryExecutionId: id }));
    expect((await finished(id)).Status!.State).toBe('CANCELLED');
    const counters = (await (await fetch(faults)).json()) as Record<string, number>;
    await fetch(faults, { method: 'DELETE' });
    expect(counters).toMatchObject({ throttled: 1, slowed: 1, stopped: 1 });
  });

  it('rejects unknown query ids', async () => {
    await expect(
      client.send(
        new GetQueryExecutionCommand({ QueryExecutionId: '00000000-0000-0000-0000-000000000000' }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidRequestException' });
  });
});
