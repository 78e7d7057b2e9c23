/**
 * The managed pipelines' source prerequisites, checked for real: the payment database's
 * Firehose setup against a private PostgreSQL cluster (wal_level=logical) prepared by the
 * project's SQL script, and the zero-ETL requirements of a DynamoDB table against moto.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateTableCommand,
  DynamoDBClient,
  PutResourcePolicyCommand,
  UpdateContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb';
import pg from 'pg';
import { localStackConfig } from '#local/config.ts';
import { startPrivateCluster, type PgCluster } from '#local/postgres/cluster.ts';
import { checkPostgresSource } from '../../cli/prereq/postgres.ts';
import { checkZeroEtlSource, zeroEtlTablePolicy } from '../../cli/prereq/dynamodb.ts';
import { urls } from '../helpers/local.ts';

const script = new URL('../../infra/postgres/firehose-source.sql', import.meta.url).pathname;
const cli = new URL('../../cli/fuji-etl.ts', import.meta.url).pathname;
const PG_PORT = 18132;

describe('the payment database as a Firehose source (PostgreSQL)', () => {
  let cluster: PgCluster;
  const db = `it_payments_${randomBytes(3).toString('hex')}`;
  const user = `it_repl_${randomBytes(3).toString('hex')}`;
  const spec = {
    replicationUser: user,
    tables: ['public.payments', 'public.refunds', 'public.fees'],
    watermarkTable: 'fuji_etl.firehose_watermark',
    publication: 'fuji_etl_firehose',
  };
  const checks = async () => {
    const client = new pg.Client({ connectionString: cluster.url(db) });
    await client.connect();
    try {
      return await checkPostgresSource(client, spec);
    } finally {
      await client.end();
    }
  };
  const failing = async () => (await checks()).filter((c) => !c.ok).map((c) => c.check);

  beforeAll(() => {
    cluster = startPrivateCluster({ port: PG_PORT, cacheDir: localStackConfig().cacheDir });
    cluster.psql('postgres', ['-c', `CREATE DATABASE ${db}`]);
    cluster.psql(db, [
      '-c',
      `CREATE TABLE public.payments (payment_id bigint PRIMARY KEY, amount_yen integer NOT NULL);
       CREATE TABLE public.refunds (refund_id bigint PRIMARY KEY, payment_id bigint NOT NULL);
       CREATE TABLE public.fees (fee_code text, amount_yen integer)`,
    ]);
  }, 120_000);
  afterAll(() => cluster?.stop());

  it('reports what a fresh database lacks, with the fix', async () => {
    const all = await checks();
    expect(all.find((c) => c.check === 'wal_level = logical')).toMatchObject({
      ok: true,
      found: 'logical',
    });
    expect(await failing()).toEqual([
      `user ${user} can log in`,
      `user ${user} may replicate`,
      'publication fuji_etl_firehose',
      `table public.payments readable by ${user}`,
      'table public.payments in publication fuji_etl_firehose',
      `table public.refunds readable by ${user}`,
      'table public.refunds in publication fuji_etl_firehose',
      'table public.fees has a primary key',
      `table public.fees readable by ${user}`,
      'table public.fees in publication fuji_etl_firehose',
      `watermark table fuji_etl.firehose_watermark writable by ${user}`,
    ]);
    expect(all.find((c) => !c.ok)!.fix).toMatch(/firehose-source\.sql/);
  });

  it('is ready after the project script runs (twice: it is idempotent), but for the table without a key', async () => {
    const vars = [
      '-v',
      `repl_user=${user}`,
      '-v',
      'repl_password=local-only',
      '-v',
      `tables=${spec.tables.join(', ')}`,
    ];
    cluster.psql(db, [...vars, '-f', script]);
    cluster.psql(db, [...vars, '-f', script]);
    expect(await failing()).toEqual(['table public.fees has a primary key']);
    cluster.psql(db, ['-c', 'ALTER TABLE public.fees ADD PRIMARY KEY (fee_code)']);
    expect(await failing()).toEqual([]);
  });

  it('fuji-etl prereq postgres prints the table and exits non-zero while anything is missing', () => {
    // The CLI checks the declared replicated tables with the default replication user.
    const r = spawnSync(
      process.execPath,
      [cli, 'prereq', 'postgres', '--url', cluster.url(db), '--user', user],
      {
        encoding: 'utf8',
      },
    );
    expect(r.stdout).toMatch(/wal_level = logical\s+\| yes/);
    expect(r.status).toBe(0);
    const other = spawnSync(
      process.execPath,
      [cli, 'prereq', 'postgres', '--url', cluster.url('postgres')],
      {
        encoding: 'utf8',
      },
    );
    expect(other.status).toBe(1);
    expect(other.stdout).toMatch(/table public\.payments\s+\| NO\s+\| missing/);
    expect(other.stderr).toMatch(/prerequisite\(s\) missing/);
  });
});

describe('the FUJI NAVI table as a zero-ETL source (DynamoDB on moto)', () => {
  const client = new DynamoDBClient({
    endpoint: urls.moto,
    region: 'ap-northeast-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const table = `it-fujinavi-users-${randomBytes(3).toString('hex')}`;

  it('reports missing point-in-time recovery and resource policy, then passes once they are set', async () => {
    const created = await client.send(
      new CreateTableCommand({
        TableName: table,
        AttributeDefinitions: [{ AttributeName: 'user_id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'user_id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const arn = created.TableDescription!.TableArn!;
    const before = await checkZeroEtlSource(client, table);
    expect(before.filter((c) => !c.ok).map((c) => c.check)).toEqual([
      'point-in-time recovery enabled',
      'resource policy lets glue.amazonaws.com ExportTableToPointInTime',
      'resource policy lets glue.amazonaws.com DescribeTable',
      'resource policy lets glue.amazonaws.com DescribeExport',
    ]);
    expect(before[1]!.fix).toMatch(/update-continuous-backups --table-name it-fujinavi-users/);

    await client.send(
      new UpdateContinuousBackupsCommand({
        TableName: table,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      }),
    );
    await client.send(
      new PutResourcePolicyCommand({
        ResourceArn: arn,
        Policy: JSON.stringify(zeroEtlTablePolicy(arn, arn.split(':')[4]!)),
      }),
    );
    const after = await checkZeroEtlSource(client, table);
    expect(after.every((c) => c.ok)).toBe(true);
    expect(after).toHaveLength(5);
  });

  it('says a table that does not exist does not exist', async () => {
    expect(await checkZeroEtlSource(client, `${table}-nope`)).toEqual([
      expect.objectContaining({ ok: false, found: 'not found' }),
    ]);
  });
});
