/**
 * The chart library inlined into every report, so it opens from file:// with no network:
 * d3's and Observable Plot's own minified UMD builds (Plot's expects the global `d3`).
 *
 * Read from node_modules at render time. The report function's package carries these two files
 * (functions/report/function.yml `package.patterns`) at the same place relative to the task
 * root, which is what LAMBDA_TASK_ROOT names; elsewhere the root is this file's ../../.
 */
import { readFileSync } from 'node:fs';

export const CHART_FILES = [
  'node_modules/d3/dist/d3.min.js',
  'node_modules/@observablehq/plot/dist/plot.umd.min.js',
] as const;

let cached: string | undefined;

/** The library's JavaScript, d3 first. */
export function chartLibrary(root = process.env.LAMBDA_TASK_ROOT): string {
  if (cached !== undefined && root === process.env.LAMBDA_TASK_ROOT) return cached;
  const base = root
    ? new URL(`file://${root.replace(/\/?$/, '/')}`)
    : new URL('../../', import.meta.url);
  const js = CHART_FILES.map((f) => readFileSync(new URL(f, base), 'utf8')).join('\n;\n');
  // A literal "</script" would end the inline script early.
  cached = js.replaceAll('</script', '<\\/script');
  return cached;
}
