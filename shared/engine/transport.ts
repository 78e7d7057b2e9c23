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

export interface TransportPolicy {
  readonly tries: number;
  readonly baseMs: number;
  readonly capMs: number;
}

/**
 * Sends until the call answers or fails for a reason other than transport, at most
 * `policy.tries` times. Counts each resend in `onRetry`; gives up at once when `signal` aborts.
 * The last transport error is handed to `exhausted` to be turned into the caller's error.
 */
export async function withTransportRetry<T>(
  send: () => Promise<T>,
  policy: TransportPolicy,
  signal: AbortSignal,
  onRetry: () => void,
  exhausted: (err: unknown, tries: number) => Error,
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await send();
    } catch (err) {
      if (signal.aborted || !isTransportError(err)) throw err;
      if (n >= policy.tries) throw exhausted(err, n);
      onRetry();
      await sleep(backoff(n, policy.baseMs, policy.capMs), signal);
    }
  }
}
