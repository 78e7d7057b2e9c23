/**
 * Bundles every functions/<name>/handler.ts alone with esbuild (ESM, Node 24, minified,
 * tree-shaken) into dist/<name>/index.mjs and reports raw and zipped sizes against the budget:
 * 1 MiB zipped, 3 MiB for a bundle that carries the GA4 connector (Google's auth library).
 */
import { readdirSync, statSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';

const BUDGET_ZIPPED = 1024 * 1024;
const BUDGET_ZIPPED_GA4 = 3 * 1024 * 1024;
const root = new URL('..', import.meta.url).pathname;

export interface Bundle {
  readonly name: string;
  readonly bytes: number;
  readonly zipped: number;
  readonly ga4: boolean;
  readonly budget: number;
}

export async function bundleAll(): Promise<Bundle[]> {
  const out = [];
  for (const name of readdirSync(`${root}functions`)) {
    if (!statSync(`${root}functions/${name}`).isDirectory()) continue;
    const outfile = `${root}dist/${name}/index.mjs`;
    const result = await build({
      metafile: true,
      entryPoints: [`${root}functions/${name}/handler.ts`],
      outfile,
      bundle: true,
      minify: true,
      treeShaking: true,
      platform: 'node',
      target: 'node24',
      format: 'esm',
      // Some SDK dependencies still call require(); give the ESM bundle one.
      banner: {
        js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
      logLevel: 'error',
    });
    const bytes = statSync(outfile).size;
    const ga4 = Object.keys(result.metafile.inputs).some((f) => f.includes('connectors/ga4/'));
    out.push({
      name,
      bytes,
      zipped: deflateRawSync(readFileSync(outfile), { level: 9 }).length,
      ga4,
      budget: ga4 ? BUDGET_ZIPPED_GA4 : BUDGET_ZIPPED,
    });
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const b of await bundleAll()) {
    const ok = b.zipped < b.budget ? 'ok' : 'OVER BUDGET';
    console.log(
      `${b.name}${b.ga4 ? ' (with GA4)' : ''}: ${(b.bytes / 1024).toFixed(0)} KiB, ${(b.zipped / 1024).toFixed(0)} KiB zipped (budget ${b.budget / 1024} KiB) ${ok}`,
    );
  }
}
