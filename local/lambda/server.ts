/**
 * A local stand-in for Lambda's Invoke API (`POST /2015-03-31/functions/{name}/invocations`),
 * running the functions' handlers in this process. It lets the backfill function's self-invoke go
 * through the real SDK client and the real wire API, and lets tests invoke every handler the way
 * Lambda does: RequestResponse answers with the result (or `X-Amz-Function-Error`), Event answers
 * 202 and runs in the background. Function names resolve to `functions/<name>/handler.ts`, taking
 * the part after the last `-` of a deployed name (`fuji-etl-dev-backfill` → backfill).
 *
 * Each invocation gets a Lambda-like context whose remaining time counts down from `timeoutMs`,
 * so deadlines, middy's early timeout and checkpointing behave as they do in AWS.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

export interface Invocation {
  readonly functionName: string;
  readonly type: 'RequestResponse' | 'Event';
  readonly event: unknown;
  result?: unknown;
  error?: string;
}

export interface LocalLambda {
  readonly url: string;
  readonly invocations: readonly Invocation[];
  /** Each invocation's timeout, read when it starts (a test may shorten it). */
  timeoutMs: number;
  /** Resolves when no asynchronous invocation is running (including those they started). */
  settled(): Promise<void>;
  close(): Promise<void>;
}

const ROUTE = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;
const root = new URL('../../functions/', import.meta.url);

function folderOf(name: string): string {
  const decoded = decodeURIComponent(name);
  const base = decoded.slice(decoded.lastIndexOf(':') + 1); // a name or an ARN
  return base.slice(base.lastIndexOf('-') + 1);
}

async function body(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of req) parts.push(c as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

const json = (v: unknown) =>
  JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));

export async function startLocalLambda(opts: { timeoutMs: number }): Promise<LocalLambda> {
  const invocations: Invocation[] = [];
  const running = new Set<Promise<unknown>>();

  async function run(functionName: string, inv: Invocation): Promise<void> {
    const folder = folderOf(functionName);
    const file = new URL(`${folder}/handler.ts`, root);
    if (!existsSync(file))
      throw new Error(`no function ${folder} (functions/${folder}/handler.ts)`);
    let handler: Handler;
    try {
      ({ handler } = (await import(file.href)) as { handler: Handler });
    } catch (err) {
      // A cold start that throws (a bad setting) is a function error, as Lambda reports it.
      inv.error = `init failed: ${err instanceof Error ? err.message : String(err)}`;
      return;
    }
    const deadline = Date.now() + local.timeoutMs;
    const context = {
      functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:ap-northeast-1:000000000000:function:${functionName}`,
      memoryLimitInMB: '1024',
      awsRequestId: randomUUID(),
      logGroupName: `/aws/lambda/${functionName}`,
      logStreamName: 'local',
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
    try {
      inv.result = await handler(inv.event, context);
    } catch (err) {
      inv.error = err instanceof Error ? err.message : String(err);
    }
  }

  const server: Server = createServer((req, res) => {
    void (async () => {
      const m = ROUTE.exec(req.url?.split('?')[0] ?? '');
      if (req.method !== 'POST' || !m) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(json({ Type: 'User', Message: `no route ${req.method} ${req.url}` }));
        return;
      }
      const type = req.headers['x-amz-invocation-type'] === 'Event' ? 'Event' : 'RequestResponse';
      const raw = await body(req);
      const inv: Invocation = {
        functionName: decodeURIComponent(m[1]!),
        type,
        event: raw ? JSON.parse(raw) : {},
      };
      invocations.push(inv);
      if (type === 'Event') {
        const p = run(inv.functionName, inv).finally(() => running.delete(p));
        running.add(p);
        res.writeHead(202).end();
        return;
      }
      await run(inv.functionName, inv);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (inv.error !== undefined) headers['x-amz-function-error'] = 'Unhandled';
      res.writeHead(200, headers);
      res.end(
        inv.error !== undefined
          ? json({ errorType: 'Error', errorMessage: inv.error })
          : json(inv.result ?? null),
      );
    })();
  });
  // Idle connections stay open longer than the SDK keeps them (AWS's endpoints do too): with
  // Node's 5 s default a warm function's next call could reuse a socket the server had just
  // closed and fail with 'socket hang up'.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const local: LocalLambda = {
    url: `http://127.0.0.1:${port}`,
    invocations,
    timeoutMs: opts.timeoutMs,
    async settled() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
  return local;
}
