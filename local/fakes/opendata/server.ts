/**
 * An offline ふじのくにオープンデータカタログ: the SHIRASAGI CMS API as the prefecture runs it
 * (no /api/3/action/ prefix; every route also under /api/1/), with packages shaped like the real
 * ones (numeric id plus uuid, filename "dataset/8167.html", per-resource licence, +09:00
 * timestamps), resources registered by URL in the CMS's other key set, and resource files in
 * Shift_JIS or UTF-8. Not found answers {success:false, error:{message:"Not found",
 * type:"Not Found Error"}} with HTTP 200, as the CMS does.
 * Tests change a resource through `updateResource` (new bytes, new `updated`) or `touch` (new
 * `updated`, same bytes).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import iconv from 'iconv-lite';
import { listen } from '../listen.ts';

interface FakeResource {
  id: number;
  uuid: string;
  name: string;
  filename: string;
  format: string;
  license: { id: number; name: string; uid: string };
  created: string;
  updated: string;
  body: Buffer;
}

/** A resource registered by URL: SHIRASAGI writes it with another key set (see below). */
interface FakeUrlResource {
  id: number;
  uuid: string;
  name: string;
  filename: string;
  format: string;
  licenseId: number;
  created: string;
  updated: string;
  /** Path on the fake of the page or file it points at. */
  target: string;
  body: Buffer;
}

interface FakePackage {
  id: number;
  uuid: string;
  name: string;
  text: string;
  created: string;
  updated: string;
  resources: FakeResource[];
  urlResources: FakeUrlResource[];
}

export interface OpendataFake {
  readonly url: string;
  close(): Promise<void>;
  /** New content (and a later `updated`) for a resource. */
  updateResource(uuid: string, body: Buffer, updated: string): void;
  /** A later `updated` with the same bytes, as an editor re-saving a page does. */
  touch(uuid: string, updated: string): void;
  /** From now on the resource's JSON breaks its shape (`updated` a number): for isolation tests. */
  misshape(uuid: string): void;
  /** Paths requested, in order (downloads included), for asserting what was fetched. */
  requests(): string[];
  resetRequests(): void;
}

const CC_BY = { id: 1, name: '表示（CC BY 4.0）', uid: 'cc-by' };
const CC_BY_21 = { id: 2, name: '表示（CC BY 2.1 JP）', uid: 'cc-by-2.1-jp' };

/** Uuids like the catalogue's; a seed gives a test its own catalogue beside earlier runs' state. */
const uuid = (n: number, seed = '6b0c') =>
  `${seed}${String(n).padStart(4, '0')}-1f2e-4a5b-9c8d-${String(n).padStart(12, '0')}`;

/** 市町別観光交流客数: the registered resource, in Shift_JIS with a title, a 県計 row and a note. */
export function tourismCsv(extraYear = false): Buffer {
  const towns = ['静岡市', '浜松市', '沼津市', '富士宮市', '御殿場市', '裾野市', '小山町'];
  const years = ['令和4年度', '令和5年度', ...(extraYear ? ['令和6年度'] : [])];
  const lines = ['市町別観光交流客数の推移', '市町名,年度,観光交流客数(人),うち宿泊客数(人)'];
  for (const y of years) {
    towns.forEach((t, i) => {
      const v = 1_000_000 + i * 731_000 + y.length * 17_000 + (y.includes('5') ? 120_000 : 0);
      const stay = i === 6 && y === '令和4年度' ? 'x' : Math.floor(v / 9).toLocaleString('en-US');
      lines.push(`${t},${y},"${v.toLocaleString('en-US')}","${stay}"`);
    });
  }
  lines.push('県計,,,', '注）宿泊客数の x は事業所数が少ないため秘匿。');
  return iconv.encode(lines.join('\r\n') + '\r\n', 'cp932');
}

function catalogue(seed?: string): FakePackage[] {
  const t0 = '2024-03-29T10:00:00.000+09:00';
  const urlRes = (
    n: number,
    name: string,
    filename: string,
    format: string,
    body: Buffer,
  ): FakeUrlResource => ({
    id: n,
    uuid: uuid(n, seed),
    name,
    filename,
    format,
    licenseId: CC_BY.id,
    created: t0,
    updated: t0,
    target: `/external/${filename}`,
    body,
  });
  const res = (
    n: number,
    name: string,
    filename: string,
    format: string,
    body: Buffer,
    license = CC_BY,
  ): FakeResource => ({
    id: n,
    uuid: uuid(n, seed),
    name,
    filename,
    format,
    license,
    created: t0,
    updated: t0,
    body,
  });
  return [
    {
      id: 8167,
      uuid: uuid(8167, seed),
      name: '観光交流客数（市町別）',
      text: '県内市町別の観光交流客数',
      created: t0,
      updated: t0,
      resources: [
        res(1, '市町別観光交流客数', '220001_tourism_visitors.csv', 'CSV', tourismCsv()),
        res(
          2,
          '観光交流客数の概要',
          '220001_tourism_summary.pdf',
          'PDF',
          Buffer.from('%PDF-1.4 fake\n'),
        ),
      ],
      urlResources: [
        urlRes(
          5,
          '観光交流客数（観光政策課のページ）',
          'kanko-kouryu.html',
          'HTML',
          Buffer.from('<html><body>観光交流客数</body></html>'),
        ),
      ],
    },
    {
      id: 8201,
      uuid: uuid(8201, seed),
      name: '指定緊急避難場所一覧（富士宮市）',
      text: '富士宮市の指定緊急避難場所',
      created: t0,
      updated: t0,
      resources: [
        res(
          3,
          '指定緊急避難場所一覧',
          '222071_evacuation.csv',
          'CSV',
          Buffer.from(
            '\uFEFF名称,住所,緯度,経度\r\n富士宮市役所,富士宮市弓沢町150,35.2224,138.6213\r\n',
          ),
          CC_BY_21,
        ),
      ],
      urlResources: [
        urlRes(
          6,
          '指定緊急避難場所一覧（市のサイト）',
          '222071_evacuation_city.csv',
          'CSV',
          Buffer.from('\uFEFF名称,住所\r\n富士宮市役所,富士宮市弓沢町150\r\n'),
        ),
      ],
    },
    {
      id: 8302,
      uuid: uuid(8302, seed),
      name: 'AED設置箇所一覧（御殿場市）',
      text: 'AED設置箇所',
      created: t0,
      updated: t0,
      resources: [
        res(4, 'AED設置箇所一覧', '222135_aed.xlsx', 'XLSX', Buffer.from('PK fake xlsx')),
      ],
      urlResources: [],
    },
  ];
}

export async function createOpendataFake(
  opts: { port?: number; seed?: string } = {},
): Promise<OpendataFake> {
  const packages = catalogue(opts.seed);
  const log: string[] = [];
  let base = '';

  const misshaped = new Set<string>();
  // Key sets as SHIRASAGI's API converter writes them (app/models/opendata/api/converter.rb):
  // `id` is the attached file's id, `url` the file's /fs/ path (its id's digits as folders),
  // `download_url` the resource's page path under the dataset.
  const fsPath = (r: FakeResource) => `/fs/${String(r.id).split('').join('/')}/_/${r.filename}`;
  const resourceJson = (p: FakePackage, r: FakeResource) => ({
    id: r.id,
    uuid: r.uuid,
    revision_id: r.uuid,
    state: 'public',
    name: r.name,
    filename: r.filename,
    text: '',
    license: { ...r.license, state: 'public', created: r.created, updated: r.created },
    rdf_iri: null,
    rdf_error: null,
    created: r.created,
    updated: misshaped.has(r.uuid) ? 20240329 : r.updated,
    download_url: `${base}/dataset/${p.id}/resource/${r.id}/${r.filename}`,
    url: `${base}${fsPath(r)}`,
    format: r.format,
  });
  // A resource registered by URL: no `updated`, `url`, `download_url`, `state` or `license{}`;
  // `last_modified`, `license_id` and the address in `originai_url` (the CMS's own spelling).
  const urlResourceJson = (r: FakeUrlResource) => ({
    id: r.id,
    uuid: r.uuid,
    last_modified: misshaped.has(r.uuid) ? 20240329 : r.updated,
    description: null,
    format: r.format,
    name: r.name,
    created: r.created,
    filename: r.filename,
    license_id: r.licenseId,
    rdf_iri: null,
    rdf_error: null,
    originai_url: `${base}${r.target}`,
    original_updated: r.updated,
    crawl_state: 'same',
    crawl_update: 'none',
  });
  const packageJson = (p: FakePackage) => ({
    type: 'dataset',
    site: { id: 1, name: 'ふじのくにオープンデータカタログ', url: `${base}/` },
    author: '静岡県',
    id: p.id,
    uuid: p.uuid,
    name: p.name,
    filename: `dataset/${p.id}.html`,
    url: `${base}/dataset/${p.id}.html`,
    text: p.text,
    update_plan: '年1回',
    state: 'public',
    released: p.created,
    created: p.created,
    updated:
      [...p.resources, ...p.urlResources]
        .map((r) => r.updated)
        .sort()
        .at(-1) ?? p.updated,
    categories: [{ id: 1, name: '観光', filename: 'category/kanko' }],
    estat_categories: [],
    areas: [{ id: 1, name: '静岡県' }],
    tags: ['観光'],
    point: 0,
    downloaded: null,
    groups: [],
    resources: [
      ...p.resources.map((r) => resourceJson(p, r)),
      ...p.urlResources.map(urlResourceJson),
    ],
    num_resources: p.resources.length + p.urlResources.length,
  });
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  };
  // SHIRASAGI answers every API error with HTTP 200; success:false is the only signal.
  const notFound = (res: ServerResponse) =>
    send(res, 200, {
      help: 'help',
      success: false,
      error: { message: 'Not found', type: 'Not Found Error' },
    });
  const int = (v: string | null, d: number) => (v !== null && /^\d+$/.test(v) ? Number(v) : d);

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const u = new URL(req.url ?? '/', base);
    log.push(`${u.pathname}${u.search}`);
    const path = u.pathname.replace(/^\/api\/1\//, '/api/');
    const file =
      /^\/fs\/((?:\d\/)+)_\/(.+)$/.exec(u.pathname)?.[1]?.replaceAll('/', '') ??
      /^\/dataset\/\d+\/resource\/(\d+)\/.+$/.exec(u.pathname)?.[1];
    const external = packages.flatMap((p) => p.urlResources).find((r) => r.target === u.pathname);
    const r = file && packages.flatMap((p) => p.resources).find((x) => String(x.id) === file);
    if (r || external) {
      const found = (r || external)!;
      res.writeHead(200, {
        'content-type': found.format === 'CSV' ? 'text/csv' : 'application/octet-stream',
      });
      return void res.end(found.body);
    }
    if (file) return void res.writeHead(404).end('not found');
    if (path === '/api/package_list') {
      const limit = int(u.searchParams.get('limit'), packages.length);
      const offset = int(u.searchParams.get('offset'), 0);
      return send(res, 200, {
        help: 'help',
        success: true,
        result: packages.slice(offset, offset + limit).map((p) => p.uuid),
      });
    }
    if (path === '/api/package_show') {
      const id = u.searchParams.get('id') ?? '';
      // Matched by uuid or filename only, as the CMS does (not by the numeric id).
      const p = packages.find((x) => x.uuid === id || `dataset/${x.id}.html` === id);
      return p
        ? send(res, 200, { help: 'help', success: true, result: packageJson(p) })
        : notFound(res);
    }
    if (path === '/api/package_search') {
      // Without q the CMS searches for the literal ":" (its default); q= (blank) is everything.
      const q = u.searchParams.get('q') ?? ':';
      const rows = int(u.searchParams.get('rows'), 50);
      const start = int(u.searchParams.get('start'), 0);
      const hits = packages.filter((p) => q === '' || p.name.includes(q) || p.text.includes(q));
      return send(res, 200, {
        help: 'help',
        success: true,
        result: { count: hits.length, results: hits.slice(start, start + rows).map(packageJson) },
      });
    }
    notFound(res);
  });
  const bound = await listen(server, opts.port);
  base = bound.url;
  const find = (id: string) => {
    const r = packages
      .flatMap((p): (FakeResource | FakeUrlResource)[] => [...p.resources, ...p.urlResources])
      .find((x) => x.uuid === id);
    if (!r) throw new Error(`no resource ${id} in the open-data fake`);
    return r;
  };
  return {
    url: bound.url,
    close: bound.close,
    updateResource(id, body, updated) {
      Object.assign(find(id), { body, updated });
    },
    touch(id, updated) {
      find(id).updated = updated;
    },
    misshape(id) {
      find(id);
      misshaped.add(id);
    },
    requests: () => [...log],
    resetRequests: () => void log.splice(0),
  };
}

/** Resource uuids of the fake (with the seed it was started with), for tests. */
export const fakeResources = (seed?: string) => ({
  tourismCsv: uuid(1, seed),
  tourismPdf: uuid(2, seed),
  evacuationCsv: uuid(3, seed),
  aedXlsx: uuid(4, seed),
  tourismPage: uuid(5, seed),
  evacuationCityCsv: uuid(6, seed),
});
