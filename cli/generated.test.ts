import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allTables } from '#connectors/index.ts';
import { tableDocs } from '#shared/model/docs.ts';
import { governanceDocs } from './infra/docs.ts';
import { generatedFragments } from './infra/index.ts';
import { allSettingNames, readmeWithSettings, settingsDocs } from './settings.ts';
import { execFileSync } from 'node:child_process';

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

  it('docs/settings.md and README’s settings table are up to date with the declarations (npm run fuji-etl -- docs)', async () => {
    expect(readFileSync(new URL('../docs/settings.md', import.meta.url), 'utf8')).toBe(
      settingsDocs(),
    );
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toBe(await readmeWithSettings(readme));
  });

  it('declares every FUJI_ETL_* variable the code, the scripts and the templates read', () => {
    const root = new URL('..', import.meta.url).pathname;
    const used = execFileSync(
      'git',
      [
        'grep',
        '-ohE',
        'FUJI_ETL_[A-Z0-9_]*[A-Z0-9]',
        '--',
        '*.ts',
        '*.sh',
        '*.yml',
        '*.json',
        '*.py',
        '.ci/*',
        ':!*.test.ts',
      ],
      { cwd: root, encoding: 'utf8' },
    );
    const declared = allSettingNames();
    const missing = [...new Set(used.split('\n').filter(Boolean))].filter((n) => !declared.has(n));
    expect(missing).toEqual([]);
  });

  for (const [name, body] of Object.entries(generatedFragments())) {
    it(`infra/${name} is up to date with the models (npm run fuji-etl -- infra)`, () => {
      expect(readFileSync(new URL(`../infra/${name}`, import.meta.url), 'utf8')).toBe(
        `${JSON.stringify(body, null, 2)}\n`,
      );
    });
  }
});
