/**
 * The staging area of the write path: Parquet parts under a prefix of the platform's bucket and
 * one external table per stage in a Glue database of `AwsDataCatalog`, which the single MERGE
 * reads as `"awsdatacatalog"."<database>"."<table>"` (Athena addresses Glue that way from a
 * query whose own catalog is the S3 Tables one). A stage is dropped in the writer's `finally`;
 * {@link sweepStaging} removes what a crashed run left, and the bucket's lifecycle rule on the
 * prefix is the backstop.
 *
 * Names carry the creation time (`stg_<yyyymmddhhmmss>_<table>_<random>`), so the sweeper can
 * tell a leftover from a live stage without any other state.
 */
import { randomBytes } from 'node:crypto';
import {
  CreateTableCommand,
  DeleteTableCommand,
  EntityNotFoundException,
  GetTablesCommand,
  type GlueClient,
} from '@aws-sdk/client-glue';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { FujiEtlError } from '../errors/index.ts';
import { assertIdentifier, quoteIdent } from '../sql/identifier.ts';

/** How Athena names the Glue Data Catalog inside SQL. */
export const GLUE_CATALOG_SQL_NAME = 'awsdatacatalog';

export interface StagingConfig {
  /** `s3://bucket/prefix/`: where parts are written. */
  readonly location: string;
  /** Glue database holding the staging tables. */
  readonly database: string;
}

export interface StagingClients {
  readonly s3: S3Client;
  readonly glue: GlueClient;
}

export class StagingError extends FujiEtlError {
  constructor(message: string, cause?: unknown, context: Record<string, unknown> = {}) {
    // S3 and Glue failures are transient far more often than not; a rerun restages from scratch.
    super('STAGING', message, { retryable: true, cause, context });
  }
}

function parseLocation(location: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.*)$/.exec(location);
  if (!m)
    throw new FujiEtlError('CONFIG', `staging location ${location} is not s3://bucket/prefix/`);
  const prefix = m[2]!.replace(/^\/+/, '');
  return { bucket: m[1]!, prefix: prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/` };
}

const STAMP_RE = /^stg_(\d{14})_/;

/** What of the table's name fits a stage name: `stg_` + 14 + `_` + this + `_` + 8 ≤ 63. */
function shortName(table: string): string {
  return table.replace(/[^a-z0-9_]/g, '_').slice(0, 35);
}

const newName = (table: string, at: Date) =>
  `stg_${stamp(at)}_${shortName(table)}_${randomBytes(4).toString('hex')}`;

function stamp(at: Date): string {
  return at.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

function stampTime(name: string): number | undefined {
  const m = STAMP_RE.exec(name);
  if (!m) return undefined;
  const s = m[1]!;
  return Date.UTC(
    +s.slice(0, 4),
    +s.slice(4, 6) - 1,
    +s.slice(6, 8),
    +s.slice(8, 10),
    +s.slice(10, 12),
    +s.slice(12, 14),
  );
}

export interface Stage {
  readonly name: string;
  /** The staged table as SQL names it. */
  readonly sqlName: string;
  /** `s3://bucket/prefix/<name>/`: where its files are (a `CREATE TABLE … AS` writes there). */
  readonly location: string;
  putPart(index: number, bytes: Uint8Array, signal?: AbortSignal): Promise<void>;
  /**
   * Registers the external table over the parts (once every part is written). `rows` becomes
   * the table's `numRows`, the statistic the engine's planner reads: knowing the stage is large,
   * it builds the MERGE's join on the smaller side instead of holding the whole stage in memory.
   */
  register(
    columns: readonly { name: string; type: string }[],
    signal?: AbortSignal,
    rows?: number,
  ): Promise<void>;
  /**
   * Removes the table and the parts; safe to call twice, after a failed register, and after the
   * engine created the table itself (`CREATE TABLE … AS` at `location`).
   */
  drop(): Promise<void>;
}

export class StagingArea {
  readonly cfg: StagingConfig;
  private readonly clients: StagingClients;
  private readonly bucket: string;
  private readonly prefix: string;

  constructor(cfg: StagingConfig, clients: StagingClients) {
    assertIdentifier(cfg.database, 'staging database');
    this.cfg = cfg;
    this.clients = clients;
    ({ bucket: this.bucket, prefix: this.prefix } = parseLocation(cfg.location));
  }

  /** A new, empty stage for one table's batch. */
  open(table: string, at: Date = new Date()): Stage {
    return this.stageNamed(newName(table, at));
  }

  /**
   * A stage an earlier invocation wrote parts into and handed on (see TableWriter.suspend): the
   * next parts and the commit go on from there.
   */
  reopen(name: string): Stage {
    if (!STAMP_RE.test(name) || !/^[a-z0-9_]+$/.test(name))
      throw new FujiEtlError('STAGING', `${JSON.stringify(name)} is not a stage name`);
    return this.stageNamed(name);
  }

  /**
   * Keeps files under a stage-like prefix of their own (`stg_<time>_<label>_<random>/`), so the
   * sweeper removes them with the stages when nobody comes back for them. Returns the name.
   */
  async keep(
    label: string,
    files: Readonly<Record<string, Uint8Array | string>>,
    at: Date = new Date(),
  ): Promise<string> {
    const name = newName(label, at);
    for (const [file, body] of Object.entries(files)) {
      const key = `${this.prefix}${name}/${file}`;
      try {
        await this.clients.s3.send(
          new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body }),
        );
      } catch (err) {
        throw new StagingError(`could not write s3://${this.bucket}/${key}`, err, { stage: name });
      }
    }
    return name;
  }

  /** One file {@link StagingArea.keep} kept. */
  async kept(name: string, file: string): Promise<Uint8Array> {
    this.reopen(name); // validates the name
    const key = `${this.prefix}${name}/${file}`;
    try {
      const out = await this.clients.s3.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key }),
      );
      return await out.Body!.transformToByteArray();
    } catch (err) {
      throw new StagingError(`could not read s3://${this.bucket}/${key}`, err, { stage: name });
    }
  }

  /** Removes what {@link StagingArea.keep} kept (safe to call twice). */
  async forget(name: string): Promise<void> {
    this.reopen(name);
    await deletePrefix(this.clients.s3, this.bucket, `${this.prefix}${name}/`);
  }

  private stageNamed(name: string): Stage {
    const prefix = `${this.prefix}${name}/`;
    const { s3, glue } = this.clients;
    const { bucket } = this;
    const database = this.cfg.database;
    return {
      name,
      sqlName: `${quoteIdent(GLUE_CATALOG_SQL_NAME)}.${quoteIdent(database)}.${quoteIdent(name)}`,
      location: `s3://${bucket}/${prefix}`,
      async putPart(index, bytes, signal) {
        const key = `${prefix}part-${String(index).padStart(6, '0')}.parquet`;
        try {
          await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes }), {
            abortSignal: signal,
          });
        } catch (err) {
          throw new StagingError(`could not write s3://${bucket}/${key}`, err, { stage: name });
        }
      },
      async register(columns, signal, rows) {
        try {
          await glue.send(
            new CreateTableCommand({
              DatabaseName: database,
              TableInput: {
                Name: name,
                TableType: 'EXTERNAL_TABLE',
                Parameters: {
                  classification: 'parquet',
                  EXTERNAL: 'TRUE',
                  'fuji-etl': 'staging',
                  ...(rows !== undefined && { numRows: String(rows) }),
                },
                StorageDescriptor: {
                  Columns: columns.map((c) => ({ Name: c.name, Type: c.type })),
                  Location: `s3://${bucket}/${prefix}`,
                  InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
                  OutputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
                  SerdeInfo: {
                    SerializationLibrary:
                      'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
                  },
                },
              },
            }),
            { abortSignal: signal },
          );
        } catch (err) {
          throw new StagingError(`could not register staging table ${database}.${name}`, err, {
            stage: name,
          });
        }
      },
      async drop() {
        await dropTable(glue, database, name);
        await deletePrefix(s3, bucket, prefix);
      },
    };
  }

  /**
   * Removes staging tables and parts older than `olderThanMs` (default a day): what runs that
   * crashed between staging and their `finally` left. Returns what it removed.
   */
  async sweep(
    now: Date = new Date(),
    olderThanMs = 24 * 3_600_000,
  ): Promise<{ tables: string[]; prefixes: string[] }> {
    const cutoff = now.getTime() - olderThanMs;
    const old = (name: string) => {
      const t = stampTime(name);
      return t !== undefined && t < cutoff;
    };
    const present = await this.stages();
    const tables = present.tables.filter(old);
    const prefixes = present.prefixes.filter(old);
    for (const t of tables) await dropTable(this.clients.glue, this.cfg.database, t);
    for (const p of prefixes)
      await deletePrefix(this.clients.s3, this.bucket, `${this.prefix}${p}/`);
    return { tables, prefixes };
  }

  /** Stage names present now (tables and part prefixes) of one table's stages, or of all. */
  async leftovers(table?: string): Promise<string[]> {
    const { tables, prefixes } = await this.stages();
    const short = table === undefined ? undefined : `_${shortName(table)}_`;
    return [...new Set([...tables, ...prefixes])]
      .filter((n) => n.startsWith('stg_') && (short === undefined || n.includes(short)))
      .sort();
  }

  /** Every staging table of the database and every stage prefix under the location, all pages. */
  private async stages(): Promise<{ tables: string[]; prefixes: string[] }> {
    const tables: string[] = [];
    let token: string | undefined;
    do {
      const out = await this.clients.glue.send(
        new GetTablesCommand({ DatabaseName: this.cfg.database, NextToken: token }),
      );
      for (const t of out.TableList ?? []) if (t.Name) tables.push(t.Name);
      token = out.NextToken;
    } while (token);
    const prefixes: string[] = [];
    let cont: string | undefined;
    do {
      const out = await this.clients.s3.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: this.prefix,
          Delimiter: '/',
          ContinuationToken: cont,
        }),
      );
      for (const p of out.CommonPrefixes ?? [])
        prefixes.push(p.Prefix!.slice(this.prefix.length).replace(/\/$/, ''));
      cont = out.NextContinuationToken;
    } while (cont);
    return { tables, prefixes };
  }
}

async function dropTable(glue: GlueClient, database: string, name: string): Promise<void> {
  try {
    await glue.send(new DeleteTableCommand({ DatabaseName: database, Name: name }));
  } catch (err) {
    if (!(err instanceof EntityNotFoundException)) throw err;
  }
}

async function deletePrefix(s3: S3Client, bucket: string, prefix: string): Promise<void> {
  let cont: string | undefined;
  do {
    const out = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: cont }),
    );
    const keys = (out.Contents ?? []).map((o) => ({ Key: o.Key! }));
    if (keys.length > 0) {
      await s3.send(
        new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }),
      );
    }
    cont = out.NextContinuationToken;
  } while (cont);
}
