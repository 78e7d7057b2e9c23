/**
 * Validating and encoding one row against its model: the canonical value of every column, the
 * row's partition key and its merge key. Every staged row passes through here (a million-row
 * file, a million times), so the work that depends only on the model is done once per model,
 * and the answers that depend only on a value (a date's canonical text, a partition's key) are
 * remembered for the few values a batch repeats. The answers and the errors are exactly those
 * of `canonical` and `partitionValue`, which the fast paths defer to whenever they are not sure.
 */
import { describeError } from '../errors/index.ts';
import { partitionValue } from '../model/partition.ts';
import type { ColumnDef, PartitionField, TableModel } from '../model/table.ts';
import { canonical } from '../sql/canonical.ts';

export interface Encoded {
  /** Canonical values (sql/canonical.ts) of every model column. */
  readonly values: Record<string, unknown>;
  /** The same values in model column order: what a staged part is built from. */
  readonly cells: readonly unknown[];
  readonly partition: string;
  readonly key: string;
}

/**
 * An encoded row whose values by name and key are made when asked for: a staged row is read by
 * column position only, an object of a dozen properties set by name per row costs more than
 * validating them (V8 builds it one keyed store at a time), and a source with unique keys never
 * asks for the key.
 */
class EncodedRow implements Encoded {
  readonly cells: readonly unknown[];
  readonly partition: string;
  readonly #columns: readonly ColumnDef[];
  /** The key columns' positions in `cells`. */
  readonly #keyAt: readonly number[];
  #values: Record<string, unknown> | undefined;
  #key: string | undefined;

  constructor(
    columns: readonly ColumnDef[],
    keyAt: readonly number[],
    cells: unknown[],
    partition: string,
  ) {
    this.#columns = columns;
    this.#keyAt = keyAt;
    this.cells = cells;
    this.partition = partition;
  }

  /** keyOf(model, values), from the cells. */
  get key(): string {
    if (this.#key === undefined) {
      let key = '';
      for (const at of this.#keyAt) key += keyPart(this.cells[at]);
      this.#key = key;
    }
    return this.#key;
  }

  get values(): Record<string, unknown> {
    if (!this.#values) {
      const values: Record<string, unknown> = {};
      this.#columns.forEach((c, i) => (values[c.name] = this.cells[i]));
      this.#values = values;
    }
    return this.#values;
  }
}

/** Values remembered per column or field: the distinct days or partitions of a few batches. */
const MEMO_MAX = 4_096;

/**
 * `f` remembered for string and bigint arguments (numbers are left alone: a memo keyed by
 * SameValueZero would confuse -0 with 0, which a double's literal tells apart).
 */
function remembered(f: (v: unknown) => string): (v: unknown) => string {
  const memo = new Map<string | bigint, string>();
  return (v) => {
    if (typeof v !== 'string' && typeof v !== 'bigint') return f(v);
    const hit = memo.get(v);
    if (hit !== undefined) return hit;
    const out = f(v);
    if (memo.size >= MEMO_MAX) memo.clear();
    memo.set(v, out);
    return out;
  };
}

/** canonical(type, v) for one column, with the shortcuts its type allows. */
function canonicalOf(c: ColumnDef): (v: unknown) => unknown {
  const type = c.type;
  switch (type) {
    case 'long':
      // A whole number a contract parsed: always within 64 bits once it is a safe integer.
      return (v) =>
        typeof v === 'number' && Number.isSafeInteger(v) ? BigInt(v) : canonical(type, v);
    case 'string': {
      // Lineage columns repeat one value on every row: checked once while it repeats.
      let last: string | undefined;
      return (v) => {
        if (v === last) return v;
        const out = canonical(type, v);
        if (typeof v === 'string') last = v;
        return out;
      };
    }
    case 'date': {
      const text = remembered((v) => canonical(type, v) as string);
      return (v) => (typeof v === 'string' ? text(v) : canonical(type, v));
    }
    default:
      return (v) => canonical(type, v);
  }
}

interface RowEncoder {
  readonly names: ReadonlySet<string>;
  readonly columns: readonly {
    readonly def: ColumnDef;
    readonly canonical: (v: unknown) => unknown;
  }[];
  readonly fields: readonly {
    /** The field's column's position in the model. */
    readonly at: number;
    readonly value: (v: unknown) => string;
  }[];
  /** The key columns' positions in the model. */
  readonly key: readonly number[];
  /**
   * The last order of keys a row came with, checked against the model, and where each column's
   * value is in it (-1: not an own key). A source's rows share one order, so a row whose keys
   * are in it is read by position, without a lookup by name per column.
   */
  shape?: { readonly keys: readonly string[]; readonly from: readonly number[] };
}

/** The same keys in the same order (property names are interned: compared by identity). */
function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const encoders = new WeakMap<TableModel, RowEncoder>();

function encoderOf(model: TableModel): RowEncoder {
  const known = encoders.get(model);
  if (known) return known;
  const field = (f: PartitionField) => ({
    at: model.columns.findIndex((c) => c.name === f.column),
    value: remembered((v) => partitionValue(model, f, v)),
  });
  const e: RowEncoder = {
    names: new Set(model.columns.map((c) => c.name)),
    columns: model.columns.map((def) => ({ def, canonical: canonicalOf(def) })),
    fields: model.partitionBy.map(field),
    key: model.key.map((k) => model.columns.findIndex((c) => c.name === k)),
  };
  encoders.set(model, e);
  return e;
}

/** Validates one row against the model; throws with the column's name and the reason. */
export function encodeRow(model: TableModel, row: Record<string, unknown>): Encoded {
  const e = encoderOf(model);
  const keys = Object.keys(row);
  let shape = e.shape;
  if (!shape || !sameKeys(shape.keys, keys)) {
    for (const k of keys) {
      if (!e.names.has(k)) throw new Error(`unknown column ${k}`);
    }
    shape = { keys, from: e.columns.map(({ def }) => keys.indexOf(def.name)) };
    e.shape = shape;
  }
  // Rows are plain data (the runtime quarantines them as JSON): their own values, in key order.
  const own = Object.values(row);
  const cells = new Array<unknown>(e.columns.length);
  for (let i = 0; i < e.columns.length; i++) {
    const { def: c, canonical: canon } = e.columns[i]!;
    let v: unknown;
    const at = shape.from[i]!;
    // A column that is no own key is looked up by name, as before (a prototype may hold it).
    const raw = at >= 0 ? own[at] : row[c.name];
    try {
      v = raw === null || raw === undefined ? null : canon(raw);
    } catch (err) {
      throw new Error(`column ${c.name}: ${describeError(err)}`, { cause: err });
    }
    if (v === null && c.required) throw new Error(`column ${c.name} is required`);
    cells[i] = v;
  }
  // partitionKey(model, values), one remembered field at a time.
  let partition = '';
  for (let i = 0; i < e.fields.length; i++) {
    const f = e.fields[i]!;
    const v = cells[f.at];
    const p = v === null ? 'null' : f.value(v);
    partition = i === 0 ? p : `${partition}\u0001${p}`;
  }
  return new EncodedRow(model.columns, e.key, cells, partition);
}

/**
 * A text unique per key value. Canonical values have one form per value (sql/canonical.ts), so
 * their text, length-prefixed against separators inside strings, identifies the key; this runs
 * for every row, so it does not build SQL literals.
 */
export function keyOf(model: TableModel, values: Record<string, unknown>): string {
  let out = '';
  for (const c of model.key) out += keyPart(values[c]);
  return out;
}

function keyPart(v: unknown): string {
  const t = v instanceof Uint8Array ? Buffer.from(v).toString('hex') : String(v);
  return `${t.length}:${t}|`;
}
