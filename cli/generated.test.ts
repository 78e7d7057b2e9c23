import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allTables } from '#connectors/index.ts';
import { tableDocs } from '#shared/model/docs.ts';
import { governanceDocs } from './infra/docs.ts';
import { generatedFragments } from './infra/index.ts';

describe('generated files', () => {
  it('docs/tables.md is up to date with the table models (npm run fuji-etl -- docs)', () => {
    expect(readFileSync(new URL('../docs/tables.md', import.meta.url), 'utf8')).toBe(
      tableDocs(allTables()),
    );
  });

  it('docs/governance.md (domains, access matrix) is up to date with the model (node cli/infra/docs.ts)', () => {
    expect(readFileSync(new URL('../docs/governance.md', import.meta.url), 'utf8')).toBe(
      governanceDocs(),
    );
  });

  for (const [name, body] of Object.entries(generatedFragments())) {
    it(`infra/${name} is up to date with the models (npm run fuji-etl -- infra)`, () => {
      expect(readFileSync(new URL(`../infra/${name}`, import.meta.url), 'utf8')).toBe(
        `${JSON.stringify(body, null, 2)}\n`,
      );
    });
  }
});
