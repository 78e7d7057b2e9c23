/** The open-data catalogue connector's settings (production: the prefecture's catalogue). */
import { HTTP_TIMEOUT_MS, int, list, url, type SettingsOf } from '#shared/settings/index.ts';

export const settings = {
  baseUrl: url('FUJI_ETL_OPENDATA_URL', {
    default: 'https://opendata.pref.shizuoka.jp',
    doc: 'The prefecture’s open-data catalogue (SHIRASAGI CMS API).',
  }),
  hashFormats: list('FUJI_ETL_OPENDATA_HASH_FORMATS', {
    default: 'CSV',
    item: /^[A-Za-z0-9]+$/,
    what: 'file formats (CSV, XLSX…)',
    doc: 'Resource formats whose content is downloaded and hashed to see a change the catalogue does not date.',
  }),
  maxBytes: int('FUJI_ETL_OPENDATA_MAX_BYTES', {
    default: 50 * 1024 * 1024,
    min: 1024,
    unit: 'bytes',
    doc: 'Largest resource downloaded; open-data files are small, a runaway one is refused.',
  }),
  httpTimeoutMs: HTTP_TIMEOUT_MS,
};

export type OpendataConfig = SettingsOf<typeof settings>;
