/**
 * Packages the service offline (osls + serverless-esbuild: each function bundled alone, ESM,
 * minified, tree-shaken) and reports every function's zip against its budget: 1 MiB, or 3 MiB for
 * a bundle that carries the GA4 connector (Google's auth library). Exits non-zero over budget.
 *
 *   node scripts/package.ts [stage]     (default: dev; `lint` turns every optional pipeline on)
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

const root = new URL('..', import.meta.url).pathname;
const BUDGET = 1024 * 1024;
const BUDGET_GA4 = 3 * 1024 * 1024;
/** A string only the GA4 connector puts in a bundle. */
const GA4_MARK = 'analyticsdata.googleapis.com';

export interface PackagedFunction {
  readonly name: string;
  readonly zipped: number;
  readonly unzipped: number;
  readonly ga4: boolean;
  readonly budget: number;
}

export interface Packaged {
  readonly dir: string;
  readonly template: Record<string, unknown> & { Resources: Record<string, Resource> };
  readonly functions: readonly PackagedFunction[];
}

export interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string | string[];
}

/** The files of a zip, inflated (a zip's central directory names each entry and its offset). */
function unzipEntries(zip: Buffer): { name: string; data: Buffer }[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  const out = [];
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(p + 10);
    const size = zip.readUInt32LE(p + 20);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    const offset = zip.readUInt32LE(p + 42);
    const name = zip.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    const start = offset + 30 + zip.readUInt16LE(offset + 26) + zip.readUInt16LE(offset + 28);
    const raw = zip.subarray(start, start + size);
    out.push({ name, data: method === 8 ? inflateRawSync(raw) : raw });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

export function packageService(stage = 'dev'): Packaged {
  const dir = `${root}.serverless`;
  rmSync(dir, { recursive: true, force: true });
  const r = spawnSync(`${root}node_modules/.bin/osls`, ['package', '--stage', stage], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' },
  });
  if (r.status !== 0) {
    throw new Error(`serverless package --stage ${stage} failed:\n${r.stdout}${r.stderr}`);
  }
  const functions = readdirSync(dir)
    .filter((f) => f.endsWith('.zip'))
    .map((f) => {
      const zip = readFileSync(`${dir}/${f}`);
      const files = unzipEntries(zip);
      const ga4 = files.some((e) => e.data.includes(GA4_MARK));
      return {
        name: f.replace(/\.zip$/, ''),
        zipped: statSync(`${dir}/${f}`).size,
        unzipped: files.reduce((n, e) => n + e.data.length, 0),
        ga4,
        budget: ga4 ? BUDGET_GA4 : BUDGET,
      };
    });
  const template = JSON.parse(
    readFileSync(`${dir}/cloudformation-template-update-stack.json`, 'utf8'),
  ) as Packaged['template'];
  return { dir, template, functions };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const stage = process.argv[2] ?? 'dev';
  const p = packageService(stage);
  let over = 0;
  for (const f of p.functions) {
    const ok = f.zipped < f.budget;
    if (!ok) over++;
    console.log(
      `${f.name.padEnd(18)} ${(f.zipped / 1024).toFixed(0).padStart(5)} KiB zipped, ${(f.unzipped / 1024).toFixed(0).padStart(5)} KiB unzipped  budget ${f.budget / 1024} KiB${f.ga4 ? ' (carries GA4)' : ''}  ${ok ? 'ok' : 'OVER BUDGET'}`,
    );
  }
  console.log(
    `template: ${Object.keys(p.template.Resources).length} resources (stage ${stage}) in ${p.dir}`,
  );
  process.exitCode = over > 0 ? 1 : 0;
}
