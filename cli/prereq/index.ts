/**
 * `fuji-etl prereq postgres|dynamodb`: are the managed pipelines' sources ready?
 *   prereq postgres (--url <postgres://…> | --secret <id>) [--user <replication user>]
 *   prereq dynamodb <table name or ARN>
 * Prints one row per prerequisite with the fix for what is missing; exits 1 when anything is.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import pg from 'pg';
import { clientOptions, clientsFor } from '#shared/aws/clients.ts';
import { secretString } from '#shared/aws/secrets.ts';
import { FujiEtlError } from '#shared/errors/index.ts';
import { replicatedTables, WATERMARK_TABLE } from '../infra/payments.ts';
import { cliContext } from '../context.ts';
import { formatRows } from '../format.ts';
import type { Check } from './check.ts';
import { checkZeroEtlSource } from './dynamodb.ts';
import { checkPostgresSource } from './postgres.ts';

export interface PrereqValues {
  readonly url?: string;
  readonly secret?: string;
  readonly user?: string;
}

export const PUBLICATION = 'fuji_etl_firehose';
export const REPLICATION_USER = 'fuji_etl_firehose';

const usage = (m: string) => new FujiEtlError('USAGE', m);

/** The database URL: given, or built from the Firehose secret (RDS's JSON shape). */
async function databaseUrl(values: PrereqValues): Promise<string> {
  if (values.url) return values.url;
  if (!values.secret) throw usage('prereq postgres needs --url <postgres://…> or --secret <id>');
  const secrets = clientsFor(cliContext().cfg).secrets;
  const s = JSON.parse(await secretString(secrets, values.secret)) as Record<string, unknown>;
  const u = new URL('postgres://');
  u.hostname = String(s.host ?? '');
  u.port = String(s.port ?? 5432);
  u.username = encodeURIComponent(String(s.username ?? ''));
  u.password = encodeURIComponent(String(s.password ?? ''));
  u.pathname = `/${String(s.dbname ?? 'payments')}`;
  return u.toString();
}

function print(rows: readonly Check[]): number {
  console.log(
    formatRows(
      ['check', 'ok', 'found', 'fix'],
      rows.map((r) => [r.check, r.ok ? 'yes' : 'NO', r.found, r.fix ?? null]),
      'table',
    ),
  );
  const missing = rows.filter((r) => !r.ok).length;
  console.error(missing === 0 ? 'all prerequisites hold' : `${missing} prerequisite(s) missing`);
  return missing === 0 ? 0 : 1;
}

export async function prereqCommand(args: string[], values: PrereqValues): Promise<number> {
  const [what, target] = args;
  if (what === 'postgres') {
    const client = new pg.Client({ connectionString: await databaseUrl(values) });
    await client.connect();
    try {
      return print(
        await checkPostgresSource(client, {
          replicationUser: values.user ?? REPLICATION_USER,
          tables: replicatedTables.map((t) => t.source),
          watermarkTable: WATERMARK_TABLE,
          publication: PUBLICATION,
        }),
      );
    } finally {
      await client.end();
    }
  }
  if (what === 'dynamodb') {
    if (!target) throw usage('prereq dynamodb needs a table name or ARN');
    const { cfg } = cliContext();
    const client = new DynamoDBClient(clientOptions(cfg, cfg.awsEndpoint));
    return print(await checkZeroEtlSource(client, target));
  }
  throw usage('prereq needs postgres or dynamodb');
}
