import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDependencies } from './dependency-rule.ts';

const repo = new URL('..', import.meta.url).pathname;

/** A tiny repository with the real config, package.json aliases and tsconfig, in a tmp folder. */
function fixture(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'fuji-etl-deprule-'));
  copyFileSync(join(repo, '.dependency-cruiser.mjs'), join(dir, '.dependency-cruiser.mjs'));
  copyFileSync(join(repo, 'tsconfig.json'), join(dir, 'tsconfig.json'));
  copyFileSync(join(repo, 'package.json'), join(dir, 'package.json'));
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'));
  for (const [path, body] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), body);
  }
  return dir;
}

describe('the dependency rule', () => {
  const dirs: string[] = [];
  const make = (files: Record<string, string>) => {
    const d = fixture(files);
    dirs.push(d);
    return d;
  };
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  let leaky: Awaited<ReturnType<typeof checkDependencies>>;
  beforeAll(async () => {
    leaky = await checkDependencies({
      baseDir: make({
        'local/config.ts': 'export const port = 1;\n',
        'tests/helpers/stack.ts': 'export const helper = 1;\n',
        'cli/context.ts': 'export const ctx = 1;\n',
        // Through the package.json alias, as the four configs did.
        'shared/aws/clients.ts':
          "import { port } from '#local/config.ts';\nexport const p = port;\n",
        'connectors/x/config.ts':
          "import { ctx } from '../../cli/context.ts';\nexport const c = ctx;\n",
        'functions/f/handler.ts':
          "import { helper } from '../../tests/helpers/stack.ts';\nexport const h = helper;\n",
        'shared/runtime/run.ts':
          "import { c } from '#connectors/x/config.ts';\nexport const r = c;\n",
        // A test beside the code may use the local stand-ins and the helpers.
        'shared/aws/clients.test.ts':
          "import { port } from '#local/config.ts';\nimport { helper } from '../../tests/helpers/stack.ts';\nexport const t = port + helper;\n",
      }),
    });
  }, 60_000);

  it('fails a product file that imports local/, cli/ or tests/, through an alias or a path', () => {
    expect(leaky.violations).toEqual(
      expect.arrayContaining([
        'product-imports-local-cli-tests: shared/aws/clients.ts → local/config.ts',
        'product-imports-local-cli-tests: connectors/x/config.ts → cli/context.ts',
        'product-imports-local-cli-tests: functions/f/handler.ts → tests/helpers/stack.ts',
      ]),
    );
  });

  it('fails shared/ importing a connector, and lets a test beside the code use the stand-ins', () => {
    expect(leaky.violations).toContain(
      'shared-imports-connectors-functions: shared/runtime/run.ts → connectors/x/config.ts',
    );
    expect(leaky.violations.filter((v) => v.includes('clients.test.ts'))).toEqual([]);
    expect(leaky.violations).toHaveLength(4);
  });

  it('finds a folder cycle of shared/ through a third folder and type-only imports, naming its imports', async () => {
    const r = await checkDependencies({
      baseDir: make({
        // time -> runtime -> sql -> time, with no module cycle: only the folders loop.
        'shared/time/days.ts':
          "import type { DateRange } from '../runtime/connector.ts';\nexport const days = (r: DateRange) => r.from;\n",
        'shared/time/civil.ts': 'export const civil = 1;\n',
        'shared/runtime/connector.ts': 'export interface DateRange { from: string }\n',
        'shared/runtime/run.ts': "import { q } from '../sql/quote.ts';\nexport const run = q;\n",
        'shared/sql/quote.ts':
          "import { civil } from '../time/civil.ts';\nexport const q = (s: string) => s + civil;\n",
        'shared/text/free.ts': "import { q } from '../sql/quote.ts';\nexport const f = q('y');\n",
      }),
    });
    expect(r.violations).toEqual([]);
    expect(r.folderCycles.map((c) => c.folders)).toEqual([
      ['shared/runtime', 'shared/sql', 'shared/time'],
    ]);
    expect(r.folderCycles[0]!.edges).toContainEqual({
      from: 'shared/time',
      to: 'shared/runtime',
      imports: ['shared/time/days.ts -> shared/runtime/connector.ts'],
    });
  }, 60_000);

  it('fails a module cycle of values, not one through a type-only import (erased at run time)', async () => {
    const r = await checkDependencies({
      baseDir: make({
        'connectors/x/a.ts': "import { b } from './b.ts';\nexport const a = () => b;\n",
        'connectors/x/b.ts': "import { a } from './a.ts';\nexport const b = () => a;\n",
        'connectors/y/parse.ts':
          "import type { Quota } from './quota.ts';\nexport const quotaOf = (q: Quota) => q;\n",
        'connectors/y/quota.ts':
          "import { quotaOf } from './parse.ts';\nexport interface Quota { n: number }\nexport const q = quotaOf;\n",
      }),
    });
    // One violation per cycle, named from its first module.
    expect(r.violations.map((v) => v.slice(0, v.indexOf(' (')))).toEqual([
      'no-module-cycles: connectors/x/a.ts → connectors/x/b.ts',
    ]);
  }, 60_000);
});
