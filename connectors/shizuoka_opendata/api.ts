/**
 * The SHIRASAGI CMS catalogue API (CKAN-like, without the /api/3/action/ prefix): package_search
 * pages through every dataset with its resources; package_show reads one dataset by uuid or
 * filename. Answers are read with their paths remembered, so a changed shape names the place.
 */
import { getBytes, getJson, type GetOptions } from '#shared/http/client.ts';
import { HttpStatusError } from '#shared/http/errors.ts';
import { Json } from '#shared/http/shape.ts';
import { FujiEtlError } from '#shared/errors/index.ts';

export interface Resource {
  readonly id: number | null;
  readonly uuid: string;
  readonly name: string;
  readonly format: string;
  readonly licenceUid: string | null;
  readonly licenceName: string | null;
  /** As the catalogue writes it, e.g. 2019-05-22T16:51:14.960+09:00. */
  readonly updated: string;
  readonly downloadUrl: string;
}

export interface Package {
  readonly id: number | null;
  readonly uuid: string;
  readonly title: string;
  readonly resources: readonly Resource[];
}

const PAGE = 50;

function checkSuccess(body: Json): Json {
  if (body.get('success').value !== true) {
    const err = body.opt('error');
    body.fail(`success is not true${err ? `: ${JSON.stringify(err.value).slice(0, 200)}` : ''}`);
  }
  return body.get('result');
}

const numOrNull = (j: Json | undefined) => (typeof j?.value === 'number' ? j.value : null);
const strOrNull = (j: Json | undefined) => (typeof j?.value === 'string' ? j.value : null);

export function parsePackage(p: Json): Package {
  return {
    id: numOrNull(p.opt('id')),
    uuid: p.get('uuid').string(),
    title: p.get('name').string(),
    resources: p
      .get('resources')
      .items()
      .map((r) => {
        const licence = r.opt('license');
        return {
          id: numOrNull(r.opt('id')),
          uuid: r.get('uuid').string(),
          name: r.get('name').string(),
          format: (strOrNull(r.opt('format')) ?? '').toUpperCase(),
          licenceUid: strOrNull(licence?.opt('uid')),
          licenceName: strOrNull(licence?.opt('name')),
          updated: r.get('updated').string(),
          downloadUrl: strOrNull(r.opt('download_url')) ?? r.get('url').string(),
        };
      }),
  };
}

/** Every package matching `q` ('' = the whole catalogue), page by page. */
export async function searchPackages(
  base: string,
  q: string,
  http: GetOptions,
): Promise<Package[]> {
  const out: Package[] = [];
  for (let start = 0; ; start += PAGE) {
    const url = `${base}/api/package_search?q=${encodeURIComponent(q)}&rows=${PAGE}&start=${start}`;
    const result = checkSuccess(new Json(await getJson(url, http), url));
    const page = result.get('results').items().map(parsePackage);
    out.push(...page);
    const count = result.get('count').numberOrNull() ?? 0;
    if (page.length === 0 || start + PAGE >= count) return out;
  }
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
export async function showPackage(base: string, id: string, http: GetOptions): Promise<Package> {
  const url = `${base}/api/package_show?id=${encodeURIComponent(id)}`;
  let raw: unknown;
  try {
    raw = await getJson(url, http);
  } catch (err) {
    if (err instanceof HttpStatusError && err.status === 404)
      throw new DatasetNotFoundError(id, url);
    throw err;
  }
  const body = new Json(raw, url);
  if (
    body.get('success').value === false &&
    /not found/i.test(JSON.stringify(body.opt('error')?.value))
  ) {
    throw new DatasetNotFoundError(id, url);
  }
  return parsePackage(checkSuccess(body));
}

/** A resource's bytes, refused past `maxBytes`. */
export async function download(
  url: string,
  maxBytes: number,
  http: GetOptions,
): Promise<Uint8Array> {
  const bytes = await getBytes(url, http);
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
