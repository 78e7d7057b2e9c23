/** Prints query results for people (aligned table), programs (JSON) and spreadsheets (CSV). */

export type OutputFormat = 'table' | 'json' | 'csv';

// East Asian wide and full-width characters take two terminal cells.
const WIDE_RE =
  /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{1f300}-\u{1faff}]|[\u{20000}-\u{3fffd}]/u;

function width(s: string): number {
  let w = 0;
  for (const ch of s) w += WIDE_RE.test(ch) ? 2 : 1;
  return w;
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_RE = /[\u0000-\u001f\u007f]/g;

function cell(v: string | null): string {
  // Control characters would break the grid; show them escaped.
  return v === null
    ? 'NULL'
    : v.replace(CONTROL_RE, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function csvField(v: string | null): string {
  if (v === null) return '';
  return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

export function formatRows(
  columns: readonly string[],
  rows: readonly (readonly (string | null)[])[],
  format: OutputFormat,
): string {
  if (format === 'json') {
    return JSON.stringify(
      rows.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i] ?? null]))),
      null,
      2,
    );
  }
  if (format === 'csv') {
    return [columns, ...rows].map((r) => r.map((v) => csvField(v ?? null)).join(',')).join('\r\n');
  }
  const cells = rows.map((r) => r.map((v) => cell(v ?? null)));
  const widths = columns.map((c, i) => Math.max(width(c), ...cells.map((r) => width(r[i] ?? ''))));
  const line = (vals: readonly string[]) =>
    vals
      .map((v, i) => v + ' '.repeat(Math.max(0, widths[i]! - width(v))))
      .join(' | ')
      .trimEnd();
  return [
    line(columns),
    widths.map((w) => '-'.repeat(w)).join('-+-'),
    ...cells.map(line),
    `(${rows.length} rows)`,
  ].join('\n');
}
