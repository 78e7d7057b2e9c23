/** Test helpers: an engine on the local stack, fault injection, and throwaway namespaces. */
import { randomBytes } from 'node:crypto';
import { AthenaClient } from '@aws-sdk/client-athena';
import { AthenaEngine, type EngineOptions } from '#shared/engine/athena.ts';
import { GlueClient } from '@aws-sdk/client-glue';
import { S3Client } from '@aws-sdk/client-s3';
import { LOCAL_STAGING } from '#local/config.ts';
import { defineTable, type TableModel } from '#shared/model/table.ts';
import { namespaceCatalogs } from '#shared/model/domains.ts';
import { StagingArea } from '#shared/writer/staging.ts';
import { LOCAL_REGION, localUrls } from '#local/config.ts';

export const urls = localUrls();

export function athenaClient(): AthenaClient {
  return new AthenaClient({
    endpoint: urls.athena,
    region: 'ap-northeast-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}

/** The tests' catalogs: the lake's, and the uploads bucket's (its own Trino catalog locally). */
export const TEST_CATALOGS = {
  lake: 's3tablescatalog/fuji-etl-test',
  uploads: 's3tablescatalog/fuji-etl-test-uploads',
} as const;

export function testEngine(opts: Partial<EngineOptions> = {}): AthenaEngine {
  return new AthenaEngine({
    client: athenaClient(),
    catalog: TEST_CATALOGS.lake,
    namespaces: namespaceCatalogs(TEST_CATALOGS),
    workGroup: 'primary',
    pollInitialMs: 50,
    pollMaxMs: 500,
    retryBaseMs: 50,
    retryMaxMs: 500,
    ...opts,
  });
}

/** The local stack's staging area (moto's S3 and Glue), as the deployed writer uses its own. */
export function testStaging(): StagingArea {
  const o = {
    region: LOCAL_REGION,
    endpoint: urls.moto,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  return new StagingArea(LOCAL_STAGING, {
    s3: new S3Client({ ...o, forcePathStyle: true }),
    glue: new GlueClient(o),
  });
}

/** A namespace no other test uses, e.g. `it_writer_3fa2c1`. */
export function uniqueNamespace(prefix: string): string {
  return `it_${prefix}_${randomBytes(3).toString('hex')}`;
}

/** The same model in another namespace, so tests never touch the declared tables. */
export function inNamespace(model: TableModel, namespace: string): TableModel {
  return defineTable({ ...model, namespace });
}

export interface Faults {
  throttle?: number;
  commitConflict?: number;
  failWith?: {
    errorName: string;
    message: string;
    category: 1 | 2 | 3;
    retryable: boolean;
    count: number;
  };
  slowMs?: number;
  match?: string;
}

export async function injectFaults(faults: Faults): Promise<void> {
  const r = await fetch(`${urls.athena}/__fuji/faults`, {
    method: 'POST',
    body: JSON.stringify(faults),
  });
  if (!r.ok) throw new Error(`fault injection failed: ${r.status} ${await r.text()}`);
}

export async function clearFaults(): Promise<void> {
  await fetch(`${urls.athena}/__fuji/faults`, { method: 'DELETE' });
}

export async function faultCounters(): Promise<Record<string, number>> {
  return (await (await fetch(`${urls.athena}/__fuji/faults`)).json()) as Record<string, number>;
}
