/**
 * Bundles every functions/<name>/handler.ts alone with esbuild (ESM, Node 24, minified,
 * tree-shaken) into dist/<name>/index.mjs and reports raw and zipped sizes against the budget.
 */
import { readdirSync, statSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';

const BUDGET_ZIPPED = 1024 * 1024;
const root = new URL('..', import.meta.url).pathname;

export async function bundleAll(): Promise<{ name: string; bytes: number; zipped: number }[]> {
  const out = [];
  for (const name of readdirSync(`${root}functions`)) {
    if (!statSync(`${root}functions/${name}`).isDirectory()) continue;
    const outfile = `${root}dist/${name}/index.mjs`;
    await build({
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
    out.push({ name, bytes, zipped: deflateRawSync(readFileSync(outfile), { level: 9 }).length });
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const b of await bundleAll()) {
    const ok = b.zipped < BUDGET_ZIPPED ? 'ok' : 'OVER BUDGET';
    console.log(
      `${b.name}: ${(b.bytes / 1024).toFixed(0)} KiB, ${(b.zipped / 1024).toFixed(0)} KiB zipped (budget 1024 KiB) ${ok}`,
    );
  }
}
