import { text } from '#shared/settings/define.ts';

export const settings = {
  location: text('FUJI_ETL_REPORT_LOCATION', {
    required: true,
    pattern: /^s3:\/\/[a-z0-9.-]{3,63}\/(?:[^/]+\/)*$/,
    what: 's3://<bucket>/<prefix>/',
    doc: 'Where the report function writes the HTML report (serverless.yml sets it).',
  }),
};
