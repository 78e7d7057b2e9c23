/** Table documentation (Markdown, Japanese and English) generated from the models. */
import type { PartitionField, TableModel } from './table.ts';

export function partitionText(p: PartitionField): string {
  if (p.transform === 'identity') return p.column;
  if (p.transform === 'bucket' || p.transform === 'truncate')
    return `${p.transform}(${p.width}, ${p.column})`;
  return `${p.transform}(${p.column})`;
}

const esc = (s: string) => s.replaceAll('|', '\\|');

export function tableDocs(models: readonly TableModel[]): string {
  const out = [
    '# Tables / テーブル一覧',
    '',
    'Generated from the table models by `npm run fuji-etl -- docs`; do not edit by hand.',
    'Schema changes after the first deploy go through `ALTER TABLE` (the runtime adds new nullable',
    'columns itself): the CloudFormation IcebergMetadata is create-only, and changing it replaces the table.',
    '',
  ];
  for (const m of models) {
    out.push(`## ${m.namespace}.${m.name}`, '', `${m.doc.ja}  `, m.doc.en, '');
    out.push(
      `- Key / キー: ${m.key.length > 0 ? m.key.map((k) => `\`${k}\``).join(', ') : '(none, append only)'}`,
    );
    out.push(
      `- Partitioning / パーティション: ${m.partitionBy.map(partitionText).join(', ') || '(none)'}`,
    );
    if (m.sortBy.length > 0)
      out.push(
        `- Sort order / ソート順: ${m.sortBy.map((s) => `${s.column} ${s.direction ?? 'asc'}`).join(', ')}`,
      );
    if (m.eventTime !== undefined)
      out.push(
        `- Event time / データ時刻: ${typeof m.eventTime === 'string' ? `\`${m.eventTime}\` (freshness / 鮮度)` : `(none / なし: ${m.eventTime.none})`}`,
      );
    for (const n of m.notes ?? []) out.push(`- Note / 注意: ${n.ja} / ${n.en}`);
    out.push('', '| column | type | required | 説明 | description |', '|---|---|---|---|---|');
    for (const c of m.columns) {
      out.push(
        `| \`${c.name}\` | ${c.type} | ${c.required ? 'yes' : ''} | ${esc(c.doc.ja)} | ${esc(c.doc.en)} |`,
      );
    }
    out.push('');
  }
  return out.join('\n');
}
