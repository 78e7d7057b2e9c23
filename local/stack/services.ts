/**
 * The three local services: how each is configured, started and checked. Trino runs the SQL,
 * the Athena endpoint fronts it with Athena's API, moto serves S3, Secrets Manager, SSM and
 * DynamoDB.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOCAL_REGION, localUrls, type LocalStackConfig } from '../config.ts';
import type { Installation } from './provision.ts';
import { answers, startDetached } from './process.ts';

export type ServiceName = 'trino' | 'athena' | 'moto' | 'fakes';
export const SERVICE_NAMES: readonly ServiceName[] = ['trino', 'moto', 'athena', 'fakes'];

export interface Service {
  readonly name: ServiceName;
  readonly url: string;
  readonly pidFile: string;
  readonly logFile: string;
  /** Seconds to wait for health after start. */
  readonly startTimeoutS: number;
  healthy(): Promise<boolean>;
  start(inst: Installation): void;
}

export interface TrinoFiles {
  readonly [relativePath: string]: string;
}

/** Query memory for a JVM heap written as -Xmx takes it (`3G`, `3072M`). */
function queryMemoryMb(heap: string): number {
  const m = /^(\d+)([GgMm])$/.exec(heap);
  if (!m) throw new Error(`FUJI_ETL_TRINO_HEAP=${heap}: expected a size like 3G or 3072M`);
  const mb = Number(m[1]) * (m[2]!.toUpperCase() === 'G' ? 1024 : 1);
  return Math.floor(mb * 0.6);
}

/** Trino's configuration for one single-node coordinator with a local-disk Iceberg catalog. */
export function trinoConfig(cfg: LocalStackConfig, jdkMajor: number): TrinoFiles {
  const dir = join(cfg.stackDir, 'trino');
  const heap = process.env.FUJI_ETL_TRINO_HEAP || '3G';
  return {
    'etc/node.properties': [
      'node.environment=local',
      'node.id=fuji-etl-local',
      `node.data-dir=${join(dir, 'data')}`,
    ].join('\n'),
    'etc/jvm.config': [
      '-server',
      `-Xmx${heap}`,
      '-XX:+UseG1GC',
      '-XX:+ExitOnOutOfMemoryError',
      '-Djdk.attach.allowAttachSelf=true',
      // The engine's zone must never be the machine's; sessions ask for UTC anyway.
      '-Duser.timezone=UTC',
      ...(jdkMajor >= 22 ? ['--enable-native-access=ALL-UNNAMED'] : []),
    ].join('\n'),
    'etc/config.properties': [
      'coordinator=true',
      'node-scheduler.include-coordinator=true',
      `http-server.http.port=${cfg.trinoPort}`,
      `discovery.uri=http://${cfg.host}:${cfg.trinoPort}`,
      // Three fifths of the heap for queries, the rest Trino's headroom: 1.8 GB of the default
      // 3G. A MERGE of 20 million staged rows (bench:upload) needs the heap raised to 8G.
      `query.max-memory=${queryMemoryMb(heap)}MB`,
      `query.max-memory-per-node=${queryMemoryMb(heap)}MB`,
    ].join('\n'),
    'etc/log.properties': 'io.trino=WARN',
    // One Iceberg catalog per kind of table bucket, each its own warehouse, as each bucket is its
    // own catalog in AWS (local/athena/catalogs.ts maps Athena's catalog names onto these).
    'etc/catalog/iceberg.properties': icebergCatalog(cfg, 'warehouse'),
    'etc/catalog/uploads.properties': icebergCatalog(cfg, 'warehouse-uploads'),
    // Athena's `AwsDataCatalog`, where the writer registers its staging tables: a Hive catalog
    // whose metastore is moto's Glue and whose files are on moto's S3, so the production code
    // (Glue CreateTable, S3 PutObject, `"awsdatacatalog"."<db>"."<table>"` in SQL) runs unchanged.
    'etc/catalog/awsdatacatalog.properties': [
      'connector.name=hive',
      'hive.metastore=glue',
      `hive.metastore.glue.region=${LOCAL_REGION}`,
      `hive.metastore.glue.endpoint-url=${localUrls(cfg).moto}`,
      'hive.metastore.glue.aws-access-key=local',
      'hive.metastore.glue.aws-secret-key=local',
      'fs.native-s3.enabled=true',
      `s3.endpoint=${localUrls(cfg).moto}`,
      `s3.region=${LOCAL_REGION}`,
      's3.path-style-access=true',
      's3.aws-access-key=local',
      's3.aws-secret-key=local',
      // `CREATE TABLE … WITH (external_location = …) AS`: how a restore copies an old snapshot
      // into staging (shared/ops/restore.ts), as Athena's CTAS does into AwsDataCatalog.
      'hive.non-managed-table-writes-enabled=true',
      // Staging tables live minutes and are read once: no column statistics for them.
      'hive.collect-column-statistics-on-write=false',
    ].join('\n'),
  };
}

/** Warehouse directories of the Iceberg catalogs (under the stack directory). */
export const WAREHOUSES = ['warehouse', 'warehouse-uploads'] as const;

// No metastore service: Trino's file metastore keeps the catalog beside the warehouse.
function icebergCatalog(cfg: LocalStackConfig, warehouse: (typeof WAREHOUSES)[number]): string {
  return [
    'connector.name=iceberg',
    'iceberg.catalog.type=TESTING_FILE_METASTORE',
    'hive.metastore.catalog.dir=local:///',
    'fs.native-local.enabled=true',
    `local.location=${join(cfg.stackDir, warehouse)}`,
    'iceberg.file-format=PARQUET',
    // What local/stack/maintain.ts sets and runs (S3 Tables' own maintenance, locally).
    'iceberg.allowed-extra-properties=write.metadata.delete-after-commit.enabled,write.metadata.previous-versions-max',
    'iceberg.expire-snapshots.min-retention=1h',
    'iceberg.remove-orphan-files.min-retention=1h',
  ].join('\n');
}

/** A Node program of ours, run detached on the project's Node. */
function nodeService(
  name: ServiceName,
  url: string,
  health: string,
  main: string,
  cfg: LocalStackConfig,
  env: NodeJS.ProcessEnv,
): Service {
  return {
    name,
    url,
    pidFile: join(cfg.stackDir, `${name}.pid`),
    logFile: join(cfg.stackDir, 'logs', `${name}.log`),
    startTimeoutS: 30,
    healthy: () => answers(`${url}${health}`),
    start() {
      startDetached({
        // process.execPath: the Node that runs us (the project's pinned Node 24).
        command: process.execPath,
        args: [fileURLToPath(new URL(main, import.meta.url))],
        env: { ...process.env, ...env },
        logFile: this.logFile,
        pidFile: this.pidFile,
      });
    },
  };
}

export function services(cfg: LocalStackConfig): Record<ServiceName, Service> {
  const urls = localUrls(cfg);
  const logs = join(cfg.stackDir, 'logs');
  const trinoDir = join(cfg.stackDir, 'trino');
  return {
    trino: {
      name: 'trino',
      url: urls.trino,
      pidFile: join(cfg.stackDir, 'trino.pid'),
      logFile: join(logs, 'trino.log'),
      startTimeoutS: 240,
      // `starting` stays true until the plugins are loaded and the catalogs are ready.
      healthy: () => answers(`${urls.trino}/v1/info`, (b) => /"starting"\s*:\s*false/.test(b)),
      start(inst) {
        for (const [rel, text] of Object.entries(trinoConfig(cfg, inst.jdk.major))) {
          const file = join(trinoDir, rel);
          mkdirSync(join(file, '..'), { recursive: true });
          writeFileSync(file, `${text}\n`);
        }
        for (const w of WAREHOUSES) mkdirSync(join(cfg.stackDir, w), { recursive: true });
        // `launcher run` in our own detached process: we own the pid and the log.
        startDetached({
          command: join(inst.trinoHome, 'bin', 'launcher'),
          args: [
            'run',
            `--etc-dir=${join(trinoDir, 'etc')}`,
            `--data-dir=${join(trinoDir, 'data')}`,
          ],
          env: {
            ...process.env,
            JAVA_HOME: inst.jdk.home,
            PATH: `${join(inst.jdk.home, 'bin')}:${process.env.PATH ?? ''}`,
          },
          logFile: this.logFile,
          pidFile: this.pidFile,
        });
      },
    },
    moto: {
      name: 'moto',
      url: urls.moto,
      pidFile: join(cfg.stackDir, 'moto.pid'),
      logFile: join(logs, 'moto.log'),
      startTimeoutS: 60,
      healthy: () => answers(`${urls.moto}/moto-api/`),
      start(inst) {
        startDetached({
          // moto's own server with the Glue statistics calls Trino makes (moto-server.py).
          command: join(inst.motoVenv, 'bin', 'python3'),
          args: [
            fileURLToPath(new URL('./moto-server.py', import.meta.url)),
            '-H',
            cfg.host,
            '-p',
            String(cfg.motoPort),
          ],
          logFile: this.logFile,
          pidFile: this.pidFile,
        });
      },
    },
    athena: nodeService('athena', urls.athena, '/__fuji/health', '../athena/main.ts', cfg, {
      FUJI_ETL_ATHENA_PORT: String(cfg.athenaPort),
      FUJI_ETL_TRINO_URL: urls.trino,
    }),
    // The offline JMA, Open-Meteo and GA4 sources, on the real clock, for `fuji-etl run` and the demo.
    fakes: nodeService(
      'fakes',
      urls.fakes,
      '/bosai/amedas/data/latest_time.txt',
      '../fakes/main.ts',
      cfg,
      {
        FUJI_ETL_FAKES_PORT: String(cfg.fakesPort),
        FUJI_ETL_GA4_FAKE_PORT: String(cfg.ga4Port),
        FUJI_ETL_OPENDATA_FAKE_PORT: String(cfg.opendataPort),
      },
    ),
  };
}
