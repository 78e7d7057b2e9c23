-- Prepares the payment database (RDS PostgreSQL 12–16) as the source of the Firehose database
-- stream into namespace `payments` (infra/optional/payments-firehose-enabled.json; a preview).
-- Idempotent: run it again after adding a table. Run as the database owner (rds_superuser on RDS):
--
--   psql "$PAYMENTS_DB_URL" -v ON_ERROR_STOP=1 \
--        -v repl_user=fuji_etl_firehose -v repl_password="$(secret)" \
--        -v tables='public.payments, public.refunds' -f infra/postgres/firehose-source.sql
--
-- Then `fuji-etl prereq postgres --url …` reports anything still missing.
--
-- Not settable from SQL on RDS: in the DB parameter group set
--   rds.logical_replication = 1      (makes wal_level = logical; needs a reboot)
--   max_replication_slots   >= 10    (Firehose holds one slot per stream)
--   max_wal_senders         >= 10
--   wal_sender_timeout      = 0      (Firehose's idle connection must not be cut)
-- On a self-managed server the same with wal_level = logical.

\if :{?repl_user}
\else
  \set repl_user fuji_etl_firehose
\endif
\if :{?tables}
\else
  \set tables 'public.payments, public.refunds'
\endif

SET client_min_messages = warning;

BEGIN;

-- The watermark table Firehose uses to take consistent snapshots (SnapshotWatermarkTable).
CREATE SCHEMA IF NOT EXISTS fuji_etl;
CREATE TABLE IF NOT EXISTS fuji_etl.firehose_watermark (
  id bigint PRIMARY KEY,
  watermark text,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- The replication user: LOGIN and REPLICATION (rds_replication on RDS, where REPLICATION
-- cannot be granted directly).
SELECT NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'repl_user') AS create_user \gset
\if :create_user
  \if :{?repl_password}
    CREATE ROLE :"repl_user" LOGIN PASSWORD :'repl_password';
  \else
    \echo 'repl_password is not set: the user is created without a password (set it from the secret)'
    CREATE ROLE :"repl_user" LOGIN;
  \endif
\endif
SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rds_replication') AS on_rds \gset
\if :on_rds
  GRANT rds_replication TO :"repl_user";
\else
  ALTER ROLE :"repl_user" REPLICATION;
\endif

GRANT CONNECT ON DATABASE :"DBNAME" TO :"repl_user";
GRANT USAGE ON SCHEMA fuji_etl TO :"repl_user";
GRANT SELECT, INSERT, UPDATE, DELETE ON fuji_etl.firehose_watermark TO :"repl_user";

-- Read access to each replicated table, and its schema.
SELECT coalesce(string_agg(format('GRANT USAGE ON SCHEMA %I TO %I; GRANT SELECT ON %s TO %I;',
                         n.nspname, :'repl_user', c.oid::regclass, :'repl_user'), E'\n'), '')
  AS grants
  FROM unnest(string_to_array(:'tables', ',')) AS t(name)
  JOIN pg_class c ON c.oid = to_regclass(trim(t.name))
  JOIN pg_namespace n ON n.oid = c.relnamespace \gset
:grants

-- The publication Firehose reads: the replicated tables and the watermark table.
SELECT NOT EXISTS (SELECT 1 FROM pg_publication WHERE pubname = 'fuji_etl_firehose') AS create_pub \gset
\if :create_pub
  CREATE PUBLICATION fuji_etl_firehose FOR TABLE :tables, fuji_etl.firehose_watermark;
\else
  SELECT coalesce(string_agg(format('ALTER PUBLICATION fuji_etl_firehose ADD TABLE %s;',
                                  c.oid::regclass), E'\n'), '') AS additions
    FROM unnest(string_to_array(:'tables', ',')) AS t(name)
    JOIN pg_class c ON c.oid = to_regclass(trim(t.name))
   WHERE NOT EXISTS (SELECT 1 FROM pg_publication_rel r
                      JOIN pg_publication p ON p.oid = r.prpubid
                     WHERE p.pubname = 'fuji_etl_firehose' AND r.prrelid = c.oid) \gset
  :additions
\endif

COMMIT;
