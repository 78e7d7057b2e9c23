import { describe, expect, it } from 'vitest';
import { invoke, localLambda } from '../../tests/helpers/lambda.ts';

// Where the deployed function writes (serverless.yml gives it the results bucket's reports/).
const LOCATION = 's3://fuji-etl-staging-local/it-reports/';

describe('the report function', () => {
  it('refuses a season that is not a range of days, before any query', async () => {
    process.env.FUJI_ETL_REPORT_LOCATION = LOCATION;
    await localLambda();
    const { error } = await invoke('report', { from: '2026-07-01' });
    expect(error?.errorMessage).toMatch(/from and to must both be YYYY-MM-DD days/);
  });

  it('writes only under an s3://bucket/prefix/ location', async () => {
    const { reportLocation } = await import('./handler.ts');
    expect(reportLocation(LOCATION)).toEqual({
      bucket: 'fuji-etl-staging-local',
      prefix: 'it-reports/',
    });
    expect(reportLocation('s3://bucket/')).toEqual({ bucket: 'bucket', prefix: '' });
    for (const bad of [undefined, 's3://bucket/reports', 'https://x/reports/', 's3:///reports/'])
      expect(() => reportLocation(bad)).toThrow(/FUJI_ETL_REPORT_LOCATION must be/);
  });
});
