/** The fuji-etl command line, run as a user runs it. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const CLI = new URL('../../cli/fuji-etl.ts', import.meta.url).pathname;

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      env: { ...process.env, FUJI_ETL_TARGET: 'local' },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('fuji-etl', () => {
  it('runs a query and prints CSV, JSON or an aligned table', async () => {
    const q = `SELECT 1 AS one, '富士山, "頂上"' AS name, CAST(NULL AS varchar) AS nothing`;
    expect((await cli('sql', q, '--format', 'csv')).stdout).toBe(
      'one,name,nothing\r\n1,"富士山, ""頂上""",\n',
    );
    expect(JSON.parse((await cli('sql', q, '--format', 'json')).stdout)).toEqual([
      { one: '1', name: '富士山, "頂上"', nothing: null },
    ]);
    expect((await cli('sql', q)).stdout).toContain('1   | 富士山, "頂上" | NULL');
  });

  it('runs a query with --database in the catalog of that namespace’s table bucket', async () => {
    const q = 'SELECT current_catalog AS c';
    // Locally the lake's bucket is Trino's `iceberg` catalog and the uploads bucket `uploads`.
    expect((await cli('sql', q, '--format', 'csv')).stdout).toBe('c\r\niceberg\n');
    expect((await cli('sql', q, '--format', 'csv', '--database', 'weather')).stdout).toBe(
      'c\r\niceberg\n',
    );
    expect((await cli('sql', q, '--format', 'csv', '--database', 'climbing')).stdout).toBe(
      'c\r\nuploads\n',
    );
  });

  it('lists the declared tables with namespace, key and partitioning', async () => {
    const { stdout, code } = await cli('tables');
    expect(code).toBe(0);
    expect(stdout).toMatch(/ops\s+\| run_ledger .*\| run_id, slice\s+\| month\(started_at\)/);
    expect(stdout).toMatch(/sandbox\s+\| trail_counts/);
  });

  it('checks a file against its contract without loading it', async () => {
    const sample = new URL(
      '../../connectors/csv_upload/samples/pref_climbers_5th.sjis.csv',
      import.meta.url,
    ).pathname;
    const { stdout, code } = await cli('csv', 'check', sample, '--dataset', 'pref_climbers_5th');
    expect(code).toBe(0);
    expect(stdout).toContain('encoding: cp932 (not UTF-8)');
    expect(stdout).toContain(
      'header: line 2: count_date ← column 1, route=fujinomiya ← column 2, route=gotemba ← column 3, route=subashiri ← column 4; ignored 3登山口計',
    );
    expect(stdout).toContain('records: 11 read = 7 loaded + 0 quarantined + 4 skipped');
    // Progress went to stderr, one plain line: the file read whole, its records.
    expect(await cli('csv', 'check', sample, '--dataset', 'pref_climbers_5th')).toMatchObject({
      stdout,
      stderr: expect.stringMatching(
        /^csv check pref_climbers_5th\.sjis\.csv: 0\.4 kB of 0\.4 kB \(100%\), 11 rows, \d+s elapsed\n$/,
      ),
    });
    const wrong = await cli(
      'csv',
      'check',
      sample,
      '--dataset',
      'pref_climbers_5th',
      '--encoding',
      'utf-8',
    );
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(
      /CSV_ENCODING: declared utf-8 but byte 0x.. at offset \d+ is not UTF-8/,
    );
    const unknown = await cli('csv', 'check', sample, '--dataset', 'nope');
    expect(unknown.stderr).toMatch(
      /--dataset must name a contract: moe_climbers_8th, pref_climbers_5th/,
    );
  });

  it('shows a backfill’s progress on stderr as plain lines when not on a terminal', async () => {
    // The file's own state table (tests/setup/state-table.ts) reaches the command through its
    // environment, so the range's progress cursor is nobody else's.
    const { stdout, stderr, code } = await cli(
      'run',
      'synthetic',
      '--from',
      '2024-07-10',
      '--to',
      '2024-07-12',
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/^run [0-9a-f-]{36} \(synthetic\)\n/);
    expect(stdout).not.toContain('elapsed');
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(
        /^backfill synthetic: 0\/2 slices \(0%\), 0 rows, \d+s elapsed \(planned\)$/,
      ),
      expect.stringMatching(
        /^backfill synthetic: 1\/2 slices \(50%\), 97 rows, \d+s elapsed, ~\d+s left \(2024-07-10 succeeded\)$/,
      ),
      expect.stringMatching(
        /^backfill synthetic: 2\/2 slices \(100%\), 194 rows, \d+s elapsed \(2024-07-11 succeeded\)$/,
      ),
    ]);
    // No escape, carriage return or other control character: CI logs and pipes stay readable.
    expect([...stderr].filter((ch) => ch < ' ' && ch !== '\n')).toEqual([]);
  });

  it('reports the stack status', async () => {
    const { stdout, code } = await cli('stack', 'status');
    expect(code).toBe(0);
    expect(stdout).toMatch(/trino\s+\| running/);
    expect(stdout).toMatch(/athena\s+\| running/);
    expect(stdout).toMatch(/moto\s+\| running/);
    expect(stdout).toMatch(/fakes\s+\| running/);
  });

  it('prints one clear line and exits non-zero on errors', async () => {
    const bad = await cli('sql', 'SELEC 1');
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/^fuji-etl: ENGINE_QUERY_FAILED: other query FAILED: SYNTAX_ERROR/);
    const unknown = await cli('run', 'nope');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toBe(
      'fuji-etl: USAGE: unknown connector "nope"; known: synthetic, jma_forecast, jma_amedas, jma_warning, jma_volcano, open_meteo, ga4, shizuoka_opendata',
    );
    expect((await cli('frobnicate')).code).toBe(2);
  });
});
