/**
 * Instants as people read them, in UTC and in Asia/Tokyo, computed explicitly (JST is UTC+9 all
 * year) so nothing depends on the machine's zone.
 */
const JST_OFFSET_MS = 9 * 3_600_000;

/** Minutes, or seconds where instants can be seconds apart (snapshots). */
type Precision = { readonly seconds?: boolean };

function text(ms: number, p: Precision): string {
  return new Date(ms)
    .toISOString()
    .slice(0, p.seconds ? 19 : 16)
    .replace('T', ' ');
}

/** '2026-07-10 01:00 UTC' ('2026-07-10 01:00:05 UTC' with seconds) */
export function utcText(at: Date, p: Precision = {}): string {
  return `${text(at.getTime(), p)} UTC`;
}

/** '2026-07-10 10:00 JST' ('2026-07-10 10:00:05 JST' with seconds) */
export function jstText(at: Date, p: Precision = {}): string {
  return `${text(at.getTime() + JST_OFFSET_MS, p)} JST`;
}
