import { afterEach, describe, expect, it } from 'vitest';
import { sendJson, serve, type TestServer } from '../../tests/helpers/http-server.ts';
import { nextLink, type Paginator } from './paginate.ts';
import { requester } from './requester.ts';

const secrets = { get: async () => 'unused' };
const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const ITEMS = Array.from({ length: 7 }, (_, i) => ({ id: i + 1 }));

async function source(
  answer: (q: URLSearchParams, body: string) => { body: unknown; headers?: Record<string, string> },
) {
  const server = await serve((req, res) => {
    const q = new URL(req.url, 'http://x').searchParams;
    const a = answer(q, req.body);
    sendJson(res, 200, a.body, a.headers);
  });
  servers.push(server);
  return {
    server,
    api: requester({ baseUrl: server.url }, { signal: new AbortController().signal, secrets }),
  };
}

async function ids(api: ReturnType<typeof requester>, path: string, paging: Paginator) {
  const out: unknown[] = [];
  for await (const page of api.pages({ path }, paging))
    out.push(...page.records.map((r) => r.get('id').value));
  return out;
}

const query = (s: TestServer) => s.received.map((r) => r.url.replace(/^\/items\??/, ''));

describe('offset paginator', () => {
  it('pages by offset and limit until the declared total', async () => {
    const { server, api } = await source((q) => {
      const start = Number(q.get('offset'));
      return {
        body: { total: ITEMS.length, rows: ITEMS.slice(start, start + Number(q.get('limit'))) },
      };
    });
    const got = await ids(api, 'items', {
      kind: 'offset',
      limit: 3,
      total: 'total',
      records: 'rows',
    });
    expect(got).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(query(server)).toEqual(['offset=0&limit=3', 'offset=3&limit=3', 'offset=6&limit=3']);
  });

  it('without a total, ends on a page shorter than the limit', async () => {
    const { server, api } = await source((q) => {
      const start = Number(q.get('start'));
      return { body: { data: { items: ITEMS.slice(start, start + 4) } } };
    });
    const paging: Paginator = {
      kind: 'offset',
      limit: 4,
      offsetParam: 'start',
      limitParam: 'rows',
      records: 'data.items',
    };
    expect(await ids(api, 'items', paging)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(server.received).toHaveLength(2);
  });

  it('writes offset and limit into a JSON body, as strings when declared (GA4)', async () => {
    const { server, api } = await source((_q, body) => {
      const b = JSON.parse(body) as { offset: string; limit: string };
      const start = Number(b.offset);
      return { body: { rowCount: '7', rows: ITEMS.slice(start, start + Number(b.limit)) } };
    });
    const pages = api.pages(
      { path: 'items', json: { report: 'r' } },
      {
        kind: 'offset',
        limit: 5,
        in: 'body',
        numbersAsStrings: true,
        total: 'rowCount',
        records: 'rows',
      },
    );
    const seen = [];
    for await (const p of pages) seen.push([p.index, p.before, p.records.length]);
    expect(seen).toEqual([
      [0, 0, 5],
      [1, 5, 2],
    ]);
    expect(server.received.map((r) => [r.method, JSON.parse(r.body)])).toEqual([
      ['POST', { report: 'r', offset: '0', limit: '5' }],
      ['POST', { report: 'r', offset: '5', limit: '5' }],
    ]);
  });

  it('ends on an empty page even when the total promises more', async () => {
    const { server, api } = await source((q) => ({
      body: { count: 9, results: Number(q.get('offset')) === 0 ? ITEMS : [] },
    }));
    expect(
      await ids(api, 'items', { kind: 'offset', limit: 7, total: 'count', records: 'results' }),
    ).toHaveLength(7);
    expect(server.received).toHaveLength(2);
  });
});

describe('page-number paginator', () => {
  it('counts pages from 1 with a page size and ends on a short page', async () => {
    const { server, api } = await source((q) => {
      const page = Number(q.get('page'));
      return { body: { items: ITEMS.slice((page - 1) * 3, page * 3) } };
    });
    expect(await ids(api, 'items', { kind: 'page', size: 3, records: 'items' })).toEqual([
      1, 2, 3, 4, 5, 6, 7,
    ]);
    expect(query(server)).toEqual(['page=1&per_page=3', 'page=2&per_page=3', 'page=3&per_page=3']);
  });

  it('stops at the declared number of pages', async () => {
    const { server, api } = await source((q) => ({
      body: { meta: { pages: 2 }, items: [{ id: Number(q.get('p')) }] },
    }));
    expect(
      await ids(api, 'items', {
        kind: 'page',
        param: 'p',
        first: 0,
        pages: 'meta.pages',
        records: 'items',
      }),
    ).toEqual([0, 1]);
    expect(server.received).toHaveLength(2);
  });
});

describe('cursor paginator', () => {
  it('sends the next token from the body until there is none', async () => {
    const { server, api } = await source((q) => {
      const at = Number(q.get('cursor') ?? 0);
      const next = at + 3 < ITEMS.length ? String(at + 3) : null;
      return { body: { items: ITEMS.slice(at, at + 3), meta: { next } } };
    });
    expect(
      await ids(api, 'items', {
        kind: 'cursor',
        next: 'meta.next',
        param: 'cursor',
        records: 'items',
      }),
    ).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(query(server)).toEqual(['', 'cursor=3', 'cursor=6']);
  });

  it('refuses a cursor that leads back to a page already read', async () => {
    const { api } = await source(() => ({ body: { items: [{ id: 1 }], next: 'same' } }));
    await expect(
      ids(api, 'items', { kind: 'cursor', next: 'next', param: 'c', records: 'items' }),
    ).rejects.toMatchObject({
      code: 'HTTP_PAGING',
      message: expect.stringContaining('page 3 asks again for an earlier page'),
    });
  });
});

describe('link paginator', () => {
  it('follows the Link header’s next, relative to the page', async () => {
    const { server, api } = await source((q) => {
      const page = Number(q.get('page') ?? 1);
      const link =
        page < 3
          ? { link: `<items?page=${page + 1}>; rel="next", <items?page=1>; rel="first"` }
          : undefined;
      return { body: [{ id: page }], headers: link };
    });
    expect(await ids(api, 'items', { kind: 'link', records: '' })).toEqual([1, 2, 3]);
    expect(query(server)).toEqual(['', 'page=2', 'page=3']);
  });

  it('follows a next URL in the body', async () => {
    let base = '';
    const { server, api } = await source((q) => {
      const page = Number(q.get('page') ?? 1);
      return {
        body: { data: [{ id: page }], links: { next: page < 2 ? `${base}/items?page=2` : null } },
      };
    });
    base = server.url;
    expect(await ids(api, 'items', { kind: 'link', next: 'links.next', records: 'data' })).toEqual([
      1, 2,
    ]);
  });

  it('reads rel="next" among other relations', () => {
    expect(nextLink('<https://a/x?p=1>; rel="prev", <https://a/x?p=3>; rel="next last"')).toBe(
      'https://a/x?p=3',
    );
    expect(nextLink('<https://a/x?p=1>; rel="prev"')).toBeUndefined();
    expect(nextLink(null)).toBeUndefined();
  });
});

describe('every paginator', () => {
  it('ends when the stop condition says so', async () => {
    const { server, api } = await source((q) => ({
      body: { items: [{ id: Number(q.get('page')), last: q.get('page') === '2' }] },
    }));
    const got = await ids(api, 'items', {
      kind: 'page',
      records: 'items',
      stop: (p) => p.records.some((r) => r.get('last').value === true),
    });
    expect(got).toEqual([1, 2]);
    expect(server.received).toHaveLength(2);
  });

  it('refuses to read past maxPages, saying why', async () => {
    const { server, api } = await source((q) => ({
      body: { items: [{ id: Number(q.get('page')) }] },
    }));
    await expect(
      ids(api, 'items', { kind: 'page', records: 'items', maxPages: 4 }),
    ).rejects.toMatchObject({
      code: 'HTTP_PAGING',
      retryable: false,
      message: `${server.url}/items?page=5: still more pages after 4 (maxPages): the source's paging may loop, or the read is larger than declared`,
    });
    expect(server.received).toHaveLength(4);
  });

  it('selects records by path: an absent array is an empty page, any other kind fails with its path', async () => {
    const { api } = await source((q) => ({
      body: q.get('page') === '1' ? { data: {} } : { data: { items: 'x' } },
    }));
    expect(await ids(api, 'items', { kind: 'page', records: 'data.items' })).toEqual([]);
    const bad = await source(() => ({ body: { data: { items: 'x' } } }));
    await expect(
      ids(bad.api, 'items', { kind: 'page', records: 'data.items' }),
    ).rejects.toMatchObject({
      code: 'SOURCE_SHAPE',
      message: `${bad.server.url}/items?page=1 at $.data.items: expected an array, got string`,
    });
  });
});
