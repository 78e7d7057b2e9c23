/**
 * What an HTTP status means for a run, declared as data per source (and per request where one
 * request differs), instead of a try/catch in every connector. Each action maps onto the markers
 * the runtime already reads on {@link FujiEtlError}:
 *
 * - `retry`: tried again (Retry-After or backoff) within the attempts and the deadline; then the
 *   slice fails `retryable`.
 * - `fail`: the slice fails, not retryable (the request itself is wrong).
 * - `ignore`: the answer counts as empty: no body, no further page.
 * - `stop-member`: `stopsRun`: {@link eachMember} stops only that member (the others go on; the
 *   run ends when every member stopped so), and the requester asks it nothing more this run.
 * - `defer`: `deferred`: a quota is spent; tried again only when Retry-After says when and that
 *   wait fits the deadline, otherwise the slice waits for the next run with the cursor kept.
 *
 * @example
 * const actions: StatusActions = { 429: 'defer', 401: 'stop-member', '5xx': 'retry', default: 'fail' };
 */
import type { StatusHandling } from './client.ts';
import type { Marks } from './errors.ts';

export type Action = 'retry' | 'fail' | 'ignore' | 'stop-member' | 'defer';

type StatusClass = '1xx' | '2xx' | '3xx' | '4xx' | '5xx';

/** Per status, per class of status, and a default; the most specific entry wins. */
export type StatusActions = Partial<Record<number | StatusClass, Action>> & {
  readonly default?: Action;
};

/** The client's own behaviour, as actions: 429 and 5xx are retried, the rest fail. */
export const DEFAULT_ACTIONS: StatusActions = Object.freeze({
  429: 'retry',
  '5xx': 'retry',
  default: 'fail',
});

/** The action for `status`: its own entry, else its class's, else the default, else `fail`. */
export function actionFor(actions: StatusActions, status: number): Action {
  return (
    actions[status] ??
    actions[`${Math.floor(status / 100)}xx` as StatusClass] ??
    actions.default ??
    'fail'
  );
}

/** How the client's attempts treat a status with this action. */
export function handlingOf(action: Action): StatusHandling {
  if (action === 'retry') return 'retry';
  if (action === 'defer') return 'retry-after';
  return 'give-up';
}

/** The markers of a failure by this action (`ignore` never fails). */
export function marksOf(action: Exclude<Action, 'ignore'>): Marks {
  switch (action) {
    case 'retry':
      return { retryable: true };
    case 'stop-member':
      return { retryable: false, stopsRun: true };
    case 'defer':
      return { retryable: false, deferred: true };
    case 'fail':
      return { retryable: false };
  }
}
