/**
 * The SHIRASAGI CMS catalogue API (CKAN-like, without the /api/3/action/ prefix) through the
 * requester: package_search pages through every dataset with its resources (start/rows until
 * `count`); package_show reads one dataset by uuid or filename; resources download from the
 * addresses the catalogue gives. Answers are read with their paths remembered, so a changed
 * shape names the place.
 */
import type { Paginator } from '#shared/http/paginate.ts';
import { requester, type Requester, type RequesterRun } from '#shared/http/requester.ts';
import { Json } from '#shared/http/shape.ts';
import { FujiEtlError } from '#shared/errors/index.ts';
import type { MemberFailure } from '#shared/runtime/connector.ts';
import { checkSuccess, eachPackage, parsePackage, type Listing, type Package } from './parse.ts';

export type { Listing, Package, Resource } from './parse.ts';

const PAGE = 50;

/** The run's requester for the catalogue: no credentials, 429 and 5xx retried, the rest fail. */
export function opendataRequester(baseUrl: string, run: RequesterRun): Requester {
  return requester({ baseUrl }, run);
}

const SEARCH: Paginator = {
  kind: 'offset',
  offsetParam: 'start',
  limitParam: 'rows',
  limit: PAGE,
  total: (body) => checkSuccess(body).get('count').numberOrNull() ?? 0,
  records: (body) => checkSuccess(body).get('results'),
};

/** Every package matching `q` ('' = the whole catalogue), page by page. */
export async function searchPackages(api: Requester, q: string): Promise<Listing> {
  const packages: Package[] = [];
  const failures: MemberFailure[] = [];
  for await (const page of api.pages({ path: 'api/package_search', query: { q } }, SEARCH))
    packages.push(...eachPackage(page.records, failures));
  return { packages, failures };
}

export class DatasetNotFoundError extends FujiEtlError {
  constructor(id: string, url: string) {
    super('OPENDATA_NOT_FOUND', `dataset ${JSON.stringify(id)} is not in the catalogue`, {
      retryable: false,
      context: { url },
    });
  }
}

/** One package by uuid or filename; a dataset the catalogue does not know is a clear error. */
export async function showPackage(api: Requester, id: string): Promise<Listing> {
  const req = { path: 'api/package_show', query: { id }, actions: { 404: 'ignore' as const } };
  const got = await api.json(req);
  if (!got) throw new DatasetNotFoundError(id, api.url(req));
  const body = new Json(got.body, got.url);
  if (
    body.get('success').value === false &&
    /not found/i.test(JSON.stringify(body.opt('error')?.value))
  ) {
    throw new DatasetNotFoundError(id, got.url);
  }
  const failures: MemberFailure[] = [];
  return { packages: [parsePackage(checkSuccess(body), failures)], failures };
}

/** A resource's bytes, refused past `maxBytes`. */
export async function download(api: Requester, url: string, maxBytes: number): Promise<Uint8Array> {
  // No status is ignored here, so an answer always has a body.
  const bytes = (await api.bytes({ path: url }))?.body ?? new Uint8Array();
  if (bytes.length > maxBytes) {
    throw new FujiEtlError(
      'OPENDATA_TOO_LARGE',
      `resource is ${bytes.length} bytes, over ${maxBytes}`,
      {
        retryable: false,
        context: { url },
      },
    );
  }
  return bytes;
}
