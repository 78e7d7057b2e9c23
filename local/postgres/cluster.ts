/**
 * A private PostgreSQL cluster from Debian's server packages, for testing the payment database's
 * Firehose prerequisites for real: `wal_level=logical`, its own port and socket directory, trust
 * authentication on loopback. PostgreSQL refuses to run as root, so under root the cluster belongs
 * to the `postgres` system user and lives in /var/tmp (root's home is closed to that user).
 */
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, FujiEtlError } from '#shared/errors/index.ts';

export interface PgCluster {
  readonly port: number;
  readonly dataDir: string;
  readonly binDir: string;
  /** A connection URL to `db` as the superuser `postgres`. */
  url(db?: string): string;
  /** Runs Debian's psql against `db`; returns its output, throws on a non-zero exit. */
  psql(db: string, args: readonly string[]): string;
  stop(): void;
}

const asRoot = process.getuid?.() === 0;

export function postgresBinDir(): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base)
    ? readdirSync(base)
        .filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new ConfigError(
      'PostgreSQL server binaries not found under /usr/lib/postgresql (Debian package postgresql); `fuji-etl stack provision` installs them',
    );
  }
  return join(base, versions[0]!, 'bin');
}

function run(cmd: string, args: readonly string[], what: string): string {
  const [c, a] = asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
  const r = spawnSync(c, a, { encoding: 'utf8' });
  if (r.status !== 0) {
    throw new FujiEtlError(
      'POSTGRES',
      `${what} failed (exit ${r.status}): ${`${r.stdout}${r.stderr}`.trim().slice(-2000)}`,
    );
  }
  return r.stdout;
}

export function startPrivateCluster(opts: { port: number; cacheDir: string }): PgCluster {
  const binDir = postgresBinDir();
  const bin = (name: string) => join(binDir, name);
  const dataDir = asRoot
    ? `/var/tmp/fuji-etl-pg-${opts.port}`
    : join(opts.cacheDir, `pg-${opts.port}`);
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    if (asRoot) {
      const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
      const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
      chownSync(dataDir, uid, gid);
    }
    run(
      bin('initdb'),
      ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale'],
      'initdb',
    );
  }
  const ready = () =>
    spawnSync(bin('pg_isready'), ['-h', '127.0.0.1', '-p', String(opts.port)]).status === 0;
  if (!ready()) {
    const settings = [
      `-c port=${opts.port}`,
      '-c listen_addresses=127.0.0.1',
      `-c unix_socket_directories=${dataDir}`,
      '-c wal_level=logical',
      '-c max_replication_slots=10',
      '-c max_wal_senders=10',
      '-c wal_sender_timeout=0',
    ].join(' ');
    run(
      bin('pg_ctl'),
      ['-D', dataDir, '-o', settings, '-l', join(dataDir, 'server.log'), '-w', 'start'],
      'pg_ctl start',
    );
  }
  const url = (db = 'postgres') => `postgres://postgres@127.0.0.1:${opts.port}/${db}`;
  return {
    port: opts.port,
    dataDir,
    binDir,
    url,
    psql(db, args) {
      const r = spawnSync(bin('psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', url(db), ...args], {
        encoding: 'utf8',
      });
      if (r.status !== 0) {
        throw new FujiEtlError(
          'POSTGRES',
          `psql failed (exit ${r.status}): ${`${r.stdout}${r.stderr}`.trim()}`,
        );
      }
      return `${r.stdout}${r.stderr}`;
    },
    stop() {
      run(bin('pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', 'stop'], 'pg_ctl stop');
    },
  };
}
