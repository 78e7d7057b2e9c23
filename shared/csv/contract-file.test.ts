import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { uploadContractDeps } from '#connectors/csv_upload/contracts.ts';
import { parseContractFile } from './contract-file.ts';

const dir = new URL('../../connectors/csv_upload/contracts/', import.meta.url);
const yaml = (body: string) => parseContractFile(body, 'contracts/x.yml', uploadContractDeps);

const minimal = `name: test_counts
doc: { ja: テスト, en: Test }
table: climbing.climber_counts
columns:
  count_date: { headers: [日付], parse: date, required: true }
  route: { headers: [登山道], parse: { oneOf: routes }, required: true }
  climbers: { headers: [登山者数], parse: { integer: { units: [人] } } }
constants: { count_point: 8th_station }
load: merge
`;

describe('contract files', () => {
  it('reads every contract of the repository as YAML too (JSON is YAML), equal to the loaded one', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files.length).toBe(4);
    for (const f of files) {
      const c = parseContractFile(readFileSync(new URL(f, dir), 'utf8'), f, uploadContractDeps);
      expect(`${c.name}.json`).toBe(f);
    }
  });

  it('turns a YAML contract into a working contract', () => {
    const c = yaml(minimal);
    expect(c.table.name).toBe('climber_counts');
    expect(c.columns.climbers!.parse.parse('1,002人')).toEqual({ ok: true, value: 1002 });
    expect(c.columns.route!.parse.parse('富士宮口')).toEqual({ ok: true, value: 'fujinomiya' });
  });

  it('names the line of a schema error, an unknown key, an unknown parser and a YAML syntax error', () => {
    expect(() => yaml(minimal.replace('parse: date', 'parse: dat'))).toThrow(
      /^contracts\/x\.yml: line 5: columns\.count_date\.parse: /,
    );
    expect(() => yaml(`${minimal}colour: blue\n`)).toThrow(
      'contracts/x.yml: line 10: colour: unknown key (a typo, or a setting this version does not have)',
    );
    expect(() => yaml(minimal.replace('load: merge', 'load: upsert'))).toThrow(
      /line 9: load: Invalid type: Expected \("merge" \| "replace-source"\)/,
    );
    expect(() => yaml(minimal.replace('[日付], parse', '[日付, parse'))).toThrow(
      /^CONTRACT_FILE|line \d+:/,
    );
  });

  it('refuses a contract naming an unknown table, vocabulary or column, naming the file', () => {
    expect(() => yaml(minimal.replace('climbing.climber_counts', 'climbing.nothing'))).toThrow(
      'contracts/x.yml: line 3: table: no table climbing.nothing',
    );
    expect(() => yaml(minimal.replace('oneOf: routes', 'oneOf: rivers'))).toThrow(
      /unknown vocabulary "rivers" \(known: routes\)/,
    );
    expect(() => yaml(minimal.replace('climbers:', 'climberz:'))).toThrow(
      /contracts\/x\.yml: .*names unknown column climberz/,
    );
  });
});
