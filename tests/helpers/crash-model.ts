/** The crash test's table and the rows of one version of its file (same keys, new values). */
import { defineTable } from '#shared/model/table.ts';

const doc = { ja: '試験', en: 'test' };

export function crashModel(namespace: string) {
  return defineTable({
    namespace,
    name: 'file_rows',
    doc,
    columns: [
      { name: 'day', type: 'date', required: true, doc },
      { name: 'site', type: 'string', required: true, doc },
      { name: 'n', type: 'int', doc },
      { name: 'version', type: 'string', doc },
      { name: 'source', type: 'string', doc },
    ],
    key: ['day', 'site'],
    partitionBy: [{ column: 'day', transform: 'year' }],
  });
}

export function crashRows(version: string, n: number) {
  return Array.from({ length: n }, (_, i) => ({
    day: new Date(Date.UTC(2025, 0, 1) + (i % 365) * 86_400_000).toISOString().slice(0, 10),
    site: `s${Math.floor(i / 365)}`,
    n: i,
    version,
    source: 's3://it-crash/file.csv',
  }));
}
