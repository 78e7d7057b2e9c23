import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { defineTable, col } from '../model/table.ts';
import {
  defineContract,
  headerKey,
  LINEAGE_COLUMNS,
  looksLikeTotal,
  matchHeader,
  readRow,
  type Contract,
  type ContractDef,
} from './contract.ts';
import { date, normalizeCell, number, oneOf, text } from './values.ts';

const table = defineTable({
  namespace: 'test',
  name: 'counts',
  doc: { ja: '人数', en: 'Counts' },
  columns: [
    col('count_date', 'date', '日付', 'Date', true),
    col('route', 'string', 'ルート', 'Route', true),
    col('counter', 'string', '計数器', 'Counter'),
    col('climbers', 'int', '人数', 'Climbers'),
    col('remark', 'string', '備考', 'Remark'),
    ...LINEAGE_COLUMNS,
  ],
  key: ['count_date', 'route'],
});

const def: ContractDef = {
  name: 'counts',
  doc: { ja: '人数', en: 'Counts' },
  table,
  columns: {
    count_date: { headers: ['日付'], parse: date(), required: true },
    route: { headers: ['ルート'], parse: oneOf({ fujinomiya: ['富士宮'] }), required: true },
    climbers: { headers: ['人数'], parse: number({ units: ['人'], integer: true }) },
    remark: { headers: ['メモ'], parse: text() },
  },
  constants: { counter: 'gate' },
  load: 'replace-source',
};

const header = ['日付', 'ルート', '人数', 'メモ'];
const mapOf = (c: Contract) => {
  const m = matchHeader(c, header, 1);
  if (!m || !('map' in m)) throw new Error('no header');
  return m.map;
};

/** The total-line rule as it reads: any short cell whose header key is a label. */
function referenceTotal(c: Contract, fields: readonly string[]): boolean {
  return fields.some((f) => {
    const cell = normalizeCell(f);
    if (cell.length > 8) return false;
    const k = headerKey(cell);
    return c.totalLabels.has(k) || (c.totalPattern && /^[^\s,]{1,7}計$/.test(k));
  });
}

const cellText = fc.oneof(
  fc
    .array(fc.constantFrom(...'計合小累総期間県8月１２ 　TotalTOTALｹｲ計ﾞ\u3099ー-x,¥'), {
      maxLength: 9,
    })
    .map((cs) => cs.join('')),
  fc.constantFrom(
    'TOTAL',
    'Total',
    'ＴＯＴＡＬ',
    ' 合 計',
    '合　計',
    'ｹｲ',
    'ケイ',
    '期間計',
    '県計',
    '小計 ',
  ),
);

describe('the total-line check', () => {
  const contracts = [
    defineContract(def),
    defineContract({ ...def, skip: { totalLabels: ['Total', 'ｹｲ', '合 計'] } }),
  ];

  it('skips exactly the rows the rule names, with the shortcut or without', () => {
    for (const c of contracts) {
      const h = mapOf(c);
      fc.assert(
        fc.property(cellText, fc.integer({ min: 1, max: 3 }), (cell, at) => {
          const fields = ['2025/7/1', '富士宮', '12', 'ok'];
          fields[at] = cell;
          const out = readRow(c, h, fields, 2, { source: 't' });
          const total = out.kind === 'skip' && out.reason === 'total';
          expect(total).toBe(referenceTotal(c, fields));
        }),
        { numRuns: 3000 },
      );
    }
  });

  it('agrees with the default rule used by csv infer', () => {
    const c = contracts[0]!;
    for (const cell of [
      '計',
      '合計',
      ' 合計 ',
      '期間計',
      '８月計',
      '3登山口計',
      '富士宮',
      '12',
      '計画',
    ]) {
      expect(referenceTotal(c, [cell])).toBe(looksLikeTotal(normalizeCell(cell)));
    }
  });
});

describe('rows read through a header', () => {
  it('keep the lineage, constants, columns and notes in one order', () => {
    const c = defineContract(def);
    const out = readRow(c, mapOf(c), ['２０２５/7/1', '富士宮', 'x', ' hi '], 9, {
      source: 's3://b/k',
      version: 'v1',
    });
    expect(out.kind).toBe('rows');
    const [row] = out.kind === 'rows' ? out.rows : [];
    expect(Object.entries(row!)).toEqual([
      ['source', 's3://b/k'],
      ['source_line', 9],
      ['source_version', 'v1'],
      ['licence', null],
      ['counter', 'gate'],
      ['count_date', '2025-07-01'],
      ['route', 'fujinomiya'],
      ['climbers', null],
      ['remark', 'hi'],
      ['null_notes', 'climbers=x (confidential)'],
    ]);
  });

  it('call a parser without the normalised shortcut with the raw cell', () => {
    const seen: string[] = [];
    const raw = {
      describe: 'raw',
      parse: (t: string) => (seen.push(t), { ok: true as const, value: t }),
    };
    const c = defineContract({
      ...def,
      columns: { ...def.columns, remark: { headers: ['メモ'], parse: raw } },
    });
    readRow(c, mapOf(c), ['2025/7/1', '富士宮', '1', '　ｘ '], 2, { source: 't' });
    expect(seen).toEqual(['　ｘ ']);
  });

  it('name every failing column in the reason', () => {
    const c = defineContract(def);
    const out = readRow(c, mapOf(c), ['2025/2/30', '須走', '1.5', ''], 3, { source: 't' });
    expect(out).toEqual({
      kind: 'reject',
      reason:
        'count_date: no such date: "2025/2/30"; route: unknown value "須走" (expected fujinomiya); climbers: not an integer: "1.5"',
    });
  });
});
