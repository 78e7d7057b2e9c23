/**
 * One declarative requester for JSON sources: a connector declares its base URL, credentials,
 * what each status means and its timeouts once ({@link RequesterSpec}); a run builds one
 * {@link Requester} from it, which owns what a run learns as it goes (the secret and token read
 * once, the members that refused, the source's quota) and sends every request through the
 * client's bounded, jittered attempts (`client.ts`).
 *
 * Defaults: 60 s per request, the suite's one HTTP timeout (`FUJI_ETL_HTTP_TIMEOUT_MS`, see
 * `shared/settings/http.ts`: long enough for GA4's largest report page, short enough that a hung
 * connection is retried well inside a 15-minute invocation); a source may declare its own, and a
 * deployment's setting overrides both. 5 attempts; Retry-After waited up to 5 minutes and never
 * past the deadline; the client's own status handling (429 and 5xx retried, the rest fail).
 *
 * @example
 * const api = requester(
 *   { baseUrl: 'https://api.example.jp', auth: { kind: 'api-key', secret: 'key', query: 'appid' },
 *     actions: { 429: 'defer', 403: 'stop-member', '5xx': 'retry', default: 'fail' } },
 *   { signal: ctx.signal, deadline: ctx.deadline, secrets },
 * );
 * for await (const page of api.pages({ path: 'items' }, { kind: 'cursor', records: 'data.items', next: 'next', param: 'cursor' }))
 *   rows.push(...page.records.map(parseItem));
 */
import type { ErrorCode, FujiEtlError } from '../errors/index.ts';
import {
  actionFor,
  DEFAULT_ACTIONS,
  handlingOf,
  marksOf,
  type Action,
  type StatusActions,
} from './actions.ts';
import { authorizer, type AuthSpec, type Credentials, type SecretReader } from './auth.ts';
import { parseJson, request, type GetOptions } from './client.ts';
import { HttpStatusError, PagingError, SourceRequestError, redactUrl } from './errors.ts';
import {
  DEFAULT_MAX_PAGES,
  firstPage,
  nextPage,
  selectRecords,
  type Page,
  type PageRequest,
  type Paginator,
} from './paginate.ts';
import { Json } from './shape.ts';

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_ATTEMPTS = 5;
export const DEFAULT_MAX_WAIT_MS = 5 * 60_000;

/** An error in the source's own terms: its code, a message naming what failed, context. */
export interface Described {
  readonly code: ErrorCode;
  readonly message: string;
  readonly context?: Record<string, unknown>;
}

export interface RequesterSpec {
  /** Relative request paths are under it; credentials go only to its origin. */
  readonly baseUrl: string;
  readonly auth?: AuthSpec;
  /** What each status means; default {@link DEFAULT_ACTIONS}. */
  readonly actions?: StatusActions;
  readonly timeoutMs?: number;
  readonly maxAttempts?: number;
  /** The longest Retry-After waited for (still never past the deadline). */
  readonly maxWaitMs?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Built once per requester, i.e. per run: a source's quota watched across its answers. */
  readonly guard?: () => RequestGuard;
  /** Names failures in the source's terms; the action's markers are kept whatever is said. */
  readonly errors?: {
    /** A status answered with a failing action (its body is redacted). */
    readonly status?: (err: HttpStatusError, req: Request, action: Action) => Described;
    /** A request for a member that an earlier request stopped in this run. */
    readonly stopped?: (req: Request, first: FujiEtlError) => Described;
  };
}

export interface Request {
  /** Under the base URL, or an absolute URL (a download link the source handed out). */
  readonly path: string;
  /** Default GET, or POST when there is a JSON body. */
  readonly method?: 'GET' | 'POST';
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  /** Sent as JSON. */
  readonly json?: unknown;
  /** This request's own entries, over the source's. */
  readonly actions?: StatusActions;
  /** The member read (`property:123`): `stop-member` stops it for the rest of the run. */
  readonly member?: string;
  /** What {@link RequesterSpec.errors} and the guard need to know of the request. */
  readonly context?: Readonly<Record<string, unknown>>;
}

/** Watches a run's requests: may pause or refuse (deferred) before one, reads each answer. */
export interface RequestGuard {
  before(req: Request, run: RunBounds): Promise<void>;
  /** Every JSON answer, parsed; `url` is safe to show. */
  after(req: Request, body: unknown, url: string): void;
}

export interface RunBounds {
  readonly signal: AbortSignal;
  /** Epoch ms: no attempt or wait starts past it. */
  readonly deadline?: number;
}

export interface RequesterRun extends RunBounds {
  readonly secrets: SecretReader;
  /** A deployment's timeout setting, over the declaration's. */
  readonly timeoutMs?: number;
  /** Epoch ms, for token expiry (tests set it). */
  readonly clock?: () => number;
}

export interface Fetched<T> {
  readonly body: T;
  /** The URL asked, credentials redacted: for errors, shape paths and the ledger. */
  readonly url: string;
  readonly headers: Headers;
}

export interface Requester {
  /** The parsed body, or undefined when the status's action is `ignore`. */
  json(req: Request): Promise<Fetched<unknown> | undefined>;
  bytes(req: Request): Promise<Fetched<Uint8Array> | undefined>;
  /** Every page in order with its records; an ignored status ends the pages. */
  pages(req: Request, paging: Paginator): AsyncGenerator<Page>;
  /** Where a request goes, without credentials: for messages about it. */
  url(req: Request): string;
}

const NO_CREDENTIALS: Credentials = { headers: {}, query: {}, secrets: [] };

function urlOf(base: string, req: Request): string {
  const abs = /^https?:\/\//i.test(req.path);
  const url = new URL(abs ? req.path : `${base.replace(/\/$/, '')}/${req.path.replace(/^\//, '')}`);
  for (const [k, v] of Object.entries(req.query ?? {}))
    if (v !== undefined) url.searchParams.set(k, String(v));
  return url.toString();
}

export function requester(spec: RequesterSpec, run: RequesterRun): Requester {
  const auth = authorizer(spec.auth ?? { kind: 'none' }, run.secrets, run.clock);
  const guard = spec.guard?.();
  const origin = new URL(spec.baseUrl).origin;
  /** Members stopped in this run, with the error that stopped each. */
  const stopped = new Map<string, FujiEtlError>();

  function stoppedError(req: Request, first: FujiEtlError): FujiEtlError {
    const d = spec.errors?.stopped?.(req, first) ?? {
      code: 'HTTP_MEMBER_STOPPED',
      message: `${req.member} was stopped earlier in this run: ${first.message}`,
      context: { member: req.member },
    };
    return new SourceRequestError(d.code, d.message, {
      retryable: false,
      stopsRun: true,
      context: d.context,
    });
  }

  async function send<T>(
    req: Request,
    at: PageRequest,
    read: (res: Response) => Promise<T>,
  ): Promise<Fetched<T> | undefined> {
    const first = req.member === undefined ? undefined : stopped.get(req.member);
    if (first) throw stoppedError(req, first);
    await guard?.before(req, run);
    const target = new URL(at.url);
    // Credentials go to the source only, never to a host a download link points at.
    const creds = target.origin === origin ? await auth.credentials(at.url) : NO_CREDENTIALS;
    for (const [k, v] of Object.entries(creds.query)) target.searchParams.set(k, v);
    const url = redactUrl(target.toString(), creds.secrets);
    const actions = { ...(spec.actions ?? DEFAULT_ACTIONS), ...req.actions };
    const opts: GetOptions = {
      signal: run.signal,
      deadline: run.deadline,
      timeoutMs: run.timeoutMs ?? spec.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxAttempts: spec.maxAttempts ?? DEFAULT_ATTEMPTS,
      maxWaitMs: spec.maxWaitMs ?? DEFAULT_MAX_WAIT_MS,
      headers: { ...spec.headers, ...creds.headers },
      onStatus: (status) => handlingOf(actionFor(actions, status)),
      secrets: creds.secrets,
    };
    const method = req.method ?? (at.json === undefined ? 'GET' : 'POST');
    try {
      const got = await request(
        target.toString(),
        { method, json: at.json },
        opts,
        async (res) => ({
          body: await read(res),
          headers: res.headers,
        }),
      );
      return { ...got, url };
    } catch (err) {
      if (!(err instanceof HttpStatusError)) throw err;
      const action = actionFor(actions, err.status);
      if (action === 'ignore') return undefined;
      const marks = marksOf(action);
      const d = spec.errors?.status?.(err, req, action);
      const e = d
        ? new SourceRequestError(d.code, d.message, {
            ...marks,
            status: err.status,
            context: d.context ?? { ...req.context, status: err.status },
            cause: err,
          })
        : new HttpStatusError(err.url, err.status, err.body, marks, {
            retryAfterMs: err.retryAfterMs,
          });
      if (action === 'stop-member' && req.member !== undefined) stopped.set(req.member, e);
      throw e;
    }
  }

  async function json(req: Request, at: PageRequest): Promise<Fetched<unknown> | undefined> {
    const got = await send(req, at, (res) => res.text());
    if (!got) return undefined;
    const body = parseJson(got.body, got.url);
    guard?.after(req, body, got.url);
    return { ...got, body };
  }

  const start = (req: Request): PageRequest => ({ url: urlOf(spec.baseUrl, req), json: req.json });

  return {
    url: (req) => redactUrl(urlOf(spec.baseUrl, req)),
    json: (req) => json(req, start(req)),
    bytes: (req) => send(req, start(req), async (res) => new Uint8Array(await res.arrayBuffer())),
    async *pages(req, paging) {
      const max = paging.maxPages ?? DEFAULT_MAX_PAGES;
      const asked = new Set<string>();
      let at: PageRequest | undefined = firstPage(paging, start(req));
      let before = 0;
      for (let index = 0; at; index++) {
        const key = `${at.url} ${JSON.stringify(at.json) ?? ''}`;
        if (index >= max)
          throw new PagingError(
            redactUrl(at.url),
            `still more pages after ${max} (maxPages): the source's paging may loop, or the read is larger than declared`,
          );
        if (asked.has(key))
          throw new PagingError(
            redactUrl(at.url),
            `page ${index + 1} asks again for an earlier page: the source's paging loops`,
          );
        asked.add(key);
        const got = await json(req, at);
        if (!got) return;
        const records = selectRecords(paging, new Json(got.body, got.url));
        const page: Page = { ...got, records, index, before };
        yield page;
        before += records.length;
        at = nextPage(paging, at, page);
      }
    },
  };
}

/** Where a run is: its id, and the invocation's signal and deadline. */
export interface RunScope extends RunBounds {
  readonly runId: string;
}

/**
 * One value per run (and per invocation of it: a continued run gets a fresh one with its own
 * signal and deadline), built on first use and dropped when the next run comes. Held by the
 * connector definition that calls this, not by a module, so two definitions never share it.
 *
 * @example
 * const api = perRun((ctx) => requester(SPEC, { signal: ctx.signal, deadline: ctx.deadline, secrets }));
 * // in fetch(slice, ctx): await api(ctx).json({ path: 'x' });
 */
export function perRun<T, X extends RunScope = RunScope>(make: (ctx: X) => T): (ctx: X) => T {
  let slot: { scope: RunScope; value: T } | undefined;
  return (ctx) => {
    const same =
      slot?.scope.runId === ctx.runId &&
      slot.scope.signal === ctx.signal &&
      slot.scope.deadline === ctx.deadline;
    if (!slot || !same) {
      // Only the run's bounds are kept: the rest of the context is the slice's.
      const scope = { runId: ctx.runId, signal: ctx.signal, deadline: ctx.deadline };
      slot = { scope, value: make(ctx) };
    }
    return slot.value;
  };
}
