import { codes, HTTP_TIMEOUT_MS } from '#shared/settings/index.ts';
import { JMA_BASE_URL } from '../settings.ts';

export const settings = {
  baseUrl: JMA_BASE_URL,
  offices: codes('FUJI_ETL_JMA_WARNING_OFFICES', {
    default: '220000',
    digits: 6,
    doc: 'JMA offices whose warnings and advisories are read, one slice each (220000 静岡県).',
  }),
  timeoutMs: HTTP_TIMEOUT_MS,
};
