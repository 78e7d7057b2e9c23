import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GetResourcePolicyCommand,
  GlueClient,
  PutResourcePolicyCommand,
} from '@aws-sdk/client-glue';
import { LakeFormationClient, ListPermissionsCommand } from '@aws-sdk/client-lakeformation';
import { invoke, localLambda, sampleEvent } from '../../tests/helpers/lambda.ts';
import { urls } from '../../tests/helpers/local.ts';

const aws = {
  endpoint: urls.moto,
  region: 'ap-northeast-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
};
const lakeFormation = new LakeFormationClient(aws);
const glue = new GlueClient(aws);

/** Stands in for CloudFormation's presigned response URL and keeps what was PUT. */
const responses: Record<string, unknown>[] = [];
const server = createServer((req, res) => {
  const parts: Buffer[] = [];
  req.on('data', (c: Buffer) => parts.push(c));
  req.on('end', () => {
    responses.push({ method: req.method, ...JSON.parse(Buffer.concat(parts).toString('utf8')) });
    res.writeHead(200).end();
  });
});
let responseUrl = '';
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  responseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/response`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const withResponse = (e: Record<string, unknown>, changes: Record<string, unknown> = {}) => ({
  ...e,
  ResponseURL: responseUrl,
  ...changes,
});

async function grantsOf(principal: string) {
  const out = await lakeFormation.send(new ListPermissionsCommand({}));
  return (out.PrincipalResourcePermissions ?? []).filter(
    (p) => p.Principal?.DataLakePrincipalIdentifier === principal,
  );
}

describe('the catalog_setup function (CloudFormation custom resources)', () => {
  it('grants on an S3 Tables namespace with Lake Formation, answers CloudFormation, and revokes on delete', async () => {
    await localLambda();
    const sample = sampleEvent('catalog_setup');
    const principal = `arn:aws:iam::123456789012:role/it-analyst-${randomBytes(3).toString('hex')}`;
    const props = { ...(sample.ResourceProperties as object), Principal: principal };
    await invoke('catalog_setup', withResponse(sample, { ResourceProperties: props }));
    expect(responses.at(-1)).toMatchObject({
      method: 'PUT',
      Status: 'SUCCESS',
      LogicalResourceId: 'GrantAnalystClimbingTables',
      PhysicalResourceId: `lf:${principal}:123456789012:s3tablescatalog/fuji-etl-dev/climbing/tables`,
    });
    const granted = await grantsOf(principal);
    expect(granted).toHaveLength(1);
    expect(granted[0]!.Resource?.Table).toMatchObject({
      CatalogId: '123456789012:s3tablescatalog/fuji-etl-dev',
      DatabaseName: 'climbing',
    });
    expect(granted[0]!.Permissions?.sort()).toEqual(['DESCRIBE', 'SELECT']);

    await invoke(
      'catalog_setup',
      withResponse(sample, {
        RequestType: 'Delete',
        PhysicalResourceId: (responses.at(-1) as { PhysicalResourceId: string }).PhysicalResourceId,
        ResourceProperties: props,
      }),
    );
    expect(responses.at(-1)).toMatchObject({ Status: 'SUCCESS' });
    expect(await grantsOf(principal)).toHaveLength(0);
  });

  it('merges the zero-ETL statements into the Glue catalog policy, keeping statements it does not own', async () => {
    await localLambda();
    const catalogArn = `arn:aws:glue:ap-northeast-1:123456789012:catalog`;
    const sid = `ItZeroEtl${randomBytes(3).toString('hex')}`;
    const foreign = {
      Sid: `Other${sid}`,
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::123456789012:root' },
      Action: 'glue:GetTable',
      Resource: '*',
    };
    const before = await glue
      .send(new GetResourcePolicyCommand({ ResourceArn: catalogArn }))
      .catch(() => undefined);
    const kept = before?.PolicyInJson
      ? (JSON.parse(before.PolicyInJson).Statement as object[])
      : [];
    await glue.send(
      new PutResourcePolicyCommand({
        ResourceArn: catalogArn,
        PolicyInJson: JSON.stringify({ Version: '2012-10-17', Statement: [...kept, foreign] }),
      }),
    );
    const event = withResponse(sampleEvent('catalog_setup'), {
      ResourceType: 'Custom::GlueCatalogPolicy',
      LogicalResourceId: 'AppZeroEtlCatalogPolicy',
      ResourceProperties: {
        ServiceToken: 'x',
        CatalogArn: catalogArn,
        SourceArn: 'arn:aws:dynamodb:ap-northeast-1:123456789012:table/fujinavi-user-attributes',
        TargetArn: 'arn:aws:glue:ap-northeast-1:123456789012:catalog/s3tablescatalog/fuji-etl-dev',
        AccountId: '123456789012',
        Sid: sid,
      },
    });
    await invoke('catalog_setup', event);
    expect(responses.at(-1)).toMatchObject({ Status: 'SUCCESS' });
    const policy = async () => {
      const out = await glue.send(new GetResourcePolicyCommand({ ResourceArn: catalogArn }));
      return JSON.parse(out.PolicyInJson!).Statement as { Sid: string; Action: string }[];
    };
    const sids = (await policy()).map((s) => s.Sid);
    expect(sids).toContain(`Other${sid}`);
    expect((await policy()).filter((s) => s.Sid.startsWith(sid)).map((s) => s.Action)).toEqual([
      'glue:CreateInboundIntegration',
      'glue:AuthorizeInboundIntegration',
    ]);

    await invoke('catalog_setup', { ...event, RequestType: 'Delete', PhysicalResourceId: 'p' });
    expect(responses.at(-1)).toMatchObject({ Status: 'SUCCESS' });
    const after = (await policy()).map((s) => s.Sid);
    expect(after).toContain(`Other${sid}`);
    expect(after.filter((s) => s.startsWith(sid))).toEqual([]);
  });

  it('answers FAILED with the reason for a resource type it does not handle', async () => {
    await localLambda();
    await invoke(
      'catalog_setup',
      withResponse(sampleEvent('catalog_setup'), { ResourceType: 'Custom::Nope' }),
    );
    expect(responses.at(-1)).toMatchObject({
      Status: 'FAILED',
      Reason: expect.stringMatching(/does not handle Custom::Nope/),
    });
  });
});
