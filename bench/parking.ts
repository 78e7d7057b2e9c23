/**
 * Generated `parking_shuttle` files for the benchmarks: `n` rows over the 365 days of 2025 (one
 * year partition), days × sites, counts with their units (台, 人), CP932 like the publisher's.
 */
import { writeFileSync } from 'node:fs';
import iconv from 'iconv-lite';

export type ParkingRow = {
  use_date: string;
  site: string;
  vehicles: number;
  shuttle_passengers: number;
  vehicles_yoy: number;
};

/** Rows [from, to) of an n-row set over the 365 days of 2025 (one year partition): days × sites. */
export function rowsOf(n: number, from = 0, to = n): ParkingRow[] {
  const sites = Math.ceil(n / 365);
  const out = [];
  for (let i = from; i < to; i++) {
    const day = new Date(Date.UTC(2025, 0, 1) + (i % 365) * 86_400_000).toISOString().slice(0, 10);
    out.push({
      use_date: day,
      site: `P${String(Math.floor(i / 365) % sites).padStart(5, '0')}`,
      vehicles: i % 997,
      shuttle_passengers: i % 4_001,
      vehicles_yoy: (i % 201) - 100,
    });
  }
  return out;
}

/** Writes the file; `version` > 0 changes every count (a corrected file for the same object). */
export function generate(path: string, n: number, version = 0): void {
  const lines = ['日付,駐車場,駐車台数,シャトルバス乗車人数,前年同日比'];
  for (const r of rowsOf(n))
    lines.push(
      `${r.use_date.replaceAll('-', '/')},${r.site},${r.vehicles + version}台,${r.shuttle_passengers}人,${r.vehicles_yoy}`,
    );
  writeFileSync(path, iconv.encode(`${lines.join('\r\n')}\r\n`, 'cp932'));
}
