/**
 * A dataset contract: how one kind of file maps onto one table. Declared once, next to the table
 * model; validated at import time, so a contract naming a column its table lacks never deploys.
 * Reading a record against it gives rows, a skip (title, note, total, blank) or a reason to
 * quarantine the record; nothing else.
 */
import { col, fullName, ModelError, type ColumnDef, type TableModel } from '../model/table.ts';
import { assertIdentifier } from '../sql/identifier.ts';
import type { TableTarget } from '../runtime/connector.ts';
import type { Encoding } from './decode.ts';
import {
  isNfkcStable,
  normalizeCell,
  type Cell,
  type CellContext,
  type CellParser,
} from './values.ts';

export interface ColumnRule {
  /** Header spellings seen in the wild; matched after NFKC and removing all spaces. */
  readonly headers: readonly string[];
  readonly parse: CellParser;
  readonly required?: boolean;
}

/**
 * Wide files (one column per route) become one row per column: 富士宮口 → route=fujinomiya. A
 * contract may also map `column` and `value` in `columns`: that is its long layout (one row per
 * route), and the header of each file decides which of the two it is.
 */
export interface Unpivot {
  /** Table column receiving the code of the source column. */
  readonly column: string;
  /** Table column receiving the cell's value. */
  readonly value: string;
  readonly parse: CellParser;
  /** Code → header spellings. */
  readonly headers: Readonly<Record<string, readonly string[]>>;
}

/** Both modes replace, in one commit, every row the previous version of the same file wrote
 *  (the rows the new version dropped disappear). `merge` (the key spans files: another file's
 *  row with the same key is updated) and `replace-source` are kept as the contract files spell
 *  them; since one-commit writes they load the same way. */
export type LoadMode = 'merge' | 'replace-source';

export interface ContractDef {
  readonly name: string;
  readonly doc: { readonly ja: string; readonly en: string };
  readonly table: TableModel;
  readonly columns: Readonly<Record<string, ColumnRule>>;
  /** Values fixed by the contract (which counter a file comes from). */
  readonly constants?: Readonly<Record<string, string | number>>;
  readonly unpivot?: Unpivot;
  /** Headers present in the files but deliberately not loaded (totals columns, remarks). */
  readonly ignore?: readonly string[];
  readonly skip?: {
    /** A row whose first non-empty cell starts with one of these is a footnote. */
    readonly notePrefixes?: readonly string[];
    /** A row with a cell equal to one of these is a total line. */
    readonly totalLabels?: readonly string[];
  };
  /** Used when the bytes cannot tell (plain ASCII); detection otherwise wins. */
  readonly encoding?: Encoding;
  readonly licence?: string;
  readonly load: LoadMode;
  /** Rows searched for the header before the file is refused (title rows come first). */
  readonly headerSearchRows?: number;
  /**
   * Header cells no rule names: `report` (default) loads the known columns and names the
   * others in `csv check`, the ledger and the object tag; `fail` refuses the file.
   */
  readonly unknownColumns?: UnknownColumns;
  /** The sheet of an Excel upload (default the first). */
  readonly sheet?: string;
}

export type UnknownColumns = 'report' | 'fail';

export interface Contract extends ContractDef {
  readonly notePrefixes: readonly string[];
  readonly totalLabels: ReadonlySet<string>;
  /** Compounds ending in 計 count as totals too (unless the contract lists its own labels). */
  readonly totalPattern: boolean;
}

/** Columns every contract table carries, so each row says where it came from. */
export const LINEAGE_COLUMNS: readonly ColumnDef[] = [
  col(
    'source',
    'string',
    '取得元（S3オブジェクト・URL・ファイル）',
    'Source object, URL or file',
    true,
  ),
  col('source_line', 'long', '取得元の行番号', 'Line number in the source', true),
  col(
    'source_version',
    'string',
    '取得元の版（ETag・更新日時）',
    'Source version (ETag, resource update time)',
  ),
  col('licence', 'string', 'ライセンス', 'Licence of the source data'),
  col(
    'null_notes',
    'string',
    '空欄の理由（x=秘匿など）',
    'Why values are NULL, as the source marked them (x = confidential, …)',
  ),
];

const TOTAL_LABEL_MAX = 8;
export const DEFAULT_NOTES = ['注', '※', '(注', '出典', '資料', '備考'];
const DEFAULT_TOTALS = ['計', '合計', '総計', '小計', '累計'];
/** A section heading's marks, after NFKC (＜ → <, ［ → [). */
const HEADING = /^[【<[■□◆◇●○★☆〈《]/;
/** Compounds of 計 that label total rows: 期間計, 県計, 8月計, 3登山口計. */
const TOTAL_COMPOUND = /^[^\s,]{1,7}計$/;

/** Header text compared without width, case or any spaces (headers wrap and pad freely). */
export function headerKey(s: string): string {
  return normalizeCell(s).replace(/\s+/g, '').toLowerCase();
}

/** Validates a contract against its table; throws at import time. */
export function defineContract(def: ContractDef): Contract {
  const t = fullName(def.table);
  assertIdentifier(def.name, 'contract name');
  const covered = new Set<string>(LINEAGE_COLUMNS.map((c) => c.name));
  const claim = (name: string, by: string) => {
    if (!def.table.columns.some((c) => c.name === name)) {
      throw new ModelError(t, `contract ${def.name}: ${by} names unknown column ${name}`);
    }
    if (covered.has(name))
      throw new ModelError(t, `contract ${def.name}: column ${name} is set twice`);
    covered.add(name);
  };
  for (const c of LINEAGE_COLUMNS) {
    if (!def.table.columns.some((x) => x.name === c.name)) {
      throw new ModelError(t, `contract ${def.name}: table lacks lineage column ${c.name}`);
    }
  }
  for (const name of Object.keys(def.columns)) claim(name, 'columns');
  for (const name of Object.keys(def.constants ?? {})) claim(name, 'constants');
  if (def.unpivot) {
    // Both in `columns` (the long layout) and here (the wide one) is the point, not a clash.
    for (const name of [def.unpivot.column, def.unpivot.value])
      if (!(name in def.columns)) claim(name, 'unpivot');
  }
  for (const c of def.table.columns) {
    if (c.required && !covered.has(c.name)) {
      throw new ModelError(t, `contract ${def.name}: required column ${c.name} has no source`);
    }
  }
  const seen = new Map<string, string>();
  const headerOwners: [string, readonly string[]][] = [
    ...Object.entries(def.columns).map(([k, r]) => [k, r.headers] as [string, readonly string[]]),
    ...Object.entries(def.unpivot?.headers ?? {}),
    ['(ignored)', def.ignore ?? []],
  ];
  for (const [owner, headers] of headerOwners) {
    for (const h of headers) {
      const k = headerKey(h);
      const prev = seen.get(k);
      if (prev !== undefined && prev !== owner) {
        throw new ModelError(
          t,
          `contract ${def.name}: header ${h} belongs to ${prev} and ${owner}`,
        );
      }
      seen.set(k, owner);
    }
  }
  return Object.freeze({
    ...def,
    notePrefixes: (def.skip?.notePrefixes ?? DEFAULT_NOTES).map((p) => normalizeCell(p)),
    totalLabels: new Set((def.skip?.totalLabels ?? DEFAULT_TOTALS).map(headerKey)),
    totalPattern: def.skip?.totalLabels === undefined,
  });
}

/** Where each table column (or unpivot code) is read from in a file. */
export interface HeaderMap {
  readonly line: number;
  readonly width: number;
  /** `wide` when the header has the unpivot's columns (one per category). */
  readonly layout: 'long' | 'wide';
  readonly columns: ReadonlyMap<string, number>;
  readonly unpivot: ReadonlyMap<string, number>;
  readonly ignored: readonly string[];
  /** Header cells no rule names, not loaded (policy `report`). */
  readonly unknown: readonly string[];
}

export type HeaderMatch = { readonly map: HeaderMap } | { readonly near: string } | undefined;

/**
 * Matches one record against the contract's headers. Undefined when the row is not a header at
 * all (a title row); `near` when it looks like one but fails (unknown or missing columns), with
 * the reason.
 */
export function matchHeader(c: Contract, fields: readonly string[], line: number): HeaderMatch {
  const columns = new Map<string, number>();
  const unpivot = new Map<string, number>();
  const ignored: string[] = [];
  const unknown: string[] = [];
  const lookup = new Map<string, (i: number) => string | undefined>();
  for (const [name, rule] of Object.entries(c.columns)) {
    for (const h of rule.headers) lookup.set(headerKey(h), (i) => set(columns, name, i));
  }
  for (const [code, hs] of Object.entries(c.unpivot?.headers ?? {})) {
    for (const h of hs) lookup.set(headerKey(h), (i) => set(unpivot, code, i));
  }
  for (const h of c.ignore ?? []) lookup.set(headerKey(h), () => void ignored.push(h));
  const problems: string[] = [];
  function set(m: Map<string, number>, k: string, i: number): string | undefined {
    if (m.has(k)) return `${k} appears twice (columns ${m.get(k)! + 1} and ${i + 1})`;
    m.set(k, i);
    return undefined;
  }
  fields.forEach((f, i) => {
    const k = headerKey(f);
    if (k === '') return;
    const hit = lookup.get(k);
    if (!hit) unknown.push(f);
    else {
      const p = hit(i);
      if (p) problems.push(p);
    }
  });
  const matched = columns.size + unpivot.size;
  if (matched === 0) return undefined;
  const wide = unpivot.size > 0;
  // In a wide file the unpivot's code and value come from its columns, not from a column each.
  const longOnly = new Set(wide && c.unpivot ? [c.unpivot.column, c.unpivot.value] : []);
  const missing = Object.entries(c.columns)
    .filter(([name, r]) => r.required && !columns.has(name) && !longOnly.has(name))
    .map(([name, r]) => `${name} (${r.headers.join(' / ')})`);
  const hasLong = c.unpivot && c.unpivot.column in c.columns && c.unpivot.value in c.columns;
  if (c.unpivot && !wide && !hasLong)
    missing.push(`any of ${Object.values(c.unpivot.headers).flat().join(' / ')}`);
  if (wide) {
    for (const name of longOnly)
      if (columns.has(name))
        problems.push(`${name} is both a column and spread over ${[...unpivot.keys()].join(', ')}`);
  }
  // One matching cell in a title row is chance; a header matches most of the contract.
  if (missing.length > 0 && matched < 2) return undefined;
  if (missing.length > 0) problems.push(`missing ${missing.join(', ')}`);
  if (unknown.length > 0 && c.unknownColumns === 'fail') {
    problems.push(
      `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => JSON.stringify(u)).join(', ')} (add to the contract's headers or ignore list)`,
    );
  }
  if (problems.length > 0) return { near: `header at line ${line}: ${problems.join('; ')}` };
  return {
    map: {
      line,
      width: fields.length,
      layout: wide ? 'wide' : 'long',
      columns,
      unpivot,
      ignored,
      unknown: unknown.map((u) => normalizeCell(u)),
    },
  };
}

function isTotalLabel(c: Contract, cell: string): boolean {
  const k = headerKey(cell);
  return c.totalLabels.has(k) || (c.totalPattern && TOTAL_COMPOUND.test(k));
}

/** A total label under the default rules (for `csv infer`, which has no contract yet). */
export function looksLikeTotal(cell: string): boolean {
  const k = headerKey(cell);
  return DEFAULT_TOTALS.includes(k) || TOTAL_COMPOUND.test(k);
}

export type RowOutcome =
  | { readonly kind: 'rows'; readonly rows: readonly Record<string, unknown>[] }
  | { readonly kind: 'skip'; readonly reason: 'blank' | 'note' | 'total' }
  | { readonly kind: 'reject'; readonly reason: string };

export interface Lineage {
  readonly source: string;
  readonly version?: string;
  /** The source's own licence (open-data resources carry one each); else the contract's. */
  readonly licence?: string;
}

/** A column read by readRow: its parser and where its cell is (-1: not in this file). */
interface ColumnPlan {
  readonly name: string;
  readonly parser: CellParser;
  readonly required: boolean;
  readonly index: number;
}

/** What readRow works out once per header rather than once per row. */
interface RowPlan {
  readonly contract: Contract;
  readonly columns: readonly ColumnPlan[];
  readonly wide: boolean;
  /**
   * The UTF-16 units a total label's key can end in; undefined when any short cell must be
   * checked in full (a contract listing a label that is blank as a key).
   */
  readonly totalEnds: ReadonlySet<number> | undefined;
}

const plans = new WeakMap<HeaderMap, RowPlan>();

function planOf(c: Contract, h: HeaderMap): RowPlan {
  const known = plans.get(h);
  if (known?.contract === c) return known;
  const wide = h.layout === 'wide' && c.unpivot !== undefined;
  const columns: ColumnPlan[] = [];
  for (const [name, rule] of Object.entries(c.columns)) {
    if (wide && (name === c.unpivot!.column || name === c.unpivot!.value)) continue;
    columns.push({
      name,
      parser: rule.parse,
      required: rule.required === true,
      index: h.columns.get(name) ?? -1,
    });
  }
  const ends = new Set<number>();
  let blankLabel = false;
  for (const k of c.totalLabels) {
    if (k === '') blankLabel = true;
    else ends.add(k.charCodeAt(k.length - 1));
  }
  if (c.totalPattern) ends.add('計'.charCodeAt(0));
  const plan = { contract: c, columns, wide, totalEnds: blankLabel ? undefined : ends };
  plans.set(h, plan);
  return plan;
}

/**
 * isTotalLabel for a normalised cell, without its NFKC and regex work where the answer is
 * certainly no. A cell NFKC leaves alone keeps its last character as its key's last (the key
 * only drops spaces, which a trimmed cell has not at its end, and lower-cases A–Z), so a cell
 * whose last character ends no label's key is not a label.
 */
function isTotalCell(
  c: Contract,
  ends: ReadonlySet<number> | undefined,
  cell: string,
  knownStable: boolean,
): boolean {
  if (cell.length > TOTAL_LABEL_MAX) return false;
  if (ends !== undefined) {
    if (cell === '') return false;
    const last = cell.charCodeAt(cell.length - 1);
    const endsNoLabel = !ends.has(last >= 0x41 && last <= 0x5a ? last + 0x20 : last);
    if (endsNoLabel && (knownStable || isNfkcStable(cell))) return false;
  }
  return isTotalLabel(c, cell);
}

/** Turns one data record into table rows, a skip, or a reason to quarantine it. */
export function readRow(
  c: Contract,
  h: HeaderMap,
  fields: readonly string[],
  line: number,
  lineage: Lineage,
  ctx?: CellContext,
): RowOutcome {
  const n = fields.length;
  const cells = new Array<string>(n);
  let firstCell: string | undefined;
  let filled = 0;
  // Bit i: field i was already NFKC (its trimmed cell is too), known without a second scan.
  let stable = 0;
  for (let i = 0; i < n; i++) {
    // normalizeCell, keeping what its check found.
    const raw = fields[i]!;
    let f: string;
    if (isNfkcStable(raw)) {
      f = raw.trim();
      if (i < 31) stable |= 1 << i;
    } else f = raw.normalize('NFKC').trim();
    cells[i] = f;
    if (f !== '') {
      firstCell ??= f;
      filled++;
    }
  }
  if (firstCell === undefined) return { kind: 'skip', reason: 'blank' };
  for (const p of c.notePrefixes)
    if (firstCell.startsWith(p)) return { kind: 'skip', reason: 'note' };
  // A section heading inside the table (【富士宮口】, ＜7月＞, ■ 速報値): one marked cell alone.
  if (filled === 1 && HEADING.test(firstCell)) return { kind: 'skip', reason: 'note' };
  const plan = planOf(c, h);
  // Total labels are short words (計, 合計, 期間計); longer cells need no check.
  for (let i = 0; i < n; i++) {
    if (isTotalCell(c, plan.totalEnds, cells[i]!, ((stable >>> i) & 1) === 1 && i < 31)) {
      return { kind: 'skip', reason: 'total' };
    }
  }
  if (fields.length > h.width && fields.slice(h.width).some((f) => f.trim() !== '')) {
    return { kind: 'reject', reason: `row has ${fields.length} fields, the header has ${h.width}` };
  }
  if (fields.length < h.width) {
    return { kind: 'reject', reason: `row has ${fields.length} fields, the header has ${h.width}` };
  }
  // The errors joined by '; ' as they come ('' for none), like the notes.
  let errors = '';
  // The notes joined by '; ' as they come ('' for none).
  let notes = '';
  const base: Record<string, unknown> = {
    source: lineage.source,
    source_line: line,
    source_version: lineage.version ?? null,
    licence: lineage.licence ?? c.licence ?? null,
  };
  if (c.constants) Object.assign(base, c.constants);
  for (const col of plan.columns) {
    const i = col.index;
    const cell = parseCell(col.parser, i < 0 ? '' : cells[i]!, i < 0 ? '' : fields[i]!, ctx);
    if (!cell.ok) errors = joined(errors, `${col.name}: ${cell.error}`);
    else {
      if (cell.value === null && col.required)
        errors = joined(
          errors,
          `${col.name}: required but empty${cell.note ? ` (${cell.note})` : ''}`,
        );
      if (cell.note)
        notes = notes ? `${notes}; ${col.name}=${cell.note}` : `${col.name}=${cell.note}`;
      base[col.name] = cell.value;
    }
  }
  if (plan.wide) {
    const rows: Record<string, unknown>[] = [];
    const u = c.unpivot!;
    for (const [code, i] of h.unpivot) {
      const cell = parseCell(u.parse, cells[i]!, fields[i]!, ctx);
      if (!cell.ok) errors = joined(errors, `${code}: ${cell.error}`);
      else if (cell.value !== null || cell.note) {
        const note = cell.note && `${u.value}=${cell.note}`;
        rows.push({
          ...base,
          [u.column]: code,
          [u.value]: cell.value,
          null_notes: note ? (notes ? `${notes}; ${note}` : note) : notes || null,
        });
      }
    }
    if (!errors && rows.length === 0) return { kind: 'skip', reason: 'blank' };
    if (errors) return { kind: 'reject', reason: errors };
    return { kind: 'rows', rows };
  }
  if (errors) return { kind: 'reject', reason: errors };
  // The long layout's one row is the base itself (its keys already in the table's order).
  base.null_notes = notes || null;
  return { kind: 'rows', rows: [base] };
}

/** Messages joined by '; ' as they come. */
const joined = (all: string, one: string) => (all ? `${all}; ${one}` : one);

/** A cell through its parser, skipping the parser's own NFKC where it offers that. */
function parseCell(
  p: CellParser,
  cell: string,
  raw: string,
  ctx: CellContext | undefined,
): Cell<unknown> {
  return p.parseNormalized ? p.parseNormalized(cell, raw, ctx) : p.parse(raw, ctx);
}

/**
 * How a contract's rows are written: a file's answer is the whole truth of its own rows, so a
 * new version of it replaces the previous version's rows in one commit (rows it dropped leave
 * the table; readers never see the two versions mixed, nor the file's rows missing).
 */
export function contractTarget(c: Contract): TableTarget {
  return { model: c.table, disposition: 'replace', replaceBySource: 'source' };
}
