/**
 * The deployable suite, checked offline: `serverless package` (osls) for the default stage and
 * for `lint` (every optional pipeline on), cfn-lint with zero errors, bundle budgets, and the
 * properties the platform depends on, asserted on the generated template.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- template JSON is read loosely; each assertion states the shape it expects */
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { allTables, connectors } from '#connectors/index.ts';
import { icebergMetadata } from '#shared/model/iceberg-metadata.ts';
import { localStackConfig } from '#local/config.ts';
import { provision } from '#local/stack/provision.ts';
import { schedules } from '../../functions/scheduled/schedules.ts';
import { FUNCTIONS, functionId } from '../../cli/infra/names.ts';
import { packageService, type Packaged, type Resource } from '../../scripts/package.ts';

let dev: Packaged;
let lint: Packaged;
const lintOutput: Record<string, string> = {};

/** Packages a stage and runs cfn-lint on its template before the next stage overwrites it. */
function packageAndLint(stage: string, cfnLint: string): Packaged {
  const p = packageService(stage);
  const r = spawnSync(
    cfnLint,
    ['--format', 'parseable', `${p.dir}/cloudformation-template-update-stack.json`],
    { encoding: 'utf8' },
  );
  lintOutput[stage] = `${r.stdout}${r.stderr}`;
  return p;
}

beforeAll(async () => {
  const { cfnLint } = (await provision(localStackConfig())).installation;
  lint = packageAndLint('lint', cfnLint);
  dev = packageAndLint('dev', cfnLint);
}, 300_000);

const byType = (p: Packaged, type: string) =>
  Object.entries(p.template.Resources).filter(([, r]) => r.Type === type) as [string, Resource][];

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

function statements(p: Packaged): { where: string; st: Statement }[] {
  const out: { where: string; st: Statement }[] = [];
  for (const [id, r] of Object.entries(p.template.Resources)) {
    const docs: unknown[] = [];
    if (r.Type === 'AWS::IAM::ManagedPolicy') docs.push(r.Properties!.PolicyDocument);
    if (r.Type === 'AWS::IAM::Role') {
      for (const pol of (r.Properties!.Policies as { PolicyDocument: unknown }[] | undefined) ?? [])
        docs.push(pol.PolicyDocument);
    }
    for (const d of docs) {
      for (const st of (d as { Statement: Statement[] }).Statement) out.push({ where: id, st });
    }
  }
  return out;
}

describe('the packaged template', () => {
  it('passes cfn-lint with no errors or warnings, with every optional pipeline on and off', () => {
    expect(lintOutput.lint).toBe('');
    expect(lintOutput.dev).toBe('');
  });

  it('bundles each function alone, within its budget', () => {
    expect(dev.functions.map((f) => f.name).sort()).toEqual(
      ['backfill', 'catalogSetup', 'csvUpload', 'replayQuarantine', 'scheduled'].sort(),
    );
    for (const f of dev.functions) expect(f.zipped, f.name).toBeLessThan(f.budget);
    // Only the functions that run connectors carry GA4's client.
    expect(
      dev.functions
        .filter((f) => f.ga4)
        .map((f) => f.name)
        .sort(),
    ).toEqual(['backfill', 'scheduled']);
  });

  it('gives every function its own role, on nodejs24.x arm64', () => {
    const fns = byType(dev, 'AWS::Lambda::Function');
    expect(fns.map(([id]) => id).sort()).toEqual(FUNCTIONS.map(functionId).sort());
    const roles = fns.map(
      ([, r]) => (r.Properties!.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0],
    );
    expect(new Set(roles).size).toBe(fns.length);
    for (const role of roles) expect(dev.template.Resources[role!]!.Type).toBe('AWS::IAM::Role');
    for (const [, r] of fns) {
      expect(r.Properties!.Runtime).toBe('nodejs24.x');
      expect(r.Properties!.Architectures).toEqual(['arm64']);
    }
  });

  it('has no wildcard action, and a * resource only where the service has no resource-level form', () => {
    const allowedOnStar = new Set([
      'xray:PutTraceSegments',
      'xray:PutTelemetryRecords',
      'lakeformation:GetDataAccess',
      'lakeformation:GrantPermissions',
      'lakeformation:RevokePermissions',
      'lakeformation:ListPermissions',
      'cloudwatch:PutMetricData',
    ]);
    const all = statements(lint);
    expect(all.length).toBeGreaterThan(20);
    for (const { where, st } of all) {
      const actions = [st.Action].flat();
      for (const a of actions) expect(a, `${where}: ${a}`).not.toContain('*');
      if ([st.Resource].flat().includes('*')) {
        for (const a of actions) expect(allowedOnStar.has(a), `${where}: ${a} on *`).toBe(true);
      }
    }
  });

  it('lets the functions that hand work on invoke themselves, and nothing else', () => {
    const invokers = statements(dev)
      .filter(({ st }) => [st.Action].flat().includes('lambda:InvokeFunction'))
      .filter(({ where }) => dev.template.Resources[where]!.Type === 'AWS::IAM::Role')
      .filter(({ where }) => where !== 'SchedulerRole');
    expect(invokers.map((i) => i.where).sort()).toEqual(['BackfillRole', 'CsvUploadRole']);
    for (const { where, st } of invokers) {
      const fn = where === 'BackfillRole' ? 'backfill' : 'csv_upload';
      expect(JSON.stringify(st.Resource), where).toMatch(
        new RegExp(`:function:fuji-etl-dev-${fn}"`),
      );
    }
  });

  it('schedules every scheduled connector in Asia/Tokyo, with retries and a dead-letter queue', () => {
    const expected = Object.keys(connectors).filter((c) => 'cron' in schedules[c]!);
    const found = byType(dev, 'AWS::Scheduler::Schedule');
    expect(found).toHaveLength(expected.length);
    for (const [, s] of found) {
      const p = s.Properties as Record<string, any>;
      expect(p.ScheduleExpressionTimezone).toBe('Asia/Tokyo');
      expect(p.Target.RetryPolicy.MaximumRetryAttempts).toBeGreaterThan(0);
      expect(p.Target.DeadLetterConfig.Arn).toEqual({
        'Fn::GetAtt': ['SchedulerDeadLetterQueue', 'Arn'],
      });
      expect(p.Target.Arn).toEqual({ 'Fn::GetAtt': ['ScheduledLambdaFunction', 'Arn'] });
    }
    expect(
      found.map(([, s]) => JSON.parse((s.Properties as any).Target.Input).connector).sort(),
    ).toEqual(expected.sort());
  });

  it('sends every failed asynchronous invocation to a queue', () => {
    const configs = byType(dev, 'AWS::Lambda::EventInvokeConfig');
    expect(configs).toHaveLength(FUNCTIONS.length);
    for (const [, c] of configs) {
      expect((c.Properties as any).DestinationConfig.OnFailure.Destination).toEqual({
        'Fn::GetAtt': ['FailedInvocationsQueue', 'Arn'],
      });
    }
  });

  it('declares every table of the models in S3 Tables with the same schema and partitioning', () => {
    const tables = byType(dev, 'AWS::S3Tables::Table');
    const models = allTables();
    expect(tables).toHaveLength(models.length);
    for (const m of models) {
      const t = tables.find(
        ([, r]) => r.Properties!.Namespace === m.namespace && r.Properties!.TableName === m.name,
      );
      expect(t, `${m.namespace}.${m.name}`).toBeDefined();
      expect(t![1].Properties!.IcebergMetadata).toEqual(
        JSON.parse(JSON.stringify(icebergMetadata(m))),
      );
    }
    const namespaces = byType(dev, 'AWS::S3Tables::Namespace').map(
      ([, r]) => r.Properties!.Namespace,
    );
    expect(namespaces).toEqual(expect.arrayContaining(['payments', 'app', 'ops']));
  });

  it('runs Athena engine v3 with enforced, SSE-S3 (never KMS) results and a scan cutoff', () => {
    const [[, wg]] = byType(dev, 'AWS::Athena::WorkGroup') as [[string, Resource]];
    const c = (wg.Properties as any).WorkGroupConfiguration;
    expect(c.EngineVersion.SelectedEngineVersion).toBe('Athena engine version 3');
    expect(c.EnforceWorkGroupConfiguration).toBe(true);
    expect(c.PublishCloudWatchMetricsEnabled).toBe(true);
    expect(c.BytesScannedCutoffPerQuery).toBeGreaterThanOrEqual(10_000_000);
    expect(c.ResultConfiguration.EncryptionConfiguration.EncryptionOption).toBe('SSE_S3');
    expect(JSON.stringify(wg)).not.toMatch(/KMS/);
  });

  it('encrypts every bucket and blocks public access', () => {
    for (const [id, b] of byType(lint, 'AWS::S3::Bucket')) {
      const p = b.Properties as any;
      expect(p.BucketEncryption, id).toBeDefined();
      expect(Object.values(p.PublicAccessBlockConfiguration), id).toEqual([true, true, true, true]);
      // Serverless's own deployment bucket is the one without lifecycle rules: it keeps artefacts.
      if (id !== 'ServerlessDeploymentBucket') {
        expect(p.LifecycleConfiguration.Rules.length, id).toBeGreaterThan(0);
      }
    }
  });

  it('stages large batches under staging/ of the results bucket, expired after a day, in a staging database of its own', () => {
    const [[, db]] = byType(dev, 'AWS::Glue::Database') as [[string, Resource]];
    const input = (db.Properties as any).DatabaseInput;
    expect(input.Name).toBe('fuji_etl_staging_dev');
    expect(input.CreateTableDefaultPermissions[0].Principal.DataLakePrincipalIdentifier).toBe(
      'IAM_ALLOWED_PRINCIPALS',
    );
    const results = (dev.template.Resources.AthenaResultsBucket!.Properties as any)
      .LifecycleConfiguration.Rules;
    expect(results).toContainEqual(
      expect.objectContaining({ Prefix: 'staging/', ExpirationInDays: 1, Status: 'Enabled' }),
    );
    const env = JSON.stringify(
      (dev.template.Resources.ScheduledLambdaFunction!.Properties as any).Environment,
    );
    expect(env).toContain('FUJI_ETL_STAGING_DATABASE');
    expect(env).toContain('/staging/');
    // Staging rights name the staging prefix and database only: never the uploads or the lake.
    const staging = statements(dev).filter(({ st }) => /^Staging/.test((st as any).Sid ?? ''));
    expect(staging.map(({ st }) => (st as any).Sid).sort()).toEqual([
      'StagingObjects',
      'StagingTables',
    ]);
    for (const { st } of staging) {
      const text = JSON.stringify(st.Resource);
      expect(text).not.toMatch(/uploads|s3tablescatalog/);
      expect(text).toMatch(/staging/);
    }
  });

  it('alarms on errors, throttles, dead letters and the freshness of every scheduled table', () => {
    const alarms = byType(dev, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties as any);
    const metric = (name: string) => alarms.filter((a) => a.MetricName === name);
    expect(metric('Errors')).toHaveLength(FUNCTIONS.length);
    expect(metric('Throttles')).toHaveLength(FUNCTIONS.length);
    expect(metric('ApproximateNumberOfMessagesVisible')).toHaveLength(2);
    // Freshness from the data: every scheduled table with an event time (code lists have none).
    const fresh = metric('TableStale').map(
      (a) => a.Dimensions.find((d: any) => d.Name === 'Table').Value,
    );
    const expected = Object.entries(connectors)
      .filter(([n]) => 'cron' in schedules[n]!)
      .flatMap(([, c]) => c.tables.filter((t) => typeof t.model.eventTime === 'string'))
      .map((t) => `${t.model.namespace}.${t.model.name}`);
    expect(fresh.sort()).toEqual(expected.sort());
    for (const a of metric('TableStale')) {
      expect(a.TreatMissingData).toBe('breaching');
      expect(a.Period).toBeLessThanOrEqual(86_400);
    }
    expect(byType(dev, 'AWS::CloudWatch::Dashboard')).toHaveLength(1);
  });

  it('keeps the payment replication (preview) and zero-ETL off by default, and complete when on', () => {
    expect(byType(dev, 'AWS::KinesisFirehose::DeliveryStream')).toHaveLength(0);
    expect(byType(dev, 'AWS::Glue::Integration')).toHaveLength(0);
    const [[, stream]] = byType(lint, 'AWS::KinesisFirehose::DeliveryStream') as [
      [string, Resource],
    ];
    const p = stream.Properties as any;
    expect(p.DeliveryStreamType).toBe('DatabaseAsSource');
    expect(p.DatabaseSourceConfiguration.SnapshotWatermarkTable).toBe(
      'fuji_etl.firehose_watermark',
    );
    // Every table the stage includes is declared with its unique keys.
    const declared = p.IcebergDestinationConfiguration.DestinationTableConfigurationList.map(
      (t: any) => t.DestinationTableName,
    );
    const included = p.DatabaseSourceConfiguration.Tables.Include['Fn::Split'][1].split(',');
    expect(included.map((t: string) => t.split('.').at(-1))).toEqual(declared);
    for (const t of p.IcebergDestinationConfiguration.DestinationTableConfigurationList) {
      expect(t.UniqueKeys.length).toBeGreaterThan(0);
      expect(t.S3ErrorOutputPrefix).toMatch(/^errors\//);
    }
    expect(byType(lint, 'AWS::Glue::Integration')).toHaveLength(1);
    expect(byType(lint, 'AWS::Glue::IntegrationResourceProperty')).toHaveLength(1);
    expect(byType(lint, 'Custom::GlueCatalogPolicy')).toHaveLength(1);
  });
});
