/**
 * One bad record costs only itself: each record of a payload is parsed alone, and one that
 * breaks its shape becomes a rejection (ops.quarantine) naming the URL and the JSON path, while
 * the others land. Only shape errors are caught: anything else is a bug and must surface.
 */
import { SourceShapeError } from '../http/errors.ts';
import type { Json } from '../http/shape.ts';
import type { SourceRejection } from './connector.ts';
import { reasonOf } from './members.ts';

/** Raw text kept with a rejected record: enough to see what came, never a whole payload. */
const RAW_LIMIT = 4_096;

export interface RecordsRead<T> {
  readonly values: T[];
  readonly rejected: SourceRejection[];
}

/**
 * @example
 * const { values, rejected } = eachRecord(root.items(), 'weather.amedas_observation', parseOne);
 */
export function eachRecord<T>(
  nodes: readonly Json[],
  table: string,
  parse: (node: Json) => T,
): RecordsRead<T> {
  const values: T[] = [];
  const rejected: SourceRejection[] = [];
  for (const node of nodes) {
    try {
      values.push(parse(node));
    } catch (err) {
      if (!(err instanceof SourceShapeError)) throw err;
      rejected.push({
        table,
        raw: rawOf(node.value),
        reason: reasonOf(err),
        source: err.context.url as string,
      });
    }
  }
  return { values, rejected };
}

function rawOf(v: unknown): string {
  const s = v === undefined ? 'undefined' : JSON.stringify(v);
  return s.length > RAW_LIMIT ? `${s.slice(0, RAW_LIMIT)}…` : s;
}
