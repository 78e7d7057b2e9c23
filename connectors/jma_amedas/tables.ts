import { col, defineTable, type ColumnDef } from '#shared/model/table.ts';
import { ELEMENTS, TIME_ELEMENTS } from './elements.ts';

const elementColumns: ColumnDef[] = ELEMENTS.flatMap((e) => [
  col(e.column, e.type, `${e.ja}：品質フラグ0の値のみ`, `${e.en}; only when its quality flag is 0`),
  col(
    `${e.column}_aqc`,
    'int',
    `${e.ja}の品質フラグ（0正常…7観測なし、NULLは要素なし）`,
    `${e.en}: quality flag (0 normal … 7 not observed; NULL = element absent)`,
  ),
]);

export const amedasObservation = defineTable({
  namespace: 'weather',
  name: 'amedas_observation',
  doc: {
    ja: '気象庁 アメダス 10分値（地点・観測時刻ごと、品質フラグ付き）',
    en: 'JMA AMeDAS 10-minute observations per station, with quality flags',
  },
  columns: [
    col('station_code', 'string', 'アメダス地点コード', 'AMeDAS station code', true),
    col('observed_at', 'timestamptz', '観測時刻', 'Observation time', true),
    ...elementColumns,
    ...TIME_ELEMENTS.map((t) => col(t.column, 'timestamptz', t.ja, t.en)),
  ],
  key: ['station_code', 'observed_at'],
  eventTime: 'observed_at',
  partitionBy: [{ column: 'observed_at', transform: 'month' }],
  sortBy: [{ column: 'station_code' }, { column: 'observed_at' }],
});
