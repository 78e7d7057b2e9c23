/**
 * Validation of the manual and scheduled events, before anything is touched: a typo in a manual
 * invoke fails at once with the field it got wrong, and is not retried (BAD_EVENT).
 */
import { FujiEtlError } from '#shared/errors/index.ts';
import type { ConnectorDefinition, DateRange, Slice } from '#shared/runtime/connector.ts';
import { parseDate } from '#shared/time/civil.ts';

type Registry<C> = Readonly<Record<string, C>>;

function bad(message: string, event: unknown): FujiEtlError {
  return new FujiEtlError('BAD_EVENT', message, { context: { event } });
}

export function connectorOf<C extends ConnectorDefinition<Slice>>(
  registry: Registry<C>,
  event: { readonly connector?: unknown },
): C {
  const name = event.connector;
  const def =
    typeof name === 'string' && Object.hasOwn(registry, name) ? registry[name] : undefined;
  if (!def) {
    throw bad(
      `unknown connector ${JSON.stringify(name)}; known: ${Object.keys(registry).join(', ')}`,
      event,
    );
  }
  return def;
}

/** A half-open range of Asia/Tokyo days, from <= to. */
export function rangeOf(event: { readonly from?: unknown; readonly to?: unknown }): DateRange {
  const { from, to } = event;
  if (
    typeof from !== 'string' ||
    typeof to !== 'string' ||
    parseDate(from) === undefined ||
    parseDate(to) === undefined
  ) {
    throw bad('from and to must both be YYYY-MM-DD days (Asia/Tokyo, to exclusive)', event);
  }
  if (from >= to) throw bad(`from ${from} must be before to ${to}`, event);
  return { from, to };
}
