/**
 * The dependency rule of `npm test` (`npm run lint`): one dependency-cruiser pass over the
 * sources with the rules of .dependency-cruiser.mjs (product code never imports local/, cli/ or
 * tests/; shared/ never imports connectors/ or functions/; no module cycles), and on the same
 * graph the folder cycles of shared/, which dependency-cruiser's `circular` cannot see (it works
 * on modules): shared/a importing shared/b while shared/b reaches back into shared/a, even through
 * other files, makes the two folders one unit that cannot be understood, tested or moved apart.
 * Type-only imports count: they couple the folders as much as value imports do.
 *
 *   node scripts/dependency-rule.ts      (exits 1 on any violation or folder cycle)
 */
import { cruise, type ICruiseResult, type IModule } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Folders cruised: everything that ships and everything that could leak into it. */
export const CRUISED = ['shared', 'connectors', 'functions', 'local', 'cli', 'tests'] as const;

/** One import that crosses a folder boundary, as found in a cycle. */
export interface FolderEdge {
  readonly from: string;
  readonly to: string;
  /** The module imports that make the edge, `shared/a/x.ts -> shared/b/y.ts`. */
  readonly imports: readonly string[];
}

export interface DependencyReport {
  /** Rule violations, `rule: from → to`. */
  readonly violations: readonly string[];
  /** Each folder cycle of shared/: its folders and the edges between them. */
  readonly folderCycles: readonly { folders: readonly string[]; edges: readonly FolderEdge[] }[];
  readonly modules: number;
}

/**
 * Cruises `dirs` under `baseDir` with the config there and reports violations and folder cycles.
 *
 * @example
 * const r = await checkDependencies({ baseDir: process.cwd() });
 * if (r.violations.length + r.folderCycles.length > 0) process.exitCode = 1;
 */
export async function checkDependencies(opts: {
  baseDir: string;
  dirs?: readonly string[];
  config?: string;
}): Promise<DependencyReport> {
  const { baseDir } = opts;
  const cruiseOptions = await extractDepcruiseOptions(
    join(baseDir, opts.config ?? '.dependency-cruiser.mjs'),
  );
  const tsConfig = extractTSConfig(join(baseDir, 'tsconfig.json'));
  const dirs = (opts.dirs ?? CRUISED).filter((d) => existsSync(join(baseDir, d)));
  const out = await cruise(dirs, { ...cruiseOptions, baseDir, outputType: 'json' }, undefined, {
    tsConfig,
  });
  const result = (
    typeof out.output === 'string' ? JSON.parse(out.output) : out.output
  ) as ICruiseResult;
  const violations = result.summary.violations.map(
    (v) => `${v.rule.name}: ${v.from} → ${v.to}${v.cycle ? ` (cycle ${cycleText(v.cycle)})` : ''}`,
  );
  return {
    violations,
    folderCycles: folderCycles(result.modules),
    modules: result.modules.length,
  };
}

function cycleText(cycle: readonly ({ name: string } | string)[]): string {
  return cycle.map((c) => (typeof c === 'string' ? c : c.name)).join(' → ');
}

/** `shared/<folder>` of a product module of shared/, or undefined. */
function sharedFolder(path: string): string | undefined {
  if (path.endsWith('.test.ts')) return undefined;
  const m = /^shared\/([^/]+)\//.exec(path);
  return m ? `shared/${m[1]}` : undefined;
}

/** The strongly connected groups of shared/ folders (Tarjan), with the imports inside each. */
export function folderCycles(modules: readonly IModule[]): DependencyReport['folderCycles'] {
  const edges = new Map<string, Map<string, string[]>>();
  for (const m of modules) {
    const from = sharedFolder(m.source);
    if (!from) continue;
    for (const d of m.dependencies) {
      const to = sharedFolder(d.resolved);
      if (!to || to === from) continue;
      const out = edges.get(from) ?? new Map<string, string[]>();
      edges.set(from, out);
      out.set(to, [...(out.get(to) ?? []), `${m.source} -> ${d.resolved}`]);
    }
  }
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const groups: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        group.push(w);
      } while (w !== v);
      if (group.length > 1) groups.push(group.sort());
    }
  };
  for (const v of [...edges.keys()].sort()) if (!index.has(v)) visit(v);
  return groups.map((folders) => ({
    folders,
    edges: folders.flatMap((from) =>
      [...(edges.get(from) ?? [])]
        .filter(([to]) => folders.includes(to))
        .map(([to, imports]) => ({ from, to, imports })),
    ),
  }));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const t0 = Date.now();
  const r = await checkDependencies({ baseDir: process.cwd() });
  for (const v of r.violations) console.error(`  ${v}`);
  for (const c of r.folderCycles) {
    console.error(`  folder cycle: ${c.folders.join(', ')}`);
    for (const e of c.edges) console.error(`    ${e.from} -> ${e.to}: ${e.imports.join('; ')}`);
  }
  const bad = r.violations.length + r.folderCycles.length;
  console.error(
    `dependency rule: ${r.modules} modules, ${r.violations.length} violations, ${r.folderCycles.length} shared/ folder cycles (${Date.now() - t0} ms)`,
  );
  if (bad > 0) process.exitCode = 1;
}
