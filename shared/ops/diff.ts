/**
 * What changed between two states of a table (`fuji-etl diff`, and the dry run of `restore`):
 * rows inserted, updated and deleted by key, a few keys of each, and how many partitions hold a
 * change (a restore writes those, and Athena writes at most 100 per statement).
 *
 * Both states are read by time travel (`FOR VERSION AS OF`) and joined on the key in one
 * query: the engine does the work, nothing is pulled row by row.
 */
import type { AthenaEngine } from '../engine/athena.ts';
import { FujiEtlError } from '../errors/index.ts';
import { fullName, type TableModel } from '../model/table.ts';
import { quoteIdent } from '../sql/identifier.ts';
import { selectState, stateOf, type TableState } from './state.ts';

export type ChangeKind = 'inserted' | 'updated' | 'deleted';
const KINDS: readonly ChangeKind[] = ['inserted', 'updated', 'deleted'];

export interface StateDiff {
  readonly from: string;
  readonly to: string;
  readonly counts: Readonly<Record<ChangeKind, number>>;
  /** Partitions holding a changed row, before or after. */
  readonly partitions: number;
  /** Up to `sample` keys of each kind, smallest first (`k1 | k2`). */
  readonly samples: Readonly<Record<ChangeKind, readonly string[]>>;
}

/** A row's partition as text, from relation `alias` (an upper bound for bucket/truncate). */
function partitionText(model: TableModel, alias: string): string {
  if (model.partitionBy.length === 0) return `'all'`;
  const parts = model.partitionBy.map((p) => {
    const ref = `${alias}.${quoteIdent(p.column)}`;
    const value = ['year', 'month', 'day', 'hour'].includes(p.transform)
      ? `date_trunc('${p.transform}', ${ref})`
      : ref;
    return `coalesce(CAST(${value} AS varchar), 'null')`;
  });
  return parts.length === 1 ? parts[0]! : `concat_ws('/', ${parts.join(', ')})`;
}

export function diffSql(
  model: TableModel,
  from: TableState,
  to: TableState,
  sample: number,
): string {
  if (model.key.length === 0)
    throw new FujiEtlError(
      'NO_KEY',
      `${fullName(model)} has no key: states cannot be compared row by row`,
    );
  const q = (c: string) => quoteIdent(c);
  const on = model.key.map((k) => `fuji_a.${q(k)} = fuji_b.${q(k)}`).join(' AND ');
  const rest = model.columns.filter((c) => !model.key.includes(c.name));
  const same = rest.length
    ? rest.map((c) => `fuji_a.${q(c.name)} IS NOT DISTINCT FROM fuji_b.${q(c.name)}`).join(' AND ')
    : 'TRUE';
  const key = model.key
    .map((k) => `coalesce(CAST(coalesce(fuji_b.${q(k)}, fuji_a.${q(k)}) AS varchar), 'null')`)
    .join(`, ' | ', `);
  return `WITH fuji_x AS (
  SELECT CASE WHEN fuji_a.fuji_in IS NULL THEN 'inserted'
              WHEN fuji_b.fuji_in IS NULL THEN 'deleted'
              WHEN NOT (${same}) THEN 'updated' END AS fuji_kind,
         ${model.key.length === 1 ? key : `concat(${key})`} AS fuji_key,
         CASE WHEN fuji_a.fuji_in THEN ${partitionText(model, 'fuji_a')} END AS fuji_pa,
         CASE WHEN fuji_b.fuji_in THEN ${partitionText(model, 'fuji_b')} END AS fuji_pb
  FROM (${selectState(model, from, ', TRUE AS fuji_in')}) fuji_a
  FULL OUTER JOIN (${selectState(model, to, ', TRUE AS fuji_in')}) fuji_b ON ${on}
), fuji_c AS (SELECT * FROM fuji_x WHERE fuji_kind IS NOT NULL)
SELECT 'count', fuji_kind, CAST(count(*) AS varchar) FROM fuji_c GROUP BY fuji_kind
UNION ALL
SELECT 'partitions', NULL, CAST(count(DISTINCT fuji_p) AS varchar)
FROM fuji_c CROSS JOIN UNNEST(ARRAY[fuji_pa, fuji_pb]) AS fuji_u (fuji_p) WHERE fuji_p IS NOT NULL
UNION ALL
SELECT 'sample', fuji_kind, fuji_key FROM (
  SELECT fuji_kind, fuji_key, row_number() OVER (PARTITION BY fuji_kind ORDER BY fuji_key) AS fuji_rn
  FROM fuji_c) WHERE fuji_rn <= ${Math.max(0, Math.floor(sample))}`;
}

export async function diffStates(
  engine: AthenaEngine,
  model: TableModel,
  from: string,
  to: string,
  opts: { sample?: number; signal?: AbortSignal } = {},
): Promise<StateDiff> {
  const counts = { inserted: 0, updated: 0, deleted: 0 };
  const samples: Record<ChangeKind, string[]> = { inserted: [], updated: [], deleted: [] };
  let partitions = 0;
  if (from !== to) {
    const [a, b] = await Promise.all(
      [from, to].map((id) => stateOf(engine, model, id, opts.signal)),
    );
    const r = await engine.query(diffSql(model, a!, b!, opts.sample ?? 5), {
      kind: 'select',
      signal: opts.signal,
    });
    for (const [what, kind, value] of r.text) {
      if (what === 'partitions') partitions = Number(value);
      else if (KINDS.includes(kind as ChangeKind)) {
        if (what === 'count') counts[kind as ChangeKind] = Number(value);
        else samples[kind as ChangeKind].push(value!);
      }
    }
    for (const k of KINDS) samples[k].sort();
  }
  return { from, to, counts, partitions, samples };
}
