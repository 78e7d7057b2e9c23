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
import { AllMembersFailedError, eachMember } from '#shared/runtime/members.ts';
import { download, opendataRequester, searchPackages, showPackage, type Resource } from './api.ts';
import { settings, type OpendataConfig } from './settings.ts';
import { REGISTRATIONS, type Registration } from './contracts.ts';
import { catalogueResources } from './tables.ts';

type Ctx = FetchContext<OpendataConfig>;

interface Seen {
  readonly updated: string;
  readonly hash?: string;
  readonly bytes?: number;
}

type OpendataSlice = { readonly id: string; readonly registration?: Registration };

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** The catalogue's requester; it keeps nothing across requests, so each slice builds its own. */
function httpOf(ctx: Ctx) {
  return opendataRequester(ctx.settings.baseUrl, {
    signal: ctx.signal,
    deadline: ctx.deadline,
    secrets: ctx.secrets,
    timeoutMs: ctx.settings.httpTimeoutMs,
  });
}

async function seen(ctx: Ctx, name: string): Promise<Seen | undefined> {
  const v = await ctx.state.get(name);
  return v === undefined ? undefined : (JSON.parse(v) as Seen);
}

/**
 * The catalogue slice: every resource, hashing only what changed since it was last seen. A
 * resource that breaks its shape or whose download fails is a failed member: the others land,
 * and its `updated` is not remembered, so the next run tries it again.
 */
async function catalogue(ctx: Ctx): Promise<SliceData> {
  const cfg = ctx.settings;
  const http = httpOf(ctx);
  const { packages, failures } = await searchPackages(http, '');
  const resources = packages.flatMap((p) => p.resources.map((r) => ({ p, r })));
  const read = await eachMember(
    ctx,
    resources,
    ({ r }) => `resource:${r.uuid}`,
    async ({ r }) => {
      const name = `resource:${r.uuid}`;
      const last = await seen(ctx, name);
      if (last?.updated === r.updated) return last;
      let s: Seen = { updated: r.updated };
      if (cfg.hashFormats.includes(r.format) && r.downloadUrl !== null) {
        const bytes = await download(http, r.downloadUrl, cfg.maxBytes);
        s = { updated: r.updated, hash: sha256(bytes), bytes: bytes.length };
      }
      ctx.state.set(name, JSON.stringify(s));
      return s;
    },
  ).catch((err: unknown) => {
    // Every download failed: the listing itself still lands, without hashes.
    if (err instanceof AllMembersFailedError) return { values: [], failures: err.failures };
    throw err;
  });
  const hashes = new Map(read.values.map((v) => [v.member, v.value]));
  const rows = resources.map(({ p, r }) => {
    const s = hashes.get(`resource:${r.uuid}`);
    return {
      resource_uuid: r.uuid,
      resource_id: r.id,
      dataset_uuid: p.uuid,
      dataset_id: p.id,
      dataset_title: p.title,
      resource_name: r.name,
      format: r.format,
      licence_uid: r.licenceUid,
      licence_name: r.licenceName,
      licence_id: r.licenceId,
      updated: new Date(r.updated),
      download_url: r.downloadUrl,
      content_hash: s?.hash ?? null,
      content_bytes: s?.bytes ?? null,
      last_seen: ctx.now,
    };
  });
  return {
    rows: { [catalogueResources.name]: rows },
    rowsRead: rows.length + failures.length,
    failures: [...failures, ...read.failures],
    members: resources.map(({ r }) => `resource:${r.uuid}`),
    source: `${cfg.baseUrl}/api/package_search`,
  };
}

async function packagesOf(reg: Registration, ctx: Ctx) {
  if (reg.dataset) return showPackage(httpOf(ctx), reg.dataset);
  return searchPackages(httpOf(ctx), reg.search ?? '');
}

/** One registered resource, loaded through its contract when its content changed. */
async function loadResource(
  reg: Registration,
  r: Resource & { downloadUrl: string },
  ctx: Ctx,
): Promise<SliceBatch[]> {
  const cfg = ctx.settings;
  const loadedName = `loaded:${reg.name}:${r.uuid}`;
  const loaded = await seen(ctx, loadedName);
  if (loaded?.updated === r.updated) return [];
  const catalogued = await seen(ctx, `resource:${r.uuid}`);
  if (loaded?.hash && catalogued?.updated === r.updated && catalogued.hash === loaded.hash) {
    ctx.state.set(loadedName, JSON.stringify({ ...loaded, updated: r.updated }));
    return [];
  }
  const bytes = await download(httpOf(ctx), r.downloadUrl, cfg.maxBytes);
  const once = async function* () {
    yield bytes;
  };
  const reader = await openCsv(once(), reg.contract, {
    source: r.downloadUrl,
    version: r.updated,
    licence: r.licenceName ?? r.licenceUid ?? undefined,
    reopen: async () => once(),
  });
  const batches: SliceBatch[] = [];
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
  return batches;
}

/** A registered resource's slice: loads the matching CSV resources whose content changed. */
async function registered(reg: Registration, ctx: Ctx): Promise<SliceData> {
  const listing = await packagesOf(reg, ctx);
  const resources = listing.packages.flatMap((p) =>
    p.resources.filter((r) => r.format === 'CSV' && reg.resource.test(r.name)),
  );
  const failures = [...listing.failures];
  const loadable = resources.flatMap((r) => {
    if (r.downloadUrl !== null) return [{ ...r, downloadUrl: r.downloadUrl }];
    failures.push({ member: `resource:${r.uuid}`, reason: 'the catalogue gives no address' });
    return [];
  });
  // One resource's failed download or unreadable file costs only that resource.
  const read = await eachMember(
    ctx,
    loadable,
    (r) => `resource:${r.uuid}`,
    (r) => loadResource(reg, r, ctx),
  );
  const batches = read.values.flatMap((v) => v.value);
  return {
    rows: {},
    rowsRead: 0,
    failures: [...failures, ...read.failures],
    members: read.members,
    batches: (async function* () {
      yield* batches;
    })(),
  };
}

/** The connector over a list of registrations (tests pass their own). */
export function opendataConnector(registrations: readonly Registration[] = REGISTRATIONS) {
  const contracts = [...new Set(registrations.map((r) => r.contract))];
  return defineConnector<OpendataSlice, OpendataConfig>({
    name: 'shizuoka_opendata',
    // EventBridge Scheduler, Asia/Tokyo (infra/schedules.json is generated from it).
    schedule: {
      cron: 'cron(0 7 * * ? *)',
      why: 'the catalogue is checked daily; only changed resources are downloaded',
    },
    cadence: {
      hours: 48,
      why: 'the catalogue is read daily at 07:00 JST; a day of margin for the publisher’s site',
    },
    tables: [{ model: catalogueResources, disposition: 'merge' }, ...contracts.map(contractTarget)],
    settings,
    // The catalogue serves only its current state: a past range cannot be read again.
    backfill: false,
    slices: () => [
      { id: 'catalogue' },
      ...registrations.map((r) => ({ id: `resource:${r.name}`, registration: r })),
    ],
    fetch: (slice, ctx) =>
      slice.registration ? registered(slice.registration, ctx) : catalogue(ctx),
  });
}

export const shizuokaOpendata = opendataConnector();
