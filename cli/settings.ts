/**
 * The one registry of settings: every variable the suite, its functions, its connectors, the
 * local stack, the tests and the benches read, from their own declarations. The settings tables
 * of README.md and docs/settings.md are generated from it (`fuji-etl docs`), and a test fails when
 * either file differs or when a `FUJI_ETL_*` variable appears in code without a declaration.
 */
import * as prettier from 'prettier';
import { SUITE_SETTINGS } from '#shared/config/index.ts';
import { LAMBDA_SETTINGS } from '#shared/lambda/settings.ts';
import { text, type Setting } from '#shared/settings/define.ts';
import { connectors } from '#connectors/index.ts';
import { LOCAL_SETTINGS } from '#local/config.ts';
import { settings as backfill } from '../functions/backfill/settings.ts';
import { settings as csvUpload } from '../functions/csv_upload/settings.ts';
import { settings as report } from '../functions/report/settings.ts';

export interface SettingsGroup {
  readonly title: string;
  readonly why: string;
  readonly settings: readonly { readonly setting: Setting<unknown>; readonly usedBy: string[] }[];
}

const tool = (name: Setting<unknown>['name'], doc: string, fallback = 'unset') =>
  text(name, { default: fallback, doc });

const TEST_SETTINGS: readonly Setting<unknown>[] = [
  tool(
    'FUJI_ETL_UPDATE_GOLDEN',
    'Set to `1` to write missing or changed golden expectations (then read their diff).',
  ),
  tool('FUJI_ETL_BENCH_FILES', 'csv-stream bench: only these files (`100MB`, `1GB`).', 'both'),
  tool('FUJI_ETL_BENCH_MODES', 'csv-stream bench: only these modes.', 'all three'),
  tool(
    'FUJI_ETL_BENCH_ENGINE',
    'csv-stream bench: `0` skips the load into the local engine.',
    'load',
  ),
  tool(
    'FUJI_ETL_BENCH_PROF',
    'csv-stream and encode-path benches: a directory for the children’s CPU profiles.',
  ),
  tool('FUJI_ETL_BENCH_RUNS', 'encode-path bench: runs per phase (the best is shown).', '3'),
  tool(
    'FUJI_ETL_BENCH_PHASES',
    'encode-path bench: only these phases (`read,encode,parts`).',
    'all three',
  ),
  tool('FUJI_ETL_BENCH_UPLOAD_MB', 'large-upload bench: the size of the generated file.', '100'),
];

function group(
  title: string,
  why: string,
  entries: readonly (readonly [string, Setting<unknown>])[],
): SettingsGroup {
  const byName = new Map<string, { setting: Setting<unknown>; usedBy: string[] }>();
  for (const [user, s] of entries) {
    const e = byName.get(s.name) ?? { setting: s, usedBy: [] };
    if (!e.usedBy.includes(user)) e.usedBy.push(user);
    byName.set(s.name, e);
  }
  return { title, why, settings: [...byName.values()] };
}

const each = (user: string, spec: object) =>
  Object.values(spec as Record<string, Setting<unknown>>).map((s) => [user, s] as const);

export function settingsRegistry(): SettingsGroup[] {
  return [
    group(
      'Suite',
      'Every function and the CLI: engine, catalog, state, staging, locks.',
      each('all', SUITE_SETTINGS),
    ),
    group('Functions', 'Read by the Lambda boundary and single functions.', [
      ...each('all functions', LAMBDA_SETTINGS),
      ...each('csv_upload', csvUpload),
      ...each('backfill', backfill),
      ...each('report', report),
    ]),
    group(
      'Connectors',
      'Declared by each connector (`settings` in its definition) and handed to it by the runtime.',
      Object.values(connectors).flatMap((c) => each(c.name, c.settings ?? {})),
    ),
    group(
      'Local stack',
      'Only the CLI, the tests and `stack up` read these; product code never does.',
      LOCAL_SETTINGS.map((s) => ['local stack', s] as const),
    ),
    group(
      'Tests and benches',
      'Read by the test helpers and `bench/`.',
      TEST_SETTINGS.map((s) => ['tests', s] as const),
    ),
  ];
}

export function allSettingNames(): Set<string> {
  return new Set(settingsRegistry().flatMap((g) => g.settings.map((e) => e.setting.name)));
}

const cell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');
const fallbackOf = (s: Setting<unknown>) =>
  s.required ? '**required**' : s.fallback === undefined ? 'unset' : `\`${s.fallback}\``;

export const SETTINGS_DOC = new URL('../docs/settings.md', import.meta.url);
export const README = new URL('../README.md', import.meta.url);

/** docs/settings.md: every setting with its type, default, users and purpose. */
export function settingsDocs(): string {
  const out = [
    '# Settings',
    '',
    'Generated from the settings declarations by `npm run fuji-etl -- docs` (checked by a test).',
    'Defaults are production’s; the CLI and the tests lay the local stack’s endpoints under the',
    'environment (`local/config.ts`), so product code never names the local stack. Every setting',
    'is read once, at cold start or CLI start, and a bad value fails there with the variable’s name.',
  ];
  for (const g of settingsRegistry()) {
    out.push(
      '',
      `## ${g.title}`,
      '',
      g.why,
      '',
      '| variable | accepts | default | read by | what it does |',
      '|---|---|---|---|---|',
    );
    for (const { setting: s, usedBy } of g.settings)
      out.push(
        `| \`${s.name}\` | ${cell(s.type)} | ${cell(fallbackOf(s))} | ${usedBy.join(', ')} | ${cell(s.doc)} |`,
      );
  }
  return `${out.join('\n')}\n`;
}

const START = '<!-- settings:start (generated by `npm run fuji-etl -- docs`) -->';
const END = '<!-- settings:end -->';

/**
 * README.md with its settings table (between the markers) regenerated, formatted as
 * `prettier --check` wants it (README is not a generated file, so it is checked like the rest).
 */
export async function readmeWithSettings(readme: string): Promise<string> {
  const options = await prettier.resolveConfig(README.pathname);
  return prettier.format(readmeText(readme), { ...options, filepath: README.pathname });
}

function readmeText(readme: string): string {
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) throw new Error(`README.md lacks the settings markers ${START} … ${END}`);
  const rows = settingsRegistry()
    .filter((g) => g.title !== 'Tests and benches')
    .flatMap((g) =>
      g.settings.map(
        ({ setting: s, usedBy }) =>
          `| \`${s.name}\` | ${cell(fallbackOf(s))} | ${g.title === 'Connectors' ? usedBy.join(', ') : g.title.toLowerCase()} |`,
      ),
    );
  const table = ['| variable | default | for |', '|---|---|---|', ...rows].join('\n');
  return `${readme.slice(0, a)}${START}\n${table}\n${readme.slice(b)}`;
}
