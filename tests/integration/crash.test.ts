/**
 * kill -9 of a loader at random points of a load of a new file version. After each kill a
 * reader sees exactly the old version or exactly the new one, the table lock frees within its
 * TTL, the rerun converges on the new version, and the sweeper leaves no staging behind.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qualifiedName } from '#shared/sql/identifier.ts';
import { ensureTable } from '#shared/writer/ensure-table.ts';
import { cliContext } from '../../cli/context.ts';
import { crashModel } from '../helpers/crash-model.ts';
import { testEngine, testStaging, uniqueNamespace } from '../helpers/local.ts';
import { fileStateTable } from '../helpers/state.ts';

const ns = uniqueNamespace('crash');
// The loaders the test starts share the file's state table, so they contend for one lock.
const stateTable = fileStateTable();
const model = crashModel(ns);
const engine = testEngine();
const staging = testStaging();
const ctx = cliContext({
  ...process.env,
  FUJI_ETL_TARGET: 'local',
  FUJI_ETL_STATE_TABLE: stateTable,
});
const ROWS = 30_000;
const TTL = 2_000;
const KILLS = 10;
const loader = fileURLToPath(new URL('../helpers/crash-loader.ts', import.meta.url));

interface Load {
  readonly exit: Promise<number | null>;
  kill(): void;
}

function load(version: string): Load {
  const child = spawn(process.execPath, [loader, ns, stateTable, version, String(ROWS)], {
    env: { ...process.env, CRASH_LOCK_TTL_MS: String(TTL) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return {
    exit: new Promise((resolve) =>
      child.on('exit', (code, signal) => {
        if (code !== 0 && signal !== 'SIGKILL') console.error(err.slice(-2_000));
        resolve(code);
      }),
    ),
    kill: () => child.kill('SIGKILL'),
  };
}

/** The versions a reader sees now, with their row counts. */
async function versions(): Promise<string[]> {
  const r = await engine.query(
    `SELECT version, count(*) FROM ${qualifiedName(ns, model.name)} GROUP BY version ORDER BY version`,
  );
  return r.text.map((x) => `${x[0]}:${x[1]}`);
}

beforeAll(async () => {
  await ensureTable(engine, 'trino', model);
});

afterAll(async () => {
  await engine.query(`DROP TABLE IF EXISTS ${qualifiedName(ns, model.name)}`);
  await engine.query(`DROP SCHEMA IF EXISTS "${ns}"`);
});

describe('a loader killed with SIGKILL mid-load', () => {
  it(`leaves the old or the new version whole, frees its lock within the TTL, and converges (${KILLS} kills)`, async () => {
    const t0 = Date.now();
    expect(await load('v00').exit).toBe(0);
    const loadMs = Date.now() - t0;
    expect(await versions()).toEqual([`v00:${ROWS}`]);
    let current = 'v00';
    const outcomes: string[] = [];
    for (let i = 1; i <= KILLS; i++) {
      const next = `v${String(i).padStart(2, '0')}`;
      const l = load(next);
      // Random points over the whole load: reading, staging, registering, merging, releasing.
      await new Promise((r) => setTimeout(r, 300 + Math.random() * loadMs));
      l.kill();
      const code = await l.exit;
      const seen = await versions();
      expect([[`${current}:${ROWS}`], [`${next}:${ROWS}`]]).toContainEqual(seen);
      outcomes.push(
        seen[0] === `${next}:${ROWS}` ? (code === 0 ? 'finished' : 'committed') : 'old',
      );
      // The dead run's lock frees within one TTL: the rerun takes it by waiting, not failing.
      const waited = Date.now();
      const lock = await ctx.store.acquireLock(`table#${ns}.${model.name}`, `probe-${i}`, TTL, {
        waitUntil: Date.now() + TTL * 3,
      });
      expect(Date.now() - waited).toBeLessThan(TTL + 1_500);
      await lock.release();
      expect(await load(next).exit).toBe(0);
      expect(await versions()).toEqual([`${next}:${ROWS}`]);
      current = next;
    }
    console.log(`crash test: ${KILLS} kills over a ${loadMs} ms load: ${outcomes.join(', ')}`);
    // Stages the kills left behind are a day old for a sweeper running a day later.
    await staging.sweep(new Date(Date.now() + 25 * 3_600_000));
    expect(await staging.leftovers(`${ns}_${model.name}`)).toEqual([]);
  });
});
