/**
 * The engine over an endpoint that drops connections. No local engine drops a connection on
 * demand, so a small server speaks the three Athena calls and destroys the socket where the
 * test says: the error path is real (Node's own ECONNRESET), the answers are Athena's shape.
 */
import { AthenaClient } from '@aws-sdk/client-athena';
import { afterEach, describe, expect, it } from 'vitest';
import { serve, sendJson, type TestServer } from '../../tests/helpers/http-server.ts';
import { AthenaEngine } from './athena.ts';
import { isTransportError } from './transport.ts';

type Action = 'StartQueryExecution' | 'GetQueryExecution' | 'GetQueryResults';

/** Drops the first `drops[action]` requests of each action, answers the rest. */
async function droppingAthena(drops: Partial<Record<Action, number>>) {
  const left = { ...drops };
  const tokens = new Map<string, string>();
  const server = await serve((req, res) => {
    const action = String(req.headers['x-amz-target']).split('.').pop() as Action;
    if ((left[action] ?? 0) > 0) {
      left[action]!--;
      res.socket?.destroy();
      return;
    }
    const body = JSON.parse(req.body) as { ClientRequestToken?: string };
    if (action === 'StartQueryExecution') {
      // Idempotent by token, as Athena is: a resend gets the execution the first send made.
      const token = body.ClientRequestToken!;
      if (!tokens.has(token)) tokens.set(token, `q-${tokens.size + 1}`);
      return sendJson(res, 200, { QueryExecutionId: tokens.get(token) });
    }
    if (action === 'GetQueryExecution') {
      return sendJson(res, 200, { QueryExecution: { Status: { State: 'SUCCEEDED' } } });
    }
    return sendJson(res, 200, {
      ResultSet: {
        ResultSetMetadata: { ColumnInfo: [{ Name: 'n', Type: 'integer' }] },
        Rows: [{ Data: [{ VarCharValue: 'n' }] }, { Data: [{ VarCharValue: '42' }] }],
      },
    });
  });
  return { server, started: () => tokens.size };
}

function engineAt(url: string, transportTries?: number) {
  const client = new AthenaClient({
    endpoint: url,
    region: 'ap-northeast-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  return new AthenaEngine({
    client,
    catalog: 'AwsDataCatalog',
    workGroup: 'primary',
    pollInitialMs: 1,
    retryBaseMs: 1,
    retryMaxMs: 5,
    ...(transportTries && { transportTries }),
  });
}

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('the engine over a connection that drops', () => {
  it('sends each call again and returns the result, counting the resends', async () => {
    const athena = await droppingAthena({
      StartQueryExecution: 1,
      GetQueryExecution: 2,
      GetQueryResults: 1,
    });
    server = athena.server;
    const r = await engineAt(server.url).query('SELECT 42 AS n');
    expect(r.rows).toEqual([[42]]);
    expect(r.transportRetries).toBe(4);
    expect(r.attempts).toBe(1);
    // The resent start carried the same token, so one execution exists, not two.
    expect(athena.started()).toBe(1);
    const starts = server.received.filter((q) =>
      String(q.headers['x-amz-target']).endsWith('StartQueryExecution'),
    );
    expect(new Set(starts.map((q) => JSON.parse(q.body).ClientRequestToken)).size).toBe(1);
  });

  it('gives up after its tries with a retryable ENGINE_TRANSPORT error naming the call', async () => {
    const athena = await droppingAthena({ GetQueryExecution: 10 });
    server = athena.server;
    const err = await engineAt(server.url, 3)
      .query('SELECT 42 AS n')
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ENGINE_TRANSPORT', retryable: true });
    expect(String(err)).toContain('GetQueryExecution');
    expect(String(err)).toContain('3 times');
  });

  it('tells transport failures from answers', () => {
    expect(
      isTransportError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })),
    ).toBe(true);
    expect(
      isTransportError({ name: 'InternalServerException', $metadata: { httpStatusCode: 500 } }),
    ).toBe(true);
    expect(
      isTransportError({ name: 'InvalidRequestException', $metadata: { httpStatusCode: 400 } }),
    ).toBe(false);
    expect(isTransportError({ name: 'AbortError' })).toBe(false);
  });
});
