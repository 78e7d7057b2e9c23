/**
 * Generated entry-registration exports for the benchmarks: every key distinct (day × route ×
 * channel × country), Japanese text, yen amounts with thousands separators, CRLF.
 */
import { closeSync, existsSync, openSync, statSync, writeSync } from 'node:fs';

const ROUTES = ['富士宮', '須走', '御殿場', '吉田'];
const CHANNELS = ['アプリ', '現地', '旅行会社'];
const COUNTRIES = Array.from({ length: 26 * 26 }, (_, i) =>
  String.fromCharCode(65 + Math.floor(i / 26), 65 + (i % 26)),
);

/** Writes a CSV of about `bytes` with distinct keys (day × route × channel × country). */
export function generate(path: string, bytes: number): number {
  const fd = openSync(path, 'w');
  writeSync(
    fd,
    '入山日,登山道,受付経路,国・地域,登録者数,入山料納付額(円),免除者数,山小屋宿泊\r\n',
  );
  let written = 0;
  let rows = 0;
  const day0 = Date.UTC(2000, 0, 1);
  for (let day = 0; written < bytes; day++) {
    const d = new Date(day0 + day * 86_400_000);
    const date = `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}`;
    const parts: string[] = [];
    for (const r of ROUTES)
      for (const c of CHANNELS)
        for (const k of COUNTRIES) {
          const reg = 1 + ((day * 31 + k.charCodeAt(1)) % 90);
          parts.push(
            `${date},${r},${c},${k},${reg},"¥${(reg * 4000).toLocaleString('en-US')}",0,${reg >> 1}\r\n`,
          );
          rows++;
        }
    const block = parts.join('');
    writeSync(fd, block);
    written += Buffer.byteLength(block);
  }
  closeSync(fd);
  return rows;
}

/** The file of about `bytes` under `dir`, generated once. */
export function registrationsFile(dir: string, bytes: number, log: (l: string) => void): string {
  const path = `${dir}/entry-registrations-${bytes}.csv`;
  if (!existsSync(path) || statSync(path).size < bytes) {
    log(`generating ${path}…`);
    generate(path, bytes);
  }
  return path;
}
