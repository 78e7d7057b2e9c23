/**
 * The demo's file part: every sample file (Shift_JIS and UTF-8 with BOM, and the publishers'
 * layouts: a wide 8th-station file, a year-less press table, an .xlsx workbook) is put into the
 * local upload bucket, moto's S3 notification delivers the event, the loader reads it through
 * its contract; one file with problems shows the quarantine. Then the counts and a first query.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AthenaEngine } from '#shared/engine/athena.ts';
import { uploadLocal } from './csv.ts';
import { formatRows } from './format.ts';

const SAMPLES = new URL('../connectors/csv_upload/samples/', import.meta.url);

/** A day of 8th-station counts with the mistakes real files carry. */
const PROBLEMS = [
  '日付,登山道,登山者数,備考',
  '令和7年8月1日,富士宮,"1,204",',
  '令和7年8月1日,富士宮,"1,240",再集計', // the same day and route twice
  '令和7年8月2日,富士宮表口,980,', // a route spelling the contract does not know
  '令和7年2月30日,須走,310,', // no such day
  '令和7年8月3日,御殿場,=SUM(A1:A3),', // a formula where a number belongs
  '令和7年8月4日,吉田,x,秘匿', // confidential: lands as NULL with the reason
].join('\r\n');

export async function demoFiles(engine: AthenaEngine): Promise<boolean> {
  const dir = fileURLToPath(SAMPLES);
  const rows: (string | null)[][] = [];
  let ok = true;
  const files: [string, string | Uint8Array, string][] = readdirSync(dir)
    .filter((f) => f.endsWith('.csv'))
    .sort()
    .map((f) => [f.split('.')[0]!, `${dir}${f}`, f]);
  // Files laid out as the ministry and the prefecture publish them: wide, year-less, .xlsx.
  const publishers = fileURLToPath(new URL('publishers/', SAMPLES));
  for (const f of readdirSync(publishers).sort())
    files.push([f.split('.')[0]!, `${publishers}${f}`, `publishers/${f}`]);
  files.push(['moe_climbers_8th', new TextEncoder().encode(PROBLEMS), 'with-problems.csv']);
  for (const [dataset, file, key] of files) {
    for (const o of await uploadLocal(file, dataset, key)) {
      ok &&= o.status !== 'failed';
      const r = o.report;
      const skipped = r ? Object.values(r.skipped).reduce((a, b) => a + b, 0) : 0;
      rows.push([
        o.key,
        o.status,
        r?.detection.encoding ?? null,
        r ? String(r.read) : null,
        r ? String(r.loaded) : null,
        r ? String(skipped) : null,
        r ? String(r.quarantined) : null,
      ]);
    }
  }
  console.log(
    `\nFiles through S3 events (moto notification → loader):\n${formatRows(
      ['object', 'status', 'encoding', 'read', 'loaded', 'skipped', 'quarantined'],
      rows,
      'table',
    )}`,
  );
  const climbers = await engine.query(
    `SELECT count_point, route, count(*) AS days, sum(climbers) AS climbers, count_if(climbers IS NULL) AS days_null ` +
      `FROM ${engine.names.table('climbing', 'climber_counts')} WHERE count_date BETWEEN DATE '2025-07-10' AND DATE '2025-07-26' GROUP BY 1, 2 ORDER BY 1, 2`,
  );
  console.log(
    `\nClimbers 10–26 July 2025 by counter and route (8th and 5th station are different counts; 17–26 July from the publishers' layouts):\n${formatRows(
      climbers.columns.map((c) => c.name),
      climbers.text,
      'table',
    )}`,
  );
  const problems = await engine.query(
    `SELECT line_number, raw, reason FROM ops.quarantine WHERE source LIKE '%/with-problems.csv' ORDER BY line_number`,
  );
  console.log(
    `\nQuarantined from with-problems.csv (replay after a contract fix: fuji-etl csv replay):\n${formatRows(
      problems.columns.map((c) => c.name),
      problems.text,
      'table',
    )}`,
  );
  return ok;
}
