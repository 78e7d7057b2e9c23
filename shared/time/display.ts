/**
 * Instants as people read them, in UTC and in Asia/Tokyo, computed explicitly (JST is UTC+9 all
 * year) so nothing depends on the machine's zone.
 */
const JST_OFFSET_MS = 9 * 3_600_000;

function text(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

/** '2026-07-10 01:00 UTC' */
export function utcText(at: Date): string {
  return `${text(at.getTime())} UTC`;
}

/** '2026-07-10 10:00 JST' */
export function jstText(at: Date): string {
  return `${text(at.getTime() + JST_OFFSET_MS)} JST`;
}
