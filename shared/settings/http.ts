/** Settings every HTTP source shares (one variable, one default, whatever the connector). */
import { int } from './define.ts';

/**
 * 60 s: long enough for GA4's largest report page (up to 250,000 rows) to arrive, while a hung
 * connection to a small JMA or open-data file is still abandoned and retried well inside a
 * 15-minute invocation.
 */
export const HTTP_TIMEOUT_MS = int('FUJI_ETL_HTTP_TIMEOUT_MS', {
  default: 60_000,
  min: 100,
  unit: 'ms',
  doc: 'Per request: a hung upstream connection is abandoned and retried after this long.',
});
