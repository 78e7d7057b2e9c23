/**
 * Choosing what to run from untrusted input (a manual invoke's event, a schedule's input, the
 * command line), checked before anything is touched. The caller says which error code a mistake
 * carries (BAD_EVENT for Lambda, which is not retried; USAGE for the CLI) and what context to log.
 */
import { FujiEtlError, type ErrorCode } from '../errors/index.ts';
import { parseDate } from '../time/civil.ts';
import type { ConnectorDefinition, DateRange, Slice } from './connector.ts';

export interface Mistake {
  readonly code: ErrorCode;
  readonly context?: Record<string, unknown>;
}

function fail(m: Mistake, message: string): FujiEtlError {
  return new FujiEtlError(m.code, message, { context: m.context });
}

export function connectorNamed<C extends ConnectorDefinition<Slice>>(
  registry: Readonly<Record<string, C>>,
  name: unknown,
  m: Mistake,
): C {
  const def =
    typeof name === 'string' && Object.hasOwn(registry, name) ? registry[name] : undefined;
  if (!def) {
    throw fail(
      m,
      `unknown connector ${JSON.stringify(name)}; known: ${Object.keys(registry).join(', ')}`,
    );
  }
  return def;
}

/** A half-open range of Asia/Tokyo days, from before to. */
export function dayRange(from: unknown, to: unknown, m: Mistake): DateRange {
  if (
    typeof from !== 'string' ||
    typeof to !== 'string' ||
    parseDate(from) === undefined ||
    parseDate(to) === undefined
  ) {
    throw fail(m, 'from and to must both be YYYY-MM-DD days (Asia/Tokyo, to exclusive)');
  }
  if (from >= to) throw fail(m, `from ${from} must be before to ${to}`);
  return { from, to };
}
