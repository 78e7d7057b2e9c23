/**
 * Paginators as data: how the next page is asked for, where a page's records are, and when the
 * pages end. Pure functions over the request and the page just read; the requester sends them.
 *
 * - `offset`: offset and limit parameters; next offset = offset + the records read. Ends on an
 *   empty page, at the declared total, or (no total declared) on a page shorter than the limit.
 * - `page`: a page number (from `first`, default 1), optionally a page size. Ends on an empty
 *   page, at the declared page count, or on a page shorter than the size.
 * - `cursor`: the next token from the body, sent as a parameter. Ends when there is none.
 * - `link`: the next URL from the body, or else from the Link header (`rel="next"`).
 *
 * Every paginator also ends when `stop` says so, and refuses to go past `maxPages` (a source
 * that loops, or a request far larger than expected) with an error that says which.
 */
import { ConfigError } from '../errors/index.ts';
import { Json } from './shape.ts';

/** A dotted path into the body (`rows`, `data.items`), or a function over it. */
export type Selector<T> = string | ((body: Json) => T);

interface Common {
  /** The records of a page: an array. A path's last member may be absent (no records). */
  readonly records: Selector<Json | undefined>;
  /** Ends the pages early (a source's own end marker). */
  readonly stop?: (page: Page) => boolean;
  /** Default {@link DEFAULT_MAX_PAGES}. */
  readonly maxPages?: number;
  /** Where the parameters go: the query (default) or the JSON body (POST APIs). */
  readonly in?: 'query' | 'body';
  /** Numbers in a JSON body as strings, as APIs with int64 fields (GA4) write them. */
  readonly numbersAsStrings?: boolean;
}

export type Paginator = Common &
  (
    | {
        readonly kind: 'offset';
        readonly limit: number;
        readonly offsetParam?: string;
        readonly limitParam?: string;
        /** The total number of records (number or integer string). */
        readonly total?: Selector<number>;
      }
    | {
        readonly kind: 'page';
        readonly param?: string;
        readonly first?: number;
        readonly size?: number;
        readonly sizeParam?: string;
        /** The number of pages. */
        readonly pages?: Selector<number>;
      }
    | {
        readonly kind: 'cursor';
        /** The next token; absent, null or "" ends the pages. */
        readonly next: Selector<string | undefined>;
        readonly param: string;
      }
    | {
        readonly kind: 'link';
        /** The next URL in the body; without it, the Link header's `rel="next"`. */
        readonly next?: Selector<string | undefined>;
      }
  );

export const DEFAULT_MAX_PAGES = 1_000;

/** One request's shape as the paginator changes it. */
export interface PageRequest {
  readonly url: string;
  readonly json?: unknown;
}

export interface Page {
  /** The parsed body. */
  readonly body: unknown;
  /** The URL asked, safe to show (credentials redacted). */
  readonly url: string;
  readonly headers: Headers;
  readonly records: readonly Json[];
  /** 0 for the first page. */
  readonly index: number;
  /** Records on earlier pages. */
  readonly before: number;
}

/** The node at a dotted path; a missing member fails with its path unless `lastMayLack`. */
export function at(root: Json, path: string, lastMayLack = false): Json | undefined {
  const names = path.split('.').filter(Boolean);
  let node = root;
  for (const [i, name] of names.entries()) {
    if (i === names.length - 1 && lastMayLack) return node.opt(name);
    node = node.get(name);
  }
  return node;
}

/** The records of a page body, each with its path. */
export function selectRecords(p: Paginator, root: Json): Json[] {
  const node = typeof p.records === 'string' ? at(root, p.records, true) : p.records(root);
  if (node === undefined || node.value === null) return [];
  return node.items();
}

function integer(p: Selector<number>, root: Json): number {
  if (typeof p === 'function') return p(root);
  const node = at(root, p)!;
  const v = node.value;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return node.fail('expected an integer (number or string)');
}

function text(p: Selector<string | undefined>, root: Json): string | undefined {
  if (typeof p === 'function') return p(root);
  const node = at(root, p, true);
  if (node === undefined || node.value === null || node.value === '') return undefined;
  return node.string();
}

/** `<…>; rel="next"` of a Link header. */
export function nextLink(header: string | null): string | undefined {
  for (const part of header?.split(',') ?? []) {
    const m = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (m && /(^|;)\s*rel="?([^";]*\s)?next(\s[^";]*)?"?\s*(;|$)/i.test(m[2]!)) return m[1];
  }
  return undefined;
}

function withParams(p: Paginator, req: PageRequest, params: Record<string, number | string>) {
  if ((p.in ?? 'query') === 'query') {
    const url = new URL(req.url);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, String(v));
    return { ...req, url: url.toString() };
  }
  if (typeof req.json !== 'object' || req.json === null || Array.isArray(req.json))
    throw new ConfigError(`paging parameters in the body need a JSON object body (${req.url})`);
  const values = Object.fromEntries(
    Object.entries(params).map(([k, v]) => [k, p.numbersAsStrings ? String(v) : v]),
  );
  return { ...req, json: { ...req.json, ...values } };
}

/** The first page's request. */
export function firstPage(p: Paginator, req: PageRequest): PageRequest {
  switch (p.kind) {
    case 'offset':
      return withParams(p, req, {
        [p.offsetParam ?? 'offset']: 0,
        [p.limitParam ?? 'limit']: p.limit,
      });
    case 'page':
      return withParams(p, req, {
        [p.param ?? 'page']: p.first ?? 1,
        ...(p.size !== undefined && { [p.sizeParam ?? 'per_page']: p.size }),
      });
    default:
      return req;
  }
}

/** The next page's request after `page`, or undefined when the pages end. */
export function nextPage(p: Paginator, req: PageRequest, page: Page): PageRequest | undefined {
  const root = new Json(page.body, page.url);
  const n = page.records.length;
  let next: PageRequest | undefined;
  switch (p.kind) {
    case 'offset': {
      const read = page.before + n;
      const total = p.total === undefined ? undefined : integer(p.total, root);
      const more = n > 0 && (total === undefined ? n >= p.limit : read < total);
      next = more
        ? withParams(p, req, {
            [p.offsetParam ?? 'offset']: read,
            [p.limitParam ?? 'limit']: p.limit,
          })
        : undefined;
      break;
    }
    case 'page': {
      const number = (p.first ?? 1) + page.index;
      const pages = p.pages === undefined ? undefined : integer(p.pages, root);
      const more =
        n > 0 &&
        (pages !== undefined
          ? number - (p.first ?? 1) + 1 < pages
          : p.size === undefined || n >= p.size);
      next = more ? withParams(p, req, { [p.param ?? 'page']: number + 1 }) : undefined;
      break;
    }
    case 'cursor': {
      const cursor = text(p.next, root);
      next = cursor === undefined ? undefined : withParams(p, req, { [p.param]: cursor });
      break;
    }
    case 'link': {
      const link = p.next ? text(p.next, root) : nextLink(page.headers.get('link'));
      // A relative link is relative to the page it came from.
      next = link === undefined ? undefined : { ...req, url: new URL(link, req.url).toString() };
      break;
    }
  }
  if (next && p.stop?.(page)) return undefined;
  return next;
}
