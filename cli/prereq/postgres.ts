/**
 * Whether a PostgreSQL database is ready to be the source of the Firehose database stream
 * (infra/postgres/firehose-source.sql prepares it): version, logical replication settings, the
 * replication user and its grants, each replicated table (present, keyed, readable, published),
 * the watermark table and the publication. Read-only: it reports, it never changes anything.
 */
import type { Client } from 'pg';
import { check, type Check } from './check.ts';

export interface PostgresSourceSpec {
  readonly replicationUser: string;
  /** schema.table of each replicated table. */
  readonly tables: readonly string[];
  readonly watermarkTable: string;
  readonly publication: string;
}

const SCRIPT = 'run infra/postgres/firehose-source.sql';

async function one<T>(client: Client, sql: string, params: unknown[] = []): Promise<T | undefined> {
  const r = await client.query(sql, params);
  return r.rows[0] as T | undefined;
}

export async function checkPostgresSource(
  client: Client,
  spec: PostgresSourceSpec,
): Promise<Check[]> {
  const out: Check[] = [];
  const settings = new Map(
    (
      await client.query<{ name: string; setting: string }>(
        'SELECT name, setting FROM pg_settings WHERE name = ANY($1)',
        [
          [
            'server_version_num',
            'wal_level',
            'max_replication_slots',
            'max_wal_senders',
            'wal_sender_timeout',
          ],
        ],
      )
    ).rows.map((r) => [r.name, r.setting]),
  );
  const setting = (name: string) => settings.get(name) ?? '';
  const version = Number(setting('server_version_num'));
  const major = Math.floor(version / 10000);
  out.push(
    check(
      'PostgreSQL 12–16',
      major >= 12 && major <= 16,
      `version ${major}`,
      'Firehose reads PostgreSQL 12 to 16',
    ),
  );
  const wal = setting('wal_level');
  out.push(
    check(
      'wal_level = logical',
      wal === 'logical',
      wal,
      'parameter group: rds.logical_replication = 1, then reboot',
    ),
  );
  const slots = Number(setting('max_replication_slots'));
  const used = Number(
    (await one<{ n: string }>(client, 'SELECT count(*) AS n FROM pg_replication_slots'))?.n,
  );
  out.push(
    check(
      'a free replication slot',
      slots - used >= 1,
      `${used} of ${slots} in use`,
      'raise max_replication_slots',
    ),
  );
  const senders = Number(setting('max_wal_senders'));
  out.push(check('max_wal_senders ≥ 1', senders >= 1, String(senders), 'raise max_wal_senders'));
  const timeout = setting('wal_sender_timeout');
  out.push(
    check(
      'wal_sender_timeout = 0',
      timeout === '0',
      timeout,
      'parameter group: wal_sender_timeout = 0',
    ),
  );

  const role = await one<{ rolcanlogin: boolean; rolreplication: boolean; rds: boolean | null }>(
    client,
    `SELECT r.rolcanlogin, r.rolreplication,
            CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rds_replication')
                 THEN pg_has_role(r.rolname, 'rds_replication', 'member') END AS rds
       FROM pg_roles r WHERE r.rolname = $1`,
    [spec.replicationUser],
  );
  out.push(
    check(
      `user ${spec.replicationUser} can log in`,
      role?.rolcanlogin === true,
      role ? `login ${role.rolcanlogin}` : 'no such user',
      SCRIPT,
    ),
  );
  out.push(
    check(
      `user ${spec.replicationUser} may replicate`,
      role?.rolreplication === true || role?.rds === true,
      role
        ? `REPLICATION ${role.rolreplication}${role.rds === null ? '' : `, rds_replication ${role.rds}`}`
        : 'no such user',
      SCRIPT,
    ),
  );

  const publication = await one<{ pubname: string }>(
    client,
    'SELECT pubname FROM pg_publication WHERE pubname = $1',
    [spec.publication],
  );
  out.push(
    check(
      `publication ${spec.publication}`,
      publication !== undefined,
      publication ? 'exists' : 'missing',
      SCRIPT,
    ),
  );

  for (const table of spec.tables) {
    const t = await one<{ oid: number; pk: boolean; readable: boolean | null; published: boolean }>(
      client,
      `SELECT c.oid,
              EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary) AS pk,
              CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $2)
                   THEN has_table_privilege($2, c.oid, 'SELECT') END AS readable,
              EXISTS (SELECT 1 FROM pg_publication_tables p
                       WHERE p.pubname = $3 AND format('%I.%I', p.schemaname, p.tablename)::regclass = c.oid) AS published
         FROM pg_class c WHERE c.oid = to_regclass($1)`,
      [table, spec.replicationUser, spec.publication],
    );
    if (!t) {
      out.push(
        check(
          `table ${table}`,
          false,
          'missing',
          'create it, or remove it from the replicated tables',
        ),
      );
      continue;
    }
    out.push(
      check(
        `table ${table} has a primary key`,
        t.pk,
        t.pk ? 'yes' : 'no',
        'UniqueKeys need a key; add a primary key',
      ),
    );
    out.push(
      check(
        `table ${table} readable by ${spec.replicationUser}`,
        t.readable === true,
        String(t.readable ?? 'no such user'),
        SCRIPT,
      ),
    );
    out.push(
      check(
        `table ${table} in publication ${spec.publication}`,
        t.published,
        t.published ? 'yes' : 'no',
        SCRIPT,
      ),
    );
  }

  const wm = await one<{ writable: boolean | null }>(
    client,
    `SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $2)
                 THEN has_table_privilege($2, to_regclass($1), 'SELECT, INSERT, UPDATE, DELETE') END AS writable
      WHERE to_regclass($1) IS NOT NULL`,
    [spec.watermarkTable, spec.replicationUser],
  );
  out.push(
    check(
      `watermark table ${spec.watermarkTable} writable by ${spec.replicationUser}`,
      wm?.writable === true,
      wm ? String(wm.writable ?? 'no such user') : 'missing',
      SCRIPT,
    ),
  );
  return out;
}
