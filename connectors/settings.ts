/** Settings more than one connector reads (each connector's own sit in its `settings.ts`). */
import { url } from '#shared/settings/define.ts';

/** Every JMA connector (observations, forecasts, warnings, volcano) reads this one host. */
export const JMA_BASE_URL = url('FUJI_ETL_JMA_BASE_URL', {
  default: 'https://www.jma.go.jp',
  doc: 'Base URL of JMA’s bosai JSON (forecasts, AMeDAS, warnings, volcano).',
});
