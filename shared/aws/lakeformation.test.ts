import { describe, expect, it } from 'vitest';
import type { LakeFormationClient } from '@aws-sdk/client-lakeformation';
import { grant, grantId, type GrantSpec } from './lakeformation.ts';

function recorder() {
  const sent: { input: unknown }[] = [];
  const client = { send: async (c: { input: unknown }) => void sent.push(c) };
  return { client: client as unknown as LakeFormationClient, sent };
}

const base = {
  Principal: 'arn:aws:iam::123456789012:role/analyst',
  CatalogId: '123456789012:s3tablescatalog/fuji-etl-dev',
  Database: 'ops',
  Permissions: ['SELECT'],
};

describe('Lake Formation grants on an S3 Tables catalog', () => {
  it('grants on one table’s columns except the personal ones', async () => {
    const { client, sent } = recorder();
    const spec: GrantSpec = {
      ...base,
      Level: 'columns',
      Table: 'quarantine',
      ExcludedColumns: ['raw'],
    };
    await grant(client, spec);
    expect(sent[0]!.input).toMatchObject({
      Resource: {
        TableWithColumns: {
          CatalogId: base.CatalogId,
          DatabaseName: 'ops',
          Name: 'quarantine',
          ColumnWildcard: { ExcludedColumnNames: ['raw'] },
        },
      },
      Permissions: ['SELECT'],
    });
    expect(grantId(spec)).toBe(`lf:${base.Principal}:${base.CatalogId}/ops/columns/quarantine`);
  });

  it('grants on one table, on a catalog, and keeps the ids of namespace grants as they were', async () => {
    const { client, sent } = recorder();
    await grant(client, { ...base, Level: 'table', Table: 'run_ledger' });
    await grant(client, { ...base, Level: 'catalog', Permissions: ['CREATE_DATABASE'] });
    expect(sent[0]!.input).toMatchObject({
      Resource: { Table: { DatabaseName: 'ops', Name: 'run_ledger' } },
    });
    expect(sent[1]!.input).toMatchObject({ Resource: { Catalog: { Id: base.CatalogId } } });
    expect(grantId({ ...base, Level: 'tables' })).toBe(
      `lf:${base.Principal}:${base.CatalogId}/ops/tables`,
    );
    expect(grantId({ ...base, Level: 'catalog' })).toBe(
      `lf:${base.Principal}:${base.CatalogId}/catalog`,
    );
  });
});
