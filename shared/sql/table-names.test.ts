import { describe, expect, it } from 'vitest';
import { namespaceCatalogs } from '../model/domains.ts';
import { TableNames } from './table-names.ts';

const catalogs = {
  lake: 's3tablescatalog/fuji-etl-dev',
  uploads: 's3tablescatalog/fuji-etl-dev-uploads',
};

describe('table names across table buckets', () => {
  const names = new TableNames({ catalog: catalogs.lake, namespaces: namespaceCatalogs(catalogs) });

  it('names the lake’s tables as before, and the uploaded-data domains with their catalog', () => {
    expect(names.table('weather', 'jma_forecast')).toBe('"weather"."jma_forecast"');
    expect(names.table('ops', 'run_ledger')).toBe('"ops"."run_ledger"');
    for (const ns of ['climbing', 'entry', 'mobility']) {
      expect(names.catalogOf(ns)).toBe(catalogs.uploads);
      expect(names.table(ns, 't')).toBe(`"s3tablescatalog/fuji-etl-dev-uploads"."${ns}"."t"`);
    }
    expect(names.metadata('climbing', 'counts', 'snapshots')).toBe(
      '"s3tablescatalog/fuji-etl-dev-uploads"."climbing"."counts$snapshots"',
    );
    expect(names.of({ namespace: 'tourism', name: 'visitors' })).toBe('"tourism"."visitors"');
    expect(names.catalogOf('weather')).toBe(catalogs.lake);
  });

  it('maps only the buckets the functions write, and never the pipelines’ namespaces', () => {
    expect(Object.keys(namespaceCatalogs(catalogs)).sort()).toEqual([
      'climbing',
      'entry',
      'mobility',
    ]);
  });

  it('refuses a catalog or a namespace that could change the statement', () => {
    expect(() => new TableNames({ catalog: 's3tablescatalog/x"; DROP' })).toThrow(
      /invalid catalog/,
    );
    expect(
      () => new TableNames({ catalog: catalogs.lake, namespaces: { 'a.b': catalogs.uploads } }),
    ).toThrow(/invalid namespace/);
    expect(() => names.table('climbing', 'x"y')).toThrow(/invalid table/);
  });
});
