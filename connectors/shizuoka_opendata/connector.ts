/**
 * Connector `shizuoka_opendata`: the prefecture's open-data catalogue into opendata.catalogue_resources,
 * and registered resources through their contracts into domain tables.
 *
 * Change detection: a resource's `updated` is remembered per resource; only resources whose
 * `updated` moved are downloaded (hashed formats only), and a registered resource is loaded again
 * only when its content hash differs from the one last loaded (an editor re-saving a page moves
 * `updated` without changing the file). Every row carries its resource URL and licence.
 */
import { createHash } from 'node:crypto';
import { openCsv } from '#shared/csv/read.ts';
import { contractTarget } from '#shared/csv/contract.ts';
import {
  defineConnector,
  type FetchContext,
  type SliceBatch,
  type SliceData,
} from '#shared/runtime/connector.ts';
import type { GetOptions } from '#shared/http/client.ts';
import { download, searchPackages, showPackage, type Package, type Resource } from './api.ts';
import { opendataConfig } from './config.ts';
import { REGISTRATIONS, type Registration } from './contracts.ts';
import { catalogueResources } from './tables.ts';

interface Seen {
  readonly updated: string;
  readonly hash?: string;
  readonly bytes?: number;
}

type OpendataSlice = { readonly id: string; readonly registration?: Registration };

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function httpOf(ctx: FetchContext): GetOptions {
  return { signal: ctx.signal, deadline: ctx.deadline, timeoutMs: opendataConfig().httpTimeoutMs };
}

async function seen(ctx: FetchContext, name: string): Promise<Seen | undefined> {
  const v = await ctx.state.get(name);
  return v === undefined ? undefined : (JSON.parse(v) as Seen);
}

/** The catalogue slice: every resource, hashing only what changed since it was last seen. */
async function catalogue(ctx: FetchContext): Promise<SliceData> {
  const cfg = opendataConfig();
  const http = httpOf(ctx);
  const packages = await searchPackages(cfg.baseUrl, '', http);
  const rows: Record<string, unknown>[] = [];
  for (const p of packages) {
    for (const r of p.resources) {
      const name = `resource:${r.uuid}`;
      let s = await seen(ctx, name);
      if (s?.updated !== r.updated) {
        s = { updated: r.updated };
        if (cfg.hashFormats.includes(r.format)) {
          const bytes = await download(r.downloadUrl, cfg.maxBytes, http);
          s = { updated: r.updated, hash: sha256(bytes), bytes: bytes.length };
        }
        ctx.state.set(name, JSON.stringify(s));
      }
      rows.push({
        resource_uuid: r.uuid,
        resource_id: r.id,
        dataset_uuid: p.uuid,
        dataset_id: p.id,
        dataset_title: p.title,
        resource_name: r.name,
        format: r.format,
        licence_uid: r.licenceUid,
        licence_name: r.licenceName,
        updated: new Date(r.updated),
        download_url: r.downloadUrl,
        content_hash: s.hash ?? null,
        content_bytes: s.bytes ?? null,
        last_seen: ctx.now,
      });
    }
  }
  return {
    rows: { [catalogueResources.name]: rows },
    rowsRead: rows.length,
    source: `${cfg.baseUrl}/api/package_search`,
  };
}

async function packagesOf(reg: Registration, ctx: FetchContext): Promise<Package[]> {
  const { baseUrl } = opendataConfig();
  if (reg.dataset) return [await showPackage(baseUrl, reg.dataset, httpOf(ctx))];
  return searchPackages(baseUrl, reg.search ?? '', httpOf(ctx));
}

/** A registered resource's slice: loads the matching CSV resources whose content changed. */
async function registered(reg: Registration, ctx: FetchContext): Promise<SliceData> {
  const cfg = opendataConfig();
  const resources: Resource[] = (await packagesOf(reg, ctx)).flatMap((p) =>
    p.resources.filter((r) => r.format === 'CSV' && reg.resource.test(r.name)),
  );
  const batches: SliceBatch[] = [];
  for (const r of resources) {
    const loadedName = `loaded:${reg.name}:${r.uuid}`;
    const loaded = await seen(ctx, loadedName);
    if (loaded?.updated === r.updated) continue;
    const catalogued = await seen(ctx, `resource:${r.uuid}`);
    if (loaded?.hash && catalogued?.updated === r.updated && catalogued.hash === loaded.hash) {
      ctx.state.set(loadedName, JSON.stringify({ ...loaded, updated: r.updated }));
      continue;
    }
    const bytes = await download(r.downloadUrl, cfg.maxBytes, httpOf(ctx));
    const once = async function* () {
      yield bytes;
    };
    const reader = await openCsv(once(), reg.contract, {
      source: r.downloadUrl,
      version: r.updated,
      licence: r.licenceName ?? r.licenceUid ?? undefined,
      reopen: async () => once(),
    });
    for await (const b of reader.batches()) {
      batches.push({
        rows: { [reg.contract.table.name]: b.rows },
        rowsRead: b.rowsRead,
        rowsSkipped: b.rowsSkipped,
        rowsLoaded: b.rowsLoaded,
        rejected: b.quarantined.map((q) => ({ ...q, source: r.downloadUrl })),
      });
    }
    ctx.state.set(loadedName, JSON.stringify({ updated: r.updated, hash: sha256(bytes) }));
  }
  return {
    rows: {},
    rowsRead: 0,
    batches: (async function* () {
      yield* batches;
    })(),
  };
}

/** The connector over a list of registrations (tests pass their own). */
export function opendataConnector(registrations: readonly Registration[] = REGISTRATIONS) {
  const contracts = [...new Set(registrations.map((r) => r.contract))];
  return defineConnector<OpendataSlice>({
    name: 'shizuoka_opendata',
    tables: [{ model: catalogueResources, disposition: 'merge' }, ...contracts.map(contractTarget)],
    slices: () => [
      { id: 'catalogue' },
      ...registrations.map((r) => ({ id: `resource:${r.name}`, registration: r })),
    ],
    fetch: (slice, ctx) =>
      slice.registration ? registered(slice.registration, ctx) : catalogue(ctx),
  });
}

export const shizuokaOpendata = opendataConnector();
