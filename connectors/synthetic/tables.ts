import { defineTable } from '#shared/model/table.ts';

/** Synthetic hourly trail counts: the demo's stand-in until the real connectors land. */
export const trailCounts = defineTable({
  namespace: 'sandbox',
  name: 'trail_counts',
  doc: {
    ja: '合成データ: 登山道別・時間別の通過人数（デモ用）',
    en: 'Synthetic hourly climbers per trail (demo data)',
  },
  columns: [
    {
      name: 'route',
      type: 'string',
      required: true,
      doc: { ja: '登山道（fujinomiya/gotemba/subashiri/yoshida）', en: 'Trail' },
    },
    {
      name: 'counted_at',
      type: 'timestamptz',
      required: true,
      doc: { ja: '計測時刻（1時間単位の開始）', en: 'Start of the counted hour' },
    },
    { name: 'climbers_up', type: 'int', doc: { ja: '登り人数', en: 'Climbers going up' } },
    { name: 'climbers_down', type: 'int', doc: { ja: '下り人数', en: 'Climbers coming down' } },
    { name: 'temperature_c', type: 'double', doc: { ja: '気温（℃）', en: 'Air temperature (°C)' } },
    { name: 'counter_note', type: 'string', doc: { ja: '備考', en: 'Note from the counter' } },
  ],
  key: ['route', 'counted_at'],
  eventTime: 'counted_at',
  partitionBy: [{ column: 'counted_at', transform: 'day' }],
  sortBy: [{ column: 'route' }],
});
