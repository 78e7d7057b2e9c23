import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localStackConfig } from '../config.ts';
import { maintainWarehouse } from './maintain.ts';
import { testEngine, uniqueNamespace } from '../../tests/helpers/local.ts';

describe('local warehouse maintenance', () => {
  it('keeps a table to its newest metadata files, and its snapshots within the window', async () => {
    const cfg = localStackConfig();
    const engine = testEngine();
    const ns = uniqueNamespace('maintain');
    await engine.query(`CREATE SCHEMA "${ns}"`);
    await engine.query(`CREATE TABLE "${ns}"."t" (n bigint)`);
    const insert = (n: number) => engine.query(`INSERT INTO "${ns}"."t" VALUES (${n})`);
    for (let n = 1; n <= 3; n++) await insert(n);
    const lines: string[] = [];
    await maintainWarehouse(cfg, (l) => lines.push(l), { schemas: [ns] });
    expect(lines.at(-1)).toMatch(/^maintenance: 1 tables \(0 skipped\)/);
    for (let n = 4; n <= 18; n++) await insert(n);
    const [dir] = readdirSync(join(cfg.stackDir, 'warehouse', ns)).filter((d) =>
      d.startsWith('t-'),
    );
    const metadata = readdirSync(join(cfg.stackDir, 'warehouse', ns, dir!, 'metadata')).filter(
      (f) => f.endsWith('.metadata.json'),
    );
    // The current file and the ten before it; without maintenance one per commit (19 here).
    expect(metadata.length).toBe(11);
    // Young snapshots stay (Trino's CREATE TABLE commits one, then one per insert): time travel
    // within the window still works.
    const snaps = await engine.query(`SELECT count(*) FROM "${ns}"."t$snapshots"`);
    expect(Number(snaps.rows[0]![0])).toBe(19);
    const rows = await engine.query(`SELECT count(*) FROM "${ns}"."t"`);
    expect(Number(rows.rows[0]![0])).toBe(18);

    // `fuji-etl maintain` also compacts, as S3 Tables does: 18 one-row files become one, in a
    // `replace` snapshot, and the rows and the time travel before it stay.
    const files = async () =>
      Number(
        (await engine.query(`SELECT count(*) FROM "${ns}"."t$files" WHERE content = 0`))
          .rows[0]![0],
      );
    expect(await files()).toBe(18);
    const r = await maintainWarehouse(cfg, () => {}, { tables: [`${ns}.t`], compact: true });
    expect(r).toMatchObject({ tables: 1, compacted: 1, skipped: 0, expired: 0 });
    expect(await files()).toBe(1);
    const last = await engine.query(
      `SELECT operation FROM "${ns}"."t$snapshots" ORDER BY committed_at DESC LIMIT 1`,
    );
    expect(last.rows[0]![0]).toBe('replace');
    const sum = await engine.query(`SELECT sum(n) FROM "${ns}"."t"`);
    expect(Number(sum.rows[0]![0])).toBe(171);
  });
});
