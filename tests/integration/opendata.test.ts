/**
 * The shizuoka_opendata connector against the offline SHIRASAGI catalogue fake: the catalogue
 * lands one row per resource, the registered Shift_JIS resource loads through its contract with
 * its licence, and change detection downloads only what changed.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConnector } from '#shared/runtime/run.ts';
import { stringLiteral } from '#shared/sql/literal.ts';
import { opendataConnector } from '#connectors/shizuoka_opendata/connector.ts';
import { tourismVisitorsContract } from '#connectors/shizuoka_opendata/contracts.ts';
import {
  createOpendataFake,
  fakeResources,
  tourismCsv,
  type OpendataFake,
} from '../../local/fakes/opendata/server.ts';
import { cliContext } from '../../cli/context.ts';
import { testEngine, uniqueNamespace } from '../helpers/local.ts';
import { connectorIn, dropConnectorTables } from '../helpers/namespaces.ts';

const seed = randomBytes(2).toString('hex');
const ctx = cliContext({ ...process.env, FUJI_ETL_TARGET: 'local' });
const engine = testEngine();
const deps = () => ({ engine, dialect: 'trino' as const, store: ctx.store, staging: ctx.staging });
// The catalogue and tourism tables in a namespace of the file's own: the snapshot counts below
// would change under a demo or another run loading the declared ones.
const ns = uniqueNamespace('opendata');
const connector = connectorIn(opendataConnector(), ns);
let fake: OpendataFake;
const saved = process.env.FUJI_ETL_OPENDATA_URL;

const downloads = () =>
  fake.requests().filter((p) => /^\/(fs|dataset\/\d+\/resource|external)\//.test(p));

beforeAll(async () => {
  fake = await createOpendataFake({ seed });
  process.env.FUJI_ETL_OPENDATA_URL = fake.url;
});

afterAll(async () => {
  await dropConnectorTables(engine, [connector]);
  if (saved === undefined) delete process.env.FUJI_ETL_OPENDATA_URL;
  else process.env.FUJI_ETL_OPENDATA_URL = saved;
  await fake.close();
});

async function tourismRows() {
  const r = await engine.query(
    `SELECT municipality, fiscal_year, visitors, overnight_visitors, null_notes, licence FROM "${ns}"."visitors_by_municipality" WHERE source LIKE ${stringLiteral(`${fake.url}/%`)} ORDER BY fiscal_year, municipality`,
  );
  return r.rows;
}

describe('the Shizuoka open-data catalogue connector', () => {
  const ids = fakeResources(seed);

  it('lands one catalogue row per resource and loads the registered Shift_JIS resource with its licence', async () => {
    const s = await runConnector(connector, deps());
    expect(s.ok).toBe(true);
    expect(s.slices.map((x) => [x.slice, x.status])).toEqual([
      ['catalogue', 'succeeded'],
      ['resource:tourism_visitors', 'succeeded'],
    ]);
    // Only the CSV resources were downloaded to hash them, then the registered one to load it.
    // A resource registered by URL (no `updated`, `url` or `download_url`) is hashed from
    // the address the CMS gives it.
    expect(downloads()).toEqual([
      '/dataset/8167/resource/1/220001_tourism_visitors.csv',
      '/dataset/8201/resource/3/222071_evacuation.csv',
      '/external/222071_evacuation_city.csv',
      '/dataset/8167/resource/1/220001_tourism_visitors.csv',
    ]);
    const cat = await engine.query(
      `SELECT resource_uuid, format, licence_uid, content_hash IS NOT NULL, to_iso8601(updated) FROM "${ns}"."catalogue_resources" WHERE dataset_uuid LIKE ${stringLiteral(`${seed}%`)} ORDER BY resource_id`,
    );
    expect(cat.rows).toEqual([
      [ids.tourismCsv, 'CSV', 'cc-by', true, '2024-03-29T01:00:00.000000Z'],
      [ids.tourismPdf, 'PDF', 'cc-by', false, '2024-03-29T01:00:00.000000Z'],
      [ids.evacuationCsv, 'CSV', 'cc-by-2.1-jp', true, '2024-03-29T01:00:00.000000Z'],
      [ids.aedXlsx, 'XLSX', 'cc-by', false, '2024-03-29T01:00:00.000000Z'],
      [ids.tourismPage, 'HTML', null, false, '2024-03-29T01:00:00.000000Z'],
      [ids.evacuationCityCsv, 'CSV', null, true, '2024-03-29T01:00:00.000000Z'],
    ]);
    const urlRes = await engine.query(
      `SELECT licence_id, download_url FROM "${ns}"."catalogue_resources" WHERE resource_uuid = ${stringLiteral(ids.evacuationCityCsv)}`,
    );
    expect(urlRes.rows).toEqual([[1n, `${fake.url}/external/222071_evacuation_city.csv`]]);
    const rows = await tourismRows();
    expect(rows).toHaveLength(14);
    expect(rows[0]).toEqual(['富士宮市', 2022, 3278000n, 364222n, null, '表示（CC BY 4.0）']);
    expect(rows.find((r) => r[0] === '小山町' && r[1] === 2022)).toEqual([
      '小山町',
      2022,
      5471000n,
      null,
      'overnight_visitors=x (confidential)',
      '表示（CC BY 4.0）',
    ]);
    const slice = s.slices[1]!;
    expect(slice).toMatchObject({
      rowsRead: 18,
      rowsLoaded: 14,
      rowsSkipped: 4,
      rowsQuarantined: 0,
    });
  }, 120_000);

  it('downloads nothing when nothing changed', async () => {
    fake.resetRequests();
    const s = await runConnector(connector, deps());
    expect(s.ok).toBe(true);
    expect(downloads()).toEqual([]);
    expect(fake.requests().every((p) => p.startsWith('/api/package_search'))).toBe(true);
  }, 60_000);

  it('hashes a re-saved resource once and does not reload it when its content is the same', async () => {
    fake.touch(ids.tourismCsv, '2024-04-01T09:00:00.000+09:00');
    fake.resetRequests();
    const before = Number(
      (await engine.query(`SELECT count(*) FROM "${ns}"."visitors_by_municipality$snapshots"`))
        .rows[0]![0],
    );
    const s = await runConnector(connector, deps());
    expect(s.ok).toBe(true);
    expect(downloads()).toEqual(['/dataset/8167/resource/1/220001_tourism_visitors.csv']);
    expect(s.slices[1]).toMatchObject({ rowsRead: 0 });
    const after = Number(
      (await engine.query(`SELECT count(*) FROM "${ns}"."visitors_by_municipality$snapshots"`))
        .rows[0]![0],
    );
    expect(after).toBe(before);
  }, 60_000);

  it('reloads a resource whose content changed, adding the new fiscal year', async () => {
    fake.updateResource(ids.tourismCsv, tourismCsv(true), '2025-03-31T18:00:00.000+09:00');
    fake.resetRequests();
    const s = await runConnector(connector, deps());
    expect(s.ok).toBe(true);
    expect(downloads()).toEqual([
      '/dataset/8167/resource/1/220001_tourism_visitors.csv',
      '/dataset/8167/resource/1/220001_tourism_visitors.csv',
    ]);
    const rows = await tourismRows();
    expect(rows).toHaveLength(21);
    expect(rows.filter((r) => r[1] === 2024)).toHaveLength(7);
  }, 60_000);

  it('fails a registration whose dataset the catalogue does not know, naming it, and still lands the catalogue', async () => {
    const missing = connectorIn(
      opendataConnector([
        {
          name: 'missing',
          contract: tourismVisitorsContract,
          dataset: 'dataset/999999.html',
          resource: /./,
        },
      ]),
      ns,
    );
    const s = await runConnector(missing, deps());
    expect(s.ok).toBe(false);
    expect(s.slices[0]!.status).toBe('succeeded');
    expect(s.slices[1]).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(
        /OPENDATA_NOT_FOUND: dataset "dataset\/999999.html" is not in the catalogue/,
      ),
    });
  }, 60_000);

  it('records a resource with an unexpected shape with its reason and lands the others', async () => {
    fake.misshape(ids.evacuationCsv);
    fake.touch(ids.aedXlsx, '2024-05-01T09:00:00.000+09:00');
    const s = await runConnector(connector, deps());
    expect(s.ok).toBe(true);
    expect(s.slices[0]).toMatchObject({
      slice: 'catalogue',
      status: 'partial',
      failures: [
        {
          member: `resource:${ids.evacuationCsv}`,
          reason: expect.stringMatching(
            /\/api\/package_search.* at \$\.result\.results\[1\]\.resources\[0\]\.updated: expected a string, got number/,
          ),
        },
      ],
    });
    const aed = await engine.query(
      `SELECT to_iso8601(updated) FROM "${ns}"."catalogue_resources" WHERE resource_uuid = ${stringLiteral(ids.aedXlsx)}`,
    );
    expect(aed.rows).toEqual([['2024-05-01T00:00:00.000000Z']]);
    const ledger = await engine.query(
      `SELECT status, members_failed, failed_members FROM ops.run_ledger WHERE run_id = ${stringLiteral(s.runId)} AND slice = 'catalogue'`,
    );
    expect(ledger.rows).toEqual([
      ['partial', 1, expect.stringContaining(`resource:${ids.evacuationCsv}: SOURCE_SHAPE`)],
    ]);
  }, 60_000);
});
