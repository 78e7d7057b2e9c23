/**
 * The deployable suite, checked offline: `serverless package` (osls) for the default stage and
 * for `lint` (every optional pipeline on), cfn-lint with zero errors, bundle budgets, and the
 * properties the platform depends on, asserted on the generated template.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- template JSON is read loosely; each assertion states the shape it expects */
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { connectors } from '#connectors/index.ts';
import { contracts } from '#connectors/contracts.ts';
import { DOMAINS, domainOf, personalColumns, TABLE_BUCKETS } from '#shared/model/domains.ts';
import { icebergMetadata } from '#shared/model/iceberg-metadata.ts';
import { firehoseTables } from '#shared/model/pipeline-tables.ts';
import { opsTables } from '#shared/ops/tables.ts';
import { localStackConfig } from '#local/config.ts';
import { provision } from '#local/stack/provision.ts';
import { schedules } from '../../functions/scheduled/schedules.ts';
import { FUNCTIONS, functionId, pascal } from '../../cli/infra/names.ts';
import { declaredTables, namespaceTables } from '../../cli/infra/index.ts';
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
      [
        'backfill',
        'catalogSetup',
        'csvUpload',
        'replayQuarantine',
        'report',
        'restore',
        'scheduled',
      ].sort(),
    );
    for (const f of dev.functions) expect(f.zipped, f.name).toBeLessThan(f.budget);
    // Only the functions that run connectors carry GA4's client, and the report and the restore,
    // which read every connector's declared tables (the definitions carry their fetch code).
    expect(
      dev.functions
        .filter((f) => f.ga4)
        .map((f) => f.name)
        .sort(),
    ).toEqual(['backfill', 'report', 'restore', 'scheduled']);
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
    // The connectors' models and the tables the managed pipelines write into.
    const models = declaredTables();
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
    expect(metric('InvocationsNotRetried')).toHaveLength(FUNCTIONS.length);
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

/** A Custom::S3TablesGrant as the packaged template has it. */
interface Grant {
  id: string;
  principal: string;
  catalog: string;
  database: string;
  level: string;
  table?: string;
  excluded?: string[];
  permissions: string[];
}

function grantsOf(p: Packaged): Grant[] {
  return byType(p, 'Custom::S3TablesGrant').map(([id, r]) => {
    const q = r.Properties as any;
    const principal = q.Principal['Fn::GetAtt']?.[0] ?? q.Principal['Fn::Sub'] ?? q.Principal;
    return {
      id,
      principal,
      catalog: q.CatalogId['Fn::Sub'] ?? q.CatalogId,
      database: q.Database,
      level: q.Level,
      table: q.Table,
      excluded: q.ExcludedColumns,
      permissions: q.Permissions,
    };
  });
}

const DATA_TEAM = 'arn:aws:iam::${AWS::AccountId}:role/fuji-etl-analyst';
const tablesByNs = namespaceTables();

/** The columns a grant opens, per table of its namespace ('all' where the tables are not declared). */
function opened(g: Grant): { table: string; columns: string[] | 'all' }[] {
  if (!['tables', 'table', 'columns'].includes(g.level) || !g.permissions.includes('SELECT'))
    return [];
  const models = tablesByNs.get(g.database) ?? [];
  if (g.level === 'tables' && models.length === 0) return [{ table: '*', columns: 'all' }];
  return models
    .filter((m) => g.level === 'tables' || m.name === g.table)
    .map((m) => ({
      table: m.name,
      columns: m.columns.map((c) => c.name).filter((c) => !(g.excluded ?? []).includes(c)),
    }));
}

describe('governance in the packaged template', () => {
  it('keeps every table bucket of the domain table in the one catalog, the pipelines in buckets of their own', () => {
    const buckets = byType(dev, 'AWS::S3Tables::TableBucket').map(([id, r]) => [
      id,
      (r.Properties as any).TableBucketName,
    ]);
    expect(buckets.sort()).toEqual(
      [
        ['AppTableBucket', 'fuji-etl-dev-app'],
        ['PaymentsTableBucket', 'fuji-etl-dev-payments'],
        ['TableBucket', 'fuji-etl-dev'],
        ['UploadsTableBucket', 'fuji-etl-dev-uploads'],
      ].sort(),
    );
    // Uploaded user data has its own bucket, and the functions name its catalog.
    for (const ns of ['climbing', 'entry', 'mobility']) expect(domainOf(ns).bucket).toBe('uploads');
    const fns = byType(dev, 'AWS::Lambda::Function').filter(
      ([, fn]) =>
        'FUJI_ETL_ATHENA_CATALOG' in ((fn.Properties as any).Environment?.Variables ?? {}),
    );
    expect(fns.map(([id]) => id)).toContain('CsvUploadLambdaFunction');
    for (const [id, fn] of fns) {
      const vars = (fn.Properties as any).Environment.Variables;
      expect(vars.FUJI_ETL_ATHENA_CATALOG, id).toBe('s3tablescatalog/fuji-etl-dev');
      expect(vars.FUJI_ETL_UPLOADS_CATALOG, id).toBe('s3tablescatalog/fuji-etl-dev-uploads');
    }
    // The engine's policy reaches both buckets the functions write (Lake Formation narrows it).
    const engine = JSON.stringify(dev.template.Resources.EngineAccessPolicy!.Properties);
    expect(engine).toContain('"UploadsTableBucket","TableBucketARN"');
    expect(engine).toContain('s3tablescatalog/fuji-etl-dev-uploads/*/*');
    for (const [, ns] of byType(dev, 'AWS::S3Tables::Namespace')) {
      const name = (ns.Properties as any).Namespace;
      expect((ns.Properties as any).TableBucketARN, name).toEqual({
        'Fn::GetAtt': [TABLE_BUCKETS[domainOf(name).bucket].logicalId, 'TableBucketARN'],
      });
    }
  });

  it('records management events and the data events of the table buckets, Glue, and the upload bucket', () => {
    const [[, trail]] = byType(dev, 'AWS::CloudTrail::Trail') as [[string, Resource]];
    const t = trail.Properties as any;
    expect(t.IsLogging).toBe(true);
    expect(t.IsMultiRegionTrail).toBe(true);
    expect(t.EnableLogFileValidation).toBe(true);
    expect(t.S3BucketName).toEqual({ Ref: 'AuditLogBucket' });
    const selectors = t.AdvancedEventSelectors as { FieldSelectors: any[] }[];
    const field = (s: { FieldSelectors: any[] }, f: string) =>
      s.FieldSelectors.find((x) => x.Field === f);
    // Management events unfiltered (read and write): Lake Formation, Glue catalog calls and every
    // Athena StartQueryExecution with its query text, the query history kept past Athena's 45 days.
    const mgmt = selectors.filter((s) => field(s, 'eventCategory').Equals[0] === 'Management');
    expect(mgmt).toHaveLength(1);
    expect(mgmt[0]!.FieldSelectors).toHaveLength(1);
    const data = (type: string) =>
      selectors.find((s) => field(s, 'resources.type')?.Equals.includes(type));
    const allBuckets = Object.values(TABLE_BUCKETS).map((b) => ({
      'Fn::GetAtt': [b.logicalId, 'TableBucketARN'],
    }));
    for (const type of ['AWS::S3Tables::Table', 'AWS::S3Tables::TableBucket']) {
      expect(field(data(type)!, 'eventCategory').Equals, type).toEqual(['Data']);
      expect(field(data(type)!, 'resources.ARN').StartsWith, type).toEqual(allBuckets);
    }
    expect(data('AWS::Glue::Table')).toBeDefined();
    expect(JSON.stringify(field(data('AWS::S3::Object')!, 'resources.ARN'))).toContain(
      'arn:aws:s3:::fuji-etl-uploads-dev-${AWS::AccountId}/',
    );
    expect(t.CloudWatchLogsLogGroupArn).toEqual({ 'Fn::GetAtt': ['AuditTrailLogGroup', 'Arn'] });
  });

  it('keeps the audit log bucket encrypted, private, versioned, locked, and denies every delete', () => {
    const b = dev.template.Resources.AuditLogBucket! as Resource & { DeletionPolicy?: string };
    const p = b.Properties as any;
    expect(b.DeletionPolicy).toBe('Retain');
    expect(
      p.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault,
    ).toEqual({ SSEAlgorithm: 'AES256' });
    expect(Object.values(p.PublicAccessBlockConfiguration)).toEqual([true, true, true, true]);
    expect(p.VersioningConfiguration.Status).toBe('Enabled');
    expect(p.ObjectLockEnabled).toBe(true);
    // The retention docs/infra.md states: 400 days by default (prod: 1827, COMPLIANCE).
    expect(p.ObjectLockConfiguration.Rule.DefaultRetention).toEqual({
      Mode: 'GOVERNANCE',
      Days: 400,
    });
    const policy = (dev.template.Resources.AuditLogBucketPolicy!.Properties as any).PolicyDocument;
    const deny = policy.Statement.find((s: any) => s.Sid === 'DenyDeletes');
    expect(deny.Effect).toBe('Deny');
    expect(deny.Principal).toBe('*');
    expect(deny.Condition).toBeUndefined();
    expect(deny.Action).toEqual(
      expect.arrayContaining([
        's3:DeleteObject',
        's3:DeleteObjectVersion',
        's3:BypassGovernanceRetention',
        's3:PutObjectRetention',
      ]),
    );
    expect(JSON.stringify(deny.Resource)).toContain('/*');
    // Only CloudTrail may write, and only as this stack's trail.
    const allows = policy.Statement.filter((s: any) => s.Effect === 'Allow');
    for (const s of allows) {
      expect(s.Principal).toEqual({ Service: 'cloudtrail.amazonaws.com' });
      expect(JSON.stringify(s.Condition)).toContain(':trail/fuji-etl-dev-audit');
    }
  });

  it('alarms on Lake Formation permission changes and on spikes of access denied', () => {
    const filters = Object.fromEntries(
      byType(dev, 'AWS::Logs::MetricFilter').map(([id, r]) => [id, r.Properties as any]),
    );
    const lf = filters.LakeFormationPermissionChangesMetricFilter;
    expect(lf.LogGroupName).toEqual({ Ref: 'AuditTrailLogGroup' });
    const pattern = JSON.stringify(lf.FilterPattern);
    for (const e of [
      'GrantPermissions',
      'RevokePermissions',
      'BatchGrantPermissions',
      'CreateDataCellsFilter',
    ])
      expect(pattern).toContain(e);
    expect(JSON.stringify(filters.AccessDeniedMetricFilter.FilterPattern)).toContain(
      'AccessDenied',
    );
    const alarms = byType(dev, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties as any);
    const on = (m: string) =>
      alarms.filter((a) => a.MetricName === m && a.Namespace === 'fuji-etl/audit');
    expect(on('LakeFormationPermissionChanges')).toHaveLength(1);
    expect(on('LakeFormationPermissionChanges')[0].Threshold).toBe(0);
    expect(on('AccessDenied')).toHaveLength(1);
    expect(on('AccessDenied')[0].Threshold).toBe(10);
  });

  it('lets no reader see a personal column the domain table keeps from it', () => {
    for (const p of [dev, lint]) {
      for (const g of grantsOf(p)) {
        const d = domainOf(g.database);
        const kind =
          g.principal === DATA_TEAM
            ? 'data-team'
            : /^Reader/.test(g.principal)
              ? 'domain'
              : undefined;
        if (!kind || d.personalReaders.includes(kind)) continue;
        for (const o of opened(g)) {
          const personal = o.table === '*' ? 'all' : personalColumns(g.database, o.table);
          if (personal === 'all')
            throw new Error(`${g.id}: ${kind} reads wholly personal ${g.database}`);
          for (const c of personal)
            expect(o.columns, `${g.id} opens ${g.database}.${o.table}.${c}`).not.toContain(c);
        }
      }
    }
  });

  it('gives one reader role per domain, reading its own namespace only, in a workgroup of its own', () => {
    const readers = byType(dev, 'AWS::IAM::Role').filter(([id]) => /^Reader.+Role$/.test(id));
    expect(readers).toHaveLength(tablesByNs.size);
    const grants = grantsOf(dev).filter((g) => /^Reader/.test(g.principal));
    for (const [id, role] of readers) {
      const ns = DOMAINS.find((d) => `Reader${pascal(d.namespace)}Role` === id)!.namespace;
      const mine = grants.filter((g) => g.principal === id);
      expect(
        mine.map((g) => g.database),
        id,
      ).toEqual(mine.map(() => ns));
      expect(
        mine.some((g) => g.level === 'tables'),
        id,
      ).toBe(true);
      for (const g of mine) expect(g.permissions, id).not.toContain('INSERT');
      const doc = JSON.stringify((role.Properties as any).Policies);
      expect(doc).toContain(`workgroup/fuji-etl-dev-read-${ns}`);
      expect(doc).toContain(`athena/readers/${ns}/`);
      expect(
        doc.match(/athena\/readers\/([a-z_]+)\//g)?.every((m) => m === `athena/readers/${ns}/`),
      ).toBe(true);
      const wg = dev.template.Resources[`Reader${pascal(ns)}WorkGroup`]!.Properties as any;
      expect(wg.WorkGroupConfiguration.EnforceWorkGroupConfiguration).toBe(true);
      expect(
        JSON.stringify(wg.WorkGroupConfiguration.ResultConfiguration.OutputLocation),
      ).toContain(`/athena/readers/${ns}/`);
      expect(
        wg.WorkGroupConfiguration.ResultConfiguration.EncryptionConfiguration.EncryptionOption,
      ).toBe('SSE_S3');
    }
  });

  it('lets every producer write only the namespaces it fills', () => {
    const ops = opsTables.map((m) => m.namespace);
    const connectorNs = Object.values(connectors).flatMap((c) =>
      c.tables.map((t) => t.model.namespace),
    );
    const contractNs = [...contracts.values()].map((c) => c.table.namespace);
    const expected: Record<string, string[]> = {
      ScheduledRole: [...ops, ...connectorNs],
      BackfillRole: [...ops, ...connectorNs],
      CsvUploadRole: [...ops, ...contractNs],
      ReplayQuarantineRole: [...ops, ...contractNs],
      RestoreRole: [...ops, ...connectorNs, ...contractNs],
      ReportRole: ['analytics'],
      PaymentsFirehoseRole: ['payments'],
      AppZeroEtlTargetRole: ['app'],
    };
    const written: Record<string, Set<string>> = {};
    for (const g of grantsOf(lint)) {
      if (
        !['INSERT', 'DELETE', 'ALTER', 'CREATE_TABLE', 'CREATE_DATABASE'].some((x) =>
          g.permissions.includes(x),
        )
      )
        continue;
      (written[g.principal] ??= new Set()).add(g.database);
      // A producer's grant is on the catalog of its namespace's own bucket.
      expect(g.catalog, g.id).toBe(
        `\${AWS::AccountId}:s3tablescatalog/fuji-etl-lint${TABLE_BUCKETS[domainOf(g.database).bucket].id === 'lake' ? '' : `-${domainOf(g.database).bucket}`}`,
      );
    }
    expect(Object.keys(written).sort()).toEqual(Object.keys(expected).sort());
    for (const [role, nss] of Object.entries(written))
      expect([...nss].sort(), role).toEqual([...new Set(expected[role])].sort());
  });

  it('creates the payment tables with their unique keys before the stream, and grants the Firehose role what it writes', () => {
    const stream = lint.template.Resources.PaymentsReplicationStream! as Resource & {
      DependsOn: string[];
    };
    const dest = (stream.Properties as any).IcebergDestinationConfiguration;
    expect(dest.CatalogConfiguration.CatalogArn['Fn::Sub']).toMatch(
      /:catalog\/s3tablescatalog\/fuji-etl-lint-payments$/,
    );
    for (const { model } of firehoseTables) {
      const id = `TablePayments${pascal(model.name)}`;
      const t = lint.template.Resources[id]!.Properties as any;
      expect(t.TableBucketARN).toEqual({ 'Fn::GetAtt': ['PaymentsTableBucket', 'TableBucketARN'] });
      expect(t.TableName).toBe(model.name);
      for (const k of model.key)
        expect(
          t.IcebergMetadata.IcebergSchema.SchemaFieldList.find((f: any) => f.Name === k).Required,
        ).toBe(true);
      const conf = dest.DestinationTableConfigurationList.find(
        (c: any) => c.DestinationTableName === model.name,
      );
      expect(conf.UniqueKeys).toEqual(model.key);
      expect(stream.DependsOn).toContain(id);
    }
    const firehose = grantsOf(lint).filter((g) => g.principal === 'PaymentsFirehoseRole');
    expect(firehose.map((g) => [g.database, g.level]).sort()).toEqual([
      ['payments', 'database'],
      ['payments', 'tables'],
    ]);
    expect(firehose.find((g) => g.level === 'tables')!.permissions.sort()).toEqual([
      'ALTER',
      'DELETE',
      'DESCRIBE',
      'INSERT',
      'SELECT',
    ]);
    for (const g of firehose) expect(stream.DependsOn).toContain(g.id);
  });

  it('targets the app table bucket catalog with zero-ETL, and grants its role the app bucket only', () => {
    const integration = lint.template.Resources.AppUserAttributesIntegration! as Resource & {
      DependsOn: string[];
    };
    const catalog =
      /^arn:aws:glue:\$\{AWS::Region\}:\$\{AWS::AccountId\}:catalog\/s3tablescatalog\/fuji-etl-lint-app$/;
    expect((integration.Properties as any).TargetArn['Fn::Sub']).toMatch(catalog);
    const [[, property]] = byType(lint, 'AWS::Glue::IntegrationResourceProperty') as [
      [string, Resource],
    ];
    expect((property.Properties as any).ResourceArn['Fn::Sub']).toMatch(catalog);
    const zeroEtl = grantsOf(lint).filter((g) => g.principal === 'AppZeroEtlTargetRole');
    expect(zeroEtl.map((g) => g.level).sort()).toEqual(['catalog', 'database', 'tables']);
    for (const g of zeroEtl) {
      expect(g.catalog).toBe('${AWS::AccountId}:s3tablescatalog/fuji-etl-lint-app');
      expect(integration.DependsOn).toContain(g.id);
    }
  });

  it('alarms on the freshness and the errors of both managed pipelines', () => {
    const alarms = Object.fromEntries(
      byType(lint, 'AWS::CloudWatch::Alarm').map(([id, a]) => [id, a.Properties as any]),
    );
    for (const p of ['Payments', 'AppZeroEtl']) {
      const fresh = alarms[`${p}FreshnessAlarm`];
      expect(fresh.TreatMissingData, p).toBe('breaching');
      expect(fresh.ComparisonOperator, p).toBe('LessThanThreshold');
      expect(fresh.EvaluationPeriods * fresh.Period, p).toBe(24 * 3600);
      expect(alarms[`${p}ErrorsAlarm`].Threshold, p).toBe(0);
      const writes = lint.template.Resources[`${p}PipelineWritesMetricFilter`]!.Properties as any;
      expect(JSON.stringify(writes.FilterPattern)).toContain('s3tables.amazonaws.com');
    }
    expect(
      byType(dev, 'AWS::Logs::MetricFilter')
        .map(([id]) => id)
        .sort(),
    ).toEqual(['AccessDeniedMetricFilter', 'LakeFormationPermissionChangesMetricFilter']);
  });
});
