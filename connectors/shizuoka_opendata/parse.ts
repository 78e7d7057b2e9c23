/**
 * The SHIRASAGI CMS catalogue's answers as the suite reads them: packages with their resources,
 * read with their paths remembered so a changed shape names the place; a package that breaks
 * the shape costs only itself.
 */
import { SourceShapeError } from '#shared/http/errors.ts';
import type { Json } from '#shared/http/shape.ts';
import type { MemberFailure } from '#shared/runtime/connector.ts';
import { reasonOf } from '#shared/runtime/members.ts';

export interface Resource {
  readonly id: number | null;
  readonly uuid: string;
  readonly name: string;
  readonly format: string;
  readonly licenceUid: string | null;
  readonly licenceName: string | null;
  /** A URL resource names its licence only by number. */
  readonly licenceId: number | null;
  /** As the catalogue writes it, e.g. 2019-05-22T16:51:14.960+09:00. */
  readonly updated: string;
  /** Null for a URL resource that names no address (nothing to download). */
  readonly downloadUrl: string | null;
}

export interface Package {
  readonly id: number | null;
  readonly uuid: string;
  readonly title: string;
  readonly resources: readonly Resource[];
}

/** Packages read, and the packages or resources that broke their shape, each with its reason. */
export interface Listing {
  readonly packages: Package[];
  readonly failures: MemberFailure[];
}

/** SHIRASAGI writes ISO-8601 with the Tokyo offset; anything else is refused, not guessed. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

export function checkSuccess(body: Json): Json {
  if (body.get('success').value !== true) {
    const err = body.opt('error');
    body.fail(`success is not true${err ? `: ${JSON.stringify(err.value).slice(0, 200)}` : ''}`);
  }
  return body.get('result');
}

const numOrNull = (j: Json | undefined) => (typeof j?.value === 'number' ? j.value : null);
const strOrNull = (j: Json | undefined) =>
  typeof j?.value === 'string' && j.value !== '' ? j.value : null;

/**
 * A resource as SHIRASAGI's converter writes it. File resources carry `updated`, `license{}`,
 * `download_url` and `url`; resources registered by URL carry `last_modified`, `license_id` and
 * the address in `originai_url` (sic: the CMS's own spelling; `original_url` is read too).
 */
export function parseResource(r: Json): Resource {
  const licence = r.opt('license');
  const updatedNode = r.opt('updated') ?? r.opt('last_modified') ?? r.get('updated');
  const updated = updatedNode.string();
  if (!TIMESTAMP.test(updated)) updatedNode.fail(`expected an ISO-8601 time, got ${updated}`);
  return {
    id: numOrNull(r.opt('id')),
    uuid: r.get('uuid').string(),
    name: r.get('name').string(),
    format: (strOrNull(r.opt('format')) ?? '').toUpperCase(),
    licenceUid: licence?.value ? strOrNull(licence.opt('uid')) : null,
    licenceName: licence?.value ? strOrNull(licence.opt('name')) : null,
    licenceId: numOrNull(licence?.value ? licence.opt('id') : r.opt('license_id')),
    updated,
    downloadUrl:
      strOrNull(r.opt('download_url')) ??
      strOrNull(r.opt('url')) ??
      strOrNull(r.opt('originai_url')) ??
      strOrNull(r.opt('original_url')),
  };
}

/** A package with every resource that reads; one broken resource costs only itself. */
export function parsePackage(p: Json, failures: MemberFailure[] = []): Package {
  const uuid = p.get('uuid').string();
  const resources: Resource[] = [];
  for (const r of p.get('resources').items()) {
    try {
      resources.push(parseResource(r));
    } catch (err) {
      if (!(err instanceof SourceShapeError)) throw err;
      const id = typeof r.value === 'object' && r.value ? (r.value as { uuid?: unknown }).uuid : '';
      failures.push({
        member: `resource:${typeof id === 'string' && id ? id : r.path}`,
        reason: reasonOf(err),
      });
    }
  }
  return { id: numOrNull(p.opt('id')), uuid, title: p.get('name').string(), resources };
}

export function eachPackage(nodes: readonly Json[], failures: MemberFailure[]): Package[] {
  const out: Package[] = [];
  for (const n of nodes) {
    try {
      out.push(parsePackage(n, failures));
    } catch (err) {
      if (!(err instanceof SourceShapeError)) throw err;
      failures.push({ member: `package:${n.path}`, reason: reasonOf(err) });
    }
  }
  return out;
}
