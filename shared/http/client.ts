/**
 * HTTP with bounded, jittered retries for upstream sources. Built on Node's fetch rather than
 * axios: it is built into the Lambda runtime (nothing to bundle), takes the run's AbortSignal
 * natively, and the suite needs nothing axios adds (interceptors, XHR, transforms).
 *
 * Retried: 429 (honouring Retry-After), 5xx, network failures and per-request timeouts. Not
 * retried: other 4xx. A wait that would pass the caller's deadline is not started. Callers that
 * declare what each status means (the requester, `requester.ts`) say so through `onStatus`.
 */
import { backoff, sleep } from '../engine/sleep.ts';
import { HttpStatusError, HttpTransportError, SourceShapeError, redactUrl } from './errors.ts';

export interface GetOptions {
  readonly signal: AbortSignal;
  /** Epoch ms after which no new attempt or wait starts (the run's deadline). */
  readonly deadline?: number;
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Per request, so one hung connection cannot eat the whole run. */
  readonly timeoutMs?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Which HTTP statuses are worth another attempt; default 429 and 5xx. */
  readonly retryStatus?: (status: number) => boolean;
  /** Finer than `retryStatus`, which it replaces: see {@link StatusHandling}. */
  readonly onStatus?: (status: number) => StatusHandling;
  /** The longest Retry-After waited for; a longer one ends the attempts (default: the deadline only). */
  readonly maxWaitMs?: number;
  /** Values (keys, tokens) sent with the request that errors must never show. */
  readonly secrets?: readonly string[];
}

/**
 * A run's bounds as request options: its signal and deadline, with the connector's per-request
 * timeout (so connectors do not spell the three out at every call).
 *
 * @example
 * await getJson(url, runBounds(ctx, ctx.settings.timeoutMs));
 */
export function runBounds(
  run: { readonly signal: AbortSignal; readonly deadline?: number },
  timeoutMs: number,
): GetOptions {
  return { signal: run.signal, deadline: run.deadline, timeoutMs };
}

/**
 * What the attempts do after a non-2xx answer: `retry` tries again after Retry-After or a
 * backoff; `retry-after` tries again only when the answer's Retry-After says when (a quota that
 * refills soon); `give-up` stops. Either way no wait past the deadline is started.
 */
export type StatusHandling = 'retry' | 'retry-after' | 'give-up';

export interface RequestInit {
  readonly method?: 'GET' | 'POST';
  /** Sent as JSON. */
  readonly json?: unknown;
}

const DEFAULT_RETRY_STATUS = (status: number) => status === 429 || status >= 500;

/** Retry-After is either seconds or an HTTP date. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function getText(url: string, opts: GetOptions): Promise<string> {
  return requestText(url, {}, opts);
}

export function requestText(url: string, init: RequestInit, opts: GetOptions): Promise<string> {
  return request(url, init, opts, (res) => res.text());
}

/** The body as bytes: files whose encoding the caller detects (Shift_JIS CSV). */
export function getBytes(url: string, opts: GetOptions): Promise<Uint8Array> {
  return request(url, {}, opts, async (res) => new Uint8Array(await res.arrayBuffer()));
}

/**
 * One request with its attempts; `read` turns the 2xx answer into what the caller keeps (its
 * body and, for paging, its headers). The requester sends through this.
 */
export async function request<T>(
  url: string,
  init: RequestInit,
  opts: GetOptions,
  read: (res: Response) => Promise<T>,
): Promise<T> {
  const max = opts.maxAttempts ?? 5;
  const retryStatus = opts.retryStatus ?? DEFAULT_RETRY_STATUS;
  const onStatus =
    opts.onStatus ?? ((status: number) => (retryStatus(status) ? 'retry' : 'give-up'));
  const secrets = opts.secrets ?? [];
  let last: Error | undefined;
  for (let attempt = 1; attempt <= max; attempt++) {
    let waitMs: number | undefined;
    try {
      const res = await fetch(url, {
        method: init.method ?? 'GET',
        headers: {
          'user-agent': 'fuji-etl',
          ...(init.json !== undefined && { 'content-type': 'application/json' }),
          ...opts.headers,
        },
        ...(init.json !== undefined && { body: JSON.stringify(init.json) }),
        signal: AbortSignal.any([opts.signal, AbortSignal.timeout(opts.timeoutMs ?? 30_000)]),
      });
      if (res.ok) return await read(res);
      const body = await res.text();
      const handling = onStatus(res.status);
      waitMs = retryAfterMs(res.headers.get('retry-after'));
      last = new HttpStatusError(url, res.status, body, handling === 'retry', {
        secrets,
        retryAfterMs: waitMs,
      });
      if (handling === 'give-up' || (handling === 'retry-after' && waitMs === undefined))
        throw last;
    } catch (err) {
      if (err instanceof HttpStatusError) throw err;
      if (opts.signal.aborted) throw err;
      last = new HttpTransportError(url, err, secrets);
    }
    if (attempt === max) break;
    const delay = waitMs ?? backoff(attempt, opts.baseDelayMs ?? 500, opts.maxDelayMs ?? 30_000);
    if (opts.maxWaitMs !== undefined && delay > opts.maxWaitMs) break;
    if (opts.deadline !== undefined && Date.now() + delay > opts.deadline) break;
    await sleep(delay, opts.signal);
  }
  throw last!;
}

export function getJson(url: string, opts: GetOptions): Promise<unknown> {
  return requestJson(url, {}, opts);
}

export async function requestJson(
  url: string,
  init: RequestInit,
  opts: GetOptions,
): Promise<unknown> {
  return parseJson(await requestText(url, init, opts), redactUrl(url, opts.secrets));
}

/** A payload's JSON, or a shape error naming the URL: a truncated answer is not a crash. */
export function parseJson(text: string, url: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new SourceShapeError(url, '$', `not JSON (${(err as Error).message})`);
  }
}
