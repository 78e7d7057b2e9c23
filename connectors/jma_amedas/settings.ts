import { codes, HTTP_TIMEOUT_MS } from '#shared/settings/index.ts';
import { JMA_BASE_URL } from '../settings.ts';

export const settings = {
  baseUrl: JMA_BASE_URL,
  stations: codes('FUJI_ETL_AMEDAS_STATIONS', {
    default: '50066,50136,50196,50056,50206',
    digits: 5,
    doc: 'AMeDAS stations read (富士山, 御殿場, 富士, 白糸, 三島); each is a member of its slice.',
  }),
  timeoutMs: HTTP_TIMEOUT_MS,
};
