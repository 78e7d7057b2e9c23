/**
 * `csv infer`: drafts a contract from a sample file for a person to edit, in the contract-file
 * format. It finds the encoding, the header row (the first row of several text cells followed
 * by rows of values), title and period lines above it, each column's type (date, integer with
 * its unit, number, text) and the total and note rows; headers naming the categories of a known
 * code list (富士宮口, 御殿場口 …) make it a wide layout. Given an existing contract, columns
 * whose header it knows keep that contract's names and parsers.
 */
import { openText } from './decode.ts';
import { records } from './records.ts';
import { DEFAULT_NOTES, headerKey, looksLikeTotal, type Contract } from './contract.ts';
import type { ContractFile } from './contract-file.ts';
import { DateContext, yearHint } from './dates.ts';
import { date, normalizeCell, number } from './values.ts';

const SAMPLE_RECORDS = 300;
const UNITS = ['人', '名', '台', '円', '件', '回', '本', '日'];

export interface Inferred {
  readonly contract: ContractFile;
  /** What a person should check, one line each (also written as comments in the draft). */
  readonly findings: readonly string[];
}

export interface InferOptions {
  readonly source: string;
  readonly name?: string;
  /** An existing contract and its file form: known headers keep their names and parsers. */
  readonly like?: { readonly contract: Contract; readonly file: ContractFile };
  readonly vocabularies: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

type Spec = ContractFile['columns'][string]['parse'];

const isValue = (cell: string) => {
  const t = normalizeCell(cell);
  return t !== '' && (number({ units: UNITS }).parse(t).ok || /\d/.test(t));
};

/** A column's parser from its sample cells (year-less dates read with the title's year). */
function typeOf(
  cells: readonly string[],
  titles: readonly string[],
): { spec: Spec; note?: string } {
  const present = cells.map(normalizeCell).filter((c) => c !== '');
  if (present.length === 0) return { spec: 'text', note: 'no values in the sample' };
  const dates = new DateContext(yearHint(titles));
  const d = date();
  if (present.filter((c) => d.parse(c, { dates }).ok).length >= present.length * 0.8)
    return { spec: 'date' };
  const unit = UNITS.find((u) => present.some((c) => c.endsWith(u)));
  const n = number({ units: unit ? [unit] : [] });
  const nums = present.map((c) => n.parse(c)).filter((r) => r.ok);
  if (nums.length >= present.length * 0.8) {
    const integer = nums.every((r) => r.ok && (r.value === null || Number.isInteger(r.value)));
    const units = unit ? { units: [unit] } : {};
    return { spec: integer ? { integer: units } : { number: units } };
  }
  return { spec: 'text' };
}

/**
 * @example
 * const { contract, findings } = await inferContract(createReadStream(path), { source: path, vocabularies });
 */
export async function inferContract(
  chunks: AsyncIterable<Uint8Array>,
  opts: InferOptions,
): Promise<Inferred> {
  const { detection, lines } = await openText(chunks, { source: opts.source });
  const rows: string[][] = [];
  for await (const r of records(lines, { encoding: detection.encoding })) {
    if ('fields' in r) rows.push([...r.fields]);
    if (rows.length >= SAMPLE_RECORDS) break;
  }
  const filled = (r: readonly string[]) => r.filter((c) => normalizeCell(c) !== '').length;
  const headerAt = rows.findIndex(
    (r, i) =>
      filled(r) >= 2 &&
      r.filter((c) => normalizeCell(c) !== '' && !isValue(c)).length >= filled(r) * 0.6 &&
      rows.slice(i + 1, i + 4).some((n) => n.some(isValue)),
  );
  if (headerAt < 0)
    throw new Error(`${opts.source}: no header row found in the first ${rows.length} records`);
  const header = rows[headerAt]!.map(normalizeCell);
  const titles = rows
    .slice(0, headerAt)
    .map((r) => r.filter(Boolean).join(' '))
    .filter(Boolean);
  const body = rows.slice(headerAt + 1).filter((r) => {
    const first = normalizeCell(r.find((c) => c.trim()) ?? '');
    return filled(r) > 0 && !DEFAULT_NOTES.some((p) => first.startsWith(p));
  });
  const totals = body.filter((r) => r.some((c) => looksLikeTotal(c)));
  const data = body.filter((r) => !totals.includes(r));
  const findings: string[] = [`encoding: ${detection.encoding} (${detection.by})`];
  findings.push(
    `header: row ${headerAt + 1}${titles.length ? `, after ${titles.length} title line(s)` : ''}`,
  );
  const hint = yearHint(titles);
  if (hint) findings.push(`year of year-less dates from: ${hint.from.trim()}`);
  if (totals.length)
    findings.push(
      `total rows: ${totals.map((r) => normalizeCell(r.find((c) => c.trim())!)).join(', ')} (skipped as totals)`,
    );

  const known = new Map<string, string>();
  const like = opts.like;
  for (const [name, rule] of Object.entries(like?.contract.columns ?? {}))
    for (const h of rule.headers) known.set(headerKey(h), name);
  const unpivotKnown = new Map<string, string>();
  for (const [code, hs] of Object.entries(like?.contract.unpivot?.headers ?? {}))
    for (const h of hs) unpivotKnown.set(headerKey(h), code);
  // Categories of a known code list as headers: a wide file.
  const vocab = Object.entries(opts.vocabularies).find(
    ([, codes]) =>
      header.filter((h) =>
        Object.values(codes).some((sp) => sp.some((s) => headerKey(s) === headerKey(h))),
      ).length >= 2,
  );
  const columns: ContractFile['columns'] = {};
  const ignore: string[] = [];
  const spread: Record<string, string[]> = {};
  let spreadType: Spec | undefined;
  header.forEach((h, i) => {
    if (h === '') return;
    const k = headerKey(h);
    const cells = data.map((r) => r[i] ?? '');
    const code =
      unpivotKnown.get(k) ??
      (vocab && Object.entries(vocab[1]).find(([, sp]) => sp.some((s) => headerKey(s) === k))?.[0]);
    if (code && !known.has(k)) {
      (spread[code] ??= []).push(h);
      spreadType ??= typeOf(cells, titles).spec;
      return;
    }
    if (looksLikeTotal(h)) {
      ignore.push(h);
      findings.push(`column ${i + 1} ${JSON.stringify(h)} is a total: ignored`);
      return;
    }
    if (like && !known.has(k)) {
      // The table is given: a header it has no column for is kept out, visibly.
      ignore.push(h);
      const already = like.contract.ignore?.some((x) => headerKey(x) === k);
      if (!already)
        findings.push(
          `column ${i + 1} ${JSON.stringify(h)}: no column of ${like.file.table} for it: ignored`,
        );
      return;
    }
    const name = known.get(k) ?? `column_${i + 1}`;
    const fromLike = like?.file.columns[name];
    const t = typeOf(cells, titles);
    columns[name] = fromLike
      ? { ...fromLike, headers: [...new Set([...fromLike.headers, h])] }
      : { headers: [h], parse: t.spec };
    if (!fromLike)
      findings.push(
        `column ${i + 1} ${JSON.stringify(h)} → ${name}: ${JSON.stringify(t.spec)}${t.note ? ` (${t.note})` : ''} — name it after a table column`,
      );
  });
  const wide = Object.keys(spread).length > 0;
  if (wide)
    findings.push(`wide layout: ${Object.keys(spread).join(', ')} are columns; one row per column`);
  const base = like?.file;
  const contract: ContractFile = {
    name: opts.name ?? base?.name ?? 'draft',
    doc: base?.doc ?? { ja: '（説明を書く）', en: '(describe the file)' },
    table: base?.table ?? 'namespace.table',
    columns,
    ...(base?.constants && { constants: base.constants }),
    ...(wide && {
      unpivot: {
        column: base?.unpivot?.column ?? 'category',
        value: base?.unpivot?.value ?? 'value',
        parse: base?.unpivot?.parse ?? spreadType ?? 'text',
        headers: spread,
      },
    }),
    ...(ignore.length > 0 && { ignore }),
    encoding: detection.encoding,
    ...(base?.licence && { licence: base.licence }),
    load: base?.load ?? 'merge',
  };
  return { contract, findings };
}
