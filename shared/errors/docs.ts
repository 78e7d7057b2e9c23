/**
 * docs/codes.md, generated from the two closed lists (ERROR_CODES, RUN_EVENTS) so the page an
 * operator reads is the list the compiler holds the code to. Written by `fuji-etl docs`; a test
 * fails when the committed page differs.
 */
import { ERROR_CODES, type RetryableByDefault } from './codes.ts';
import { RUN_EVENTS } from './events.ts';

/** Where `fuji-etl docs` writes the page. */
export const CODES_DOC = new URL('../../docs/codes.md', import.meta.url);

const cell = (s: string) => s.replaceAll('|', '\\|');

const RETRY: Record<string, string> = {
  true: 'yes',
  false: 'no',
  depends: 'per failure',
};

/**
 * @example
 * writeFileSync('docs/codes.md', codesDoc());
 */
export function codesDoc(): string {
  const errors = Object.entries(ERROR_CODES).map(
    ([code, e]) =>
      `| \`${code}\` | ${RETRY[String(e.retryable as RetryableByDefault)]} | ${cell(e.doc)} |`,
  );
  const events = Object.entries(RUN_EVENTS).map(
    ([code, e]) =>
      `| \`${code}\` | ${e.level} | ${'metrics' in e ? e.metrics.map((m) => `\`${m}\``).join(', ') : ''} | ${cell(e.doc)} |`,
  );
  return [
    '# Error codes and log events',
    '',
    '<!-- Generated from shared/errors/codes.ts and shared/errors/events.ts by `npm run fuji-etl -- docs`; do not edit. -->',
    '',
    'Every error of the suite carries one of these codes (the first word of its message, of the',
    "ledger's `error` column and of a CLI error line) and a `retryable` marker. The column below is",
    "the code's default; *per failure* means its throw sites decide (an HTTP 5xx is retried, a 404",
    'is not). The runtime records the marker of each failed slice (`retryable` in its outcome and',
    'its `SLICE_DONE` event, and a note in its `ops.run_ledger` row when it is not retryable); the',
    'functions Lambda retries answer a failure marked not retryable instead of throwing it',
    '(`INVOCATION_NOT_RETRIED`, metric `InvocationsNotRetried`, an alarm per function) and throw',
    'every other failure to Lambda’s retries and the failure queue; a mistake in the event',
    '(`BAD_EVENT`, `USAGE`) is always thrown, so whoever sent it sees a function error.',
    '',
    `## Error codes (${errors.length})`,
    '',
    '| code | retryable | meaning |',
    '| ---- | --------- | ------- |',
    ...errors,
    '',
    `## Log events (${events.length})`,
    '',
    'Structured log lines (JSON, `message` is the code) written by the Lambda observer',
    '(shared/lambda/observe.ts), with the CloudWatch metrics (namespace `FujiEtl`) it emits for them.',
    '',
    '| code | level | metrics | meaning |',
    '| ---- | ----- | ------- | ------- |',
    ...events,
    '',
  ].join('\n');
}
