/**
 * Failures on the wire between the engine and Athena: a reset or refused connection, a stale
 * keep-alive socket ("socket hang up"), a DNS hiccup, an SDK request timeout, a 5xx from the
 * endpoint. The SDK's own retries are off (maxAttempts 1), so the engine decides here which
 * calls may be sent again: every call it makes is safe to repeat, the polls because they only
 * read and StartQueryExecution because a repeat carries the same ClientRequestToken, which
 * Athena answers with the execution the first send may already have started.
 */
import { backoff, sleep } from './sleep.ts';

const TRANSPORT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
]);

const SERVER_STATUSES = new Set([500, 502, 503, 504]);

function field(err: unknown, key: string): unknown {
  return typeof err === 'object' && err !== null
    ? (err as Record<string, unknown>)[key]
    : undefined;
}

/** True for an error that says nothing about the request itself, only about its delivery. */
export function isTransportError(err: unknown): boolean {
  const code = field(err, 'code') ?? field(field(err, 'cause'), 'code');
  if (typeof code === 'string' && TRANSPORT_CODES.has(code)) return true;
  // The SDK's requestTimeout; an abort by our own signal is AbortError and is not retried.
  if (field(err, 'name') === 'TimeoutError') return true;
  const status = field(field(err, '$metadata'), 'httpStatusCode');
  return typeof status === 'number' && SERVER_STATUSES.has(status);
}

export interface TransportRetry {
  readonly tries: number;
  readonly baseMs: number;
  readonly capMs: number;
  readonly signal: AbortSignal;
  /** Called before each resend, to count it. */
  readonly onRetry: () => void;
  /** Turns the last transport error into the caller's error once the tries are spent. */
  readonly exhausted: (err: unknown, tries: number) => Error;
}

/**
 * Sends until the call answers or fails for a reason other than transport, at most `tries`
 * times; gives up at once when `signal` aborts.
 */
export async function withTransportRetry<T>(send: () => Promise<T>, o: TransportRetry): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await send();
    } catch (err) {
      if (o.signal.aborted || !isTransportError(err)) throw err;
      if (n >= o.tries) throw o.exhausted(err, n);
      o.onRetry();
      await sleep(backoff(n, o.baseMs, o.capMs), o.signal);
    }
  }
}
