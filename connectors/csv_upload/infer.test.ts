/**
 * `csv infer` on every sample drafts a contract that `csv check` then accepts: the draft, read
 * back from its YAML, loads the same records as the deployed contract, quarantining none.
 */
import { createReadStream, readdirSync } from 'node:fs';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { contractFileDeps, contractFiles, contracts } from '#connectors/contracts.ts';
import { parseContractFile, validateContractFile } from '#shared/csv/contract-file.ts';
import type { Contract } from '#shared/csv/contract.ts';
import { inferContract } from '#shared/csv/infer.ts';
import { openCsv } from '#shared/csv/read.ts';

const samples = new URL('./samples/', import.meta.url);

async function counts(contract: Contract, file: URL) {
  const reader = await openCsv(createReadStream(file), contract, {
    source: file.pathname,
    reopen: async () => createReadStream(file),
  });
  let rows = 0;
  for await (const b of reader.batches()) rows += b.rows.length;
  return { rows, loaded: reader.report.loaded, quarantined: reader.report.quarantined };
}

describe('csv infer', () => {
  const files = [
    ...readdirSync(samples).filter((f) => f.endsWith('.csv')),
    ...readdirSync(new URL('publishers/', samples))
      .filter((f) => f.endsWith('.csv'))
      .map((f) => `publishers/${f}`),
  ];

  it('has a sample of every upload contract in both encodings, and the publishers’ layouts', () => {
    expect(files).toHaveLength(10);
  });

  for (const f of files) {
    const dataset = f.replace('publishers/', '').split('.')[0]!;
    it(`drafts from ${f} a contract that loads what ${dataset} loads`, async () => {
      const file = new URL(f, samples);
      const like = {
        contract: contracts.get(dataset)!,
        file: validateContractFile(contractFiles.get(dataset), dataset),
      };
      const draft = await inferContract(createReadStream(file), {
        source: f,
        like,
        vocabularies: contractFileDeps.vocabularies,
      });
      const reread = parseContractFile(stringify(draft.contract), `${f}.yml`, contractFileDeps);
      const want = await counts(like.contract, file);
      const got = await counts(reread, file);
      expect(got).toEqual(want);
      expect(got.quarantined).toBe(0);
    });
  }

  it('drafts a wide layout, the types and the units from a file no contract knows', async () => {
    const { contract, findings } = await inferContract(
      (async function* () {
        yield Buffer.from(
          '富士山五合目 登山者数（令和7年）\n日付,富士宮口,須走口,計,天気\n7/10(木),"1,002人",313人,"1,315人",晴\n7/11(金),980人,300人,"1,280人",雨\n期間計,"1,982人",613人,"2,595人",\n',
        );
      })(),
      { source: 'new.csv', vocabularies: contractFileDeps.vocabularies },
    );
    expect(contract.unpivot).toMatchObject({
      parse: { integer: { units: ['人'] } },
      headers: { fujinomiya: ['富士宮口'], subashiri: ['須走口'] },
    });
    expect(contract.columns).toEqual({
      column_1: { headers: ['日付'], parse: 'date' },
      column_5: { headers: ['天気'], parse: 'text' },
    });
    expect(contract.ignore).toEqual(['計']);
    expect(findings).toContain('year of year-less dates from: 富士山五合目 登山者数（令和7年）');
    expect(findings).toContain('total rows: 期間計 (skipped as totals)');
  });
});
