/**
 * CSV uploads end to end on the local stack: objects put into a moto bucket raise real S3 event
 * notifications (delivered to SQS), each event loads its object through the dataset contract
 * into Iceberg, the object is tagged, redelivery changes nothing, a new version replaces the
 * file's rows, failed files are tagged and can be re-run, and quarantined rows replay after a
 * contract fix.
 */
import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import writeExcelFile from 'write-excel-file/node';
import { randomBytes } from 'node:crypto';
import { GetObjectTaggingCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3ClientFor } from '#shared/aws/s3.ts';
import { objectsOf, type S3Event } from '#shared/aws/s3-event.ts';
import { defineContract, type Contract } from '#shared/csv/contract.ts';
import type { ContractFileDeps } from '#shared/csv/contract-file.ts';
import { namespaceCatalogs } from '#shared/model/domains.ts';
import { replayQuarantine } from '#shared/csv/replay.ts';
import { stringLiteral } from '#shared/sql/literal.ts';
import { ROUTES, moeClimbers8th, uploadContracts } from '#connectors/csv_upload/contracts.ts';
import { contractFileDeps } from '#connectors/contracts.ts';
import { loadUpload, type UploadOutcome } from '#connectors/csv_upload/upload.ts';
import { oneOf } from '#shared/csv/values.ts';
import { drainUploadEvents, ensureUploadBucket, type UploadBucket } from '#local/uploads/bucket.ts';
import { cliContext } from '../../cli/context.ts';
import { inNamespace, TEST_CATALOGS, testEngine, uniqueNamespace, urls } from '../helpers/local.ts';

const ctx = cliContext({ ...process.env, FUJI_ETL_TARGET: 'local' });
const s3 = s3ClientFor(ctx.cfg);
const bucketName = `it-uploads-${randomBytes(3).toString('hex')}`;
let bucket: UploadBucket;

// The contracts' tables in a namespace of the file's own: the snapshot counts below would change
// under the demo or another run loading the declared ones.
const ns = uniqueNamespace('uploads');
// …kept, as the uploaded-data domains are, in the uploads bucket's catalog (its own Trino catalog
// locally): every statement of a load names it, and one forgetting it would find no table.
const engine = testEngine({
  namespaces: { ...namespaceCatalogs(TEST_CATALOGS), [ns]: TEST_CATALOGS.uploads },
});
const inUploads = `"${TEST_CATALOGS.uploads}"."${ns}"`;
const inOwnNamespace = (c: Contract) => defineContract({ ...c, table: inNamespace(c.table, ns) });
/** A contract only this test run uses, so its quarantine and replay touch nothing else. */
const itMoe = inOwnNamespace({
  ...moeClimbers8th,
  name: `it_moe_${randomBytes(3).toString('hex')}`,
});
const contracts = new Map<string, Contract>([
  ...[...uploadContracts].map(([name, c]) => [name, inOwnNamespace(c)] as const),
  [itMoe.name, itMoe],
]);
/** Contract files in the bucket name the declared tables; they load into this file's too. */
const fileDeps: ContractFileDeps = {
  ...contractFileDeps,
  tables: new Map([...contractFileDeps.tables].map(([name, t]) => [name, inNamespace(t, ns)])),
};
const deps = (c: ReadonlyMap<string, Contract> = contracts) => ({
  engine,
  dialect: 'trino' as const,
  store: ctx.store,
  s3,
  contracts: c,
  contractFileDeps: fileDeps,
});

const sample = (name: string) =>
  readFileSync(new URL(`../../connectors/csv_upload/samples/${name}`, import.meta.url));

/** Puts an object and handles the S3 events moto delivers for it, as the Lambda would. */
async function putAndDeliver(
  key: string,
  body: Uint8Array,
): Promise<{ outcomes: UploadOutcome[]; events: S3Event[] }> {
  await s3.send(new PutObjectCommand({ Bucket: bucketName, Key: key, Body: body }));
  const outcomes: UploadOutcome[] = [];
  const events: S3Event[] = [];
  await drainUploadEvents(
    bucket,
    async (event) => {
      events.push(event);
      for (const o of objectsOf(event)) outcomes.push(await loadUpload(deps(), o));
    },
    { waitSeconds: 5 },
  );
  return { outcomes, events };
}

async function tags(key: string): Promise<Record<string, string>> {
  const out = await s3.send(new GetObjectTaggingCommand({ Bucket: bucketName, Key: key }));
  return Object.fromEntries((out.TagSet ?? []).map((t) => [t.Key!, t.Value!]));
}

async function count(table: string, where: string): Promise<number> {
  const r = await engine.query(`SELECT count(*) FROM ${table} WHERE ${where}`);
  return Number(r.rows[0]![0]);
}

const src = (key: string) => `source = ${stringLiteral(`s3://${bucketName}/${key}`)}`;
const snapshots = async (table: string) =>
  Number((await engine.query(`SELECT count(*) FROM ${table}`)).rows[0]![0]);

beforeAll(async () => {
  bucket = await ensureUploadBucket(s3, urls.moto, ctx.cfg.region, bucketName);
}, 60_000);

afterAll(async () => {
  const tables = new Set([...contracts.values()].map((c) => c.table.name));
  for (const t of tables) await engine.query(`DROP TABLE IF EXISTS ${engine.names.table(ns, t)}`);
  await engine.query(`DROP SCHEMA IF EXISTS "${ns}"`, { catalog: TEST_CATALOGS.uploads });
});

describe('CSV uploads through S3 event notifications', () => {
  it('loads every contract’s samples in Shift_JIS and UTF-8 with BOM from moto’s events, tagging each object', async () => {
    const expected: Record<string, [string, number]> = {
      moe_climbers_8th: [`${inUploads}."climber_counts"`, 28],
      pref_climbers_5th: [`${inUploads}."climber_counts"`, 21],
      entry_registrations: [`${inUploads}."registrations_daily"`, 108],
      parking_shuttle: [`${inUploads}."parking_shuttle_daily"`, 15],
    };
    for (const [dataset, [table, rows]] of Object.entries(expected)) {
      for (const enc of ['sjis', 'utf8bom']) {
        const key = `uploads/${dataset}/2025/${dataset}.${enc}.csv`;
        const { outcomes, events } = await putAndDeliver(key, sample(`${dataset}.${enc}.csv`));
        expect(events[0]!.Records[0]!.eventName).toMatch(/^ObjectCreated:/);
        expect(outcomes).toHaveLength(1);
        const o = outcomes[0]!;
        expect(o.status, o.error).toBe('loaded');
        expect(o.report!.detection.encoding).toBe(enc === 'sjis' ? 'cp932' : 'utf-8-bom');
        const slice = o.summary!.slices[0]!;
        expect(slice.rowsRead).toBe(slice.rowsLoaded + slice.rowsQuarantined + slice.rowsSkipped);
        expect(slice.rowsQuarantined).toBe(0);
        // Rows from this object carry its source, until a later file with the same key replaces them.
        if (enc === 'utf8bom') expect(await count(table, src(key))).toBe(rows);
        expect(await tags(key)).toMatchObject({
          'fuji-etl-status': 'processed',
          'fuji-etl-quarantined': '0',
          'fuji-etl-encoding': enc === 'sjis' ? 'cp932' : 'utf-8-bom',
        });
      }
    }
    const ledger = await engine.query(
      `SELECT rows_read, rows_loaded, rows_skipped, rows_quarantined FROM "ops"."run_ledger" WHERE slice LIKE ${stringLiteral(`s3://${bucketName}/uploads/pref_climbers_5th/2025/pref_climbers_5th.sjis.csv@%`)}`,
    );
    expect(ledger.rows.map((r) => r.map(Number))).toEqual([[11, 7, 4, 0]]);
    // The rows are in the uploads bucket only: the lake's catalog has no such namespace, so a
    // statement that left the catalog out fails instead of reading or writing the wrong bucket.
    const lakeOnly = testEngine({ namespaces: {} });
    await expect(lakeOnly.query(`SELECT count(*) FROM "${ns}"."climber_counts"`)).rejects.toThrow(
      /SCHEMA_NOT_FOUND|TABLE_NOT_FOUND|does not exist/,
    );
    const byCatalog = await lakeOnly.query(
      `SELECT count(*) FROM "${TEST_CATALOGS.uploads}"."${ns}"."climber_counts"`,
    );
    expect(Number(byCatalog.rows[0]![0])).toBe(28 + 21);
  }, 240_000);

  it('changes nothing when the same object is delivered again', async () => {
    const key = `uploads/${itMoe.name}/twice.csv`;
    const first = await putAndDeliver(key, sample('moe_climbers_8th.sjis.csv'));
    expect(first.outcomes[0]!.status).toBe('loaded');
    const before = await snapshots(`${inUploads}."climber_counts$snapshots"`);
    for (const o of objectsOf(first.events[0]!)) {
      const again = await loadUpload(deps(), o);
      expect(again).toMatchObject({ status: 'unchanged', etag: first.outcomes[0]!.etag });
    }
    expect(await snapshots(`${inUploads}."climber_counts$snapshots"`)).toBe(before);
  }, 120_000);

  it('replaces a file’s rows when a new version of the same key arrives', async () => {
    const key = `uploads/entry_registrations/export-${randomBytes(2).toString('hex')}.csv`;
    const v1 = await putAndDeliver(key, sample('entry_registrations.utf8bom.csv'));
    expect(v1.outcomes[0]!.status).toBe('loaded');
    expect(await count(`${inUploads}."registrations_daily"`, src(key))).toBe(108);
    // Version 2 keeps only the first day: the rows version 1 had for other days must go.
    const text = sample('entry_registrations.utf8bom.csv').toString('utf8').split('\r\n');
    const v2body =
      [text[0], ...text.slice(1).filter((l) => l.startsWith('2025/07/10'))].join('\r\n') + '\r\n';
    const v2 = await putAndDeliver(key, Buffer.from(v2body));
    expect(v2.outcomes[0]!.status).toBe('loaded');
    expect(v2.outcomes[0]!.etag).not.toBe(v1.outcomes[0]!.etag);
    expect(await count(`${inUploads}."registrations_daily"`, src(key))).toBe(36);
    expect(
      await count(
        `${inUploads}."registrations_daily"`,
        `${src(key)} AND source_version = ${stringLiteral(v2.outcomes[0]!.etag!)}`,
      ),
    ).toBe(36);
  }, 120_000);

  it('lands four uploads of one dataset that arrive together, one after another on its lock, with no duplicate key', async () => {
    const tag = randomBytes(3).toString('hex');
    const header = '日付,駐車場,駐車台数,シャトルバス乗車人数,前年同日比';
    // Four files over the same days and sites (the key spans files): each lands whole.
    const keys = [0, 1, 2, 3].map((i) => `uploads/parking_shuttle/it-${tag}-${i}.csv`);
    for (const [i, key] of keys.entries()) {
      const lines = [header];
      for (let d = 1; d <= 20; d++)
        for (const site of ['A', 'B', 'C'])
          lines.push(
            `2025/08/${String(d).padStart(2, '0')},it-${tag}-${site},${i * 100 + d}台,${d}人,0`,
          );
      await s3.send(
        new PutObjectCommand({
          Bucket: bucketName,
          Key: key,
          Body: Buffer.from(`${lines.join('\r\n')}\r\n`),
        }),
      );
    }
    const objects: { bucket: string; key: string }[] = [];
    await drainUploadEvents(bucket, async (event) => void objects.push(...objectsOf(event)), {
      waitSeconds: 5,
    });
    expect(objects.map((o) => o.key).sort()).toEqual(keys);
    // As four Lambda invocations at once: the loads queue on the table lock instead of failing.
    const outcomes = await Promise.all(
      objects.map((o) => loadUpload(deps(), o, { deadline: Date.now() + 600_000 })),
    );
    expect(outcomes.map((o) => [o.status, o.error ?? null])).toEqual(
      keys.map(() => ['loaded', null]),
    );
    const t = `${inUploads}."parking_shuttle_daily"`;
    expect(await count(t, `site LIKE 'it-${tag}-%'`)).toBe(60);
    const dup = await engine.query(
      `SELECT use_date, site FROM ${t} WHERE site LIKE 'it-${tag}-%' GROUP BY use_date, site HAVING count(*) > 1`,
    );
    expect(dup.rows).toEqual([]);
  }, 600_000);

  it('tags a file it cannot read as failed, with the reason in the ledger, and loads it once fixed', async () => {
    const key = `uploads/${itMoe.name}/broken.csv`;
    const bad = await putAndDeliver(key, Buffer.from('登山者数の速報\nこの表は準備中です\n'));
    const o = bad.outcomes[0]!;
    expect(o.status).toBe('failed');
    expect(o.error).toMatch(/^CSV_HEADER: no header row/);
    expect(await tags(key)).toMatchObject({
      'fuji-etl-status': 'failed',
      'fuji-etl-error': 'CSV_HEADER',
    });
    const ledger = await engine.query(
      `SELECT status, error FROM "ops"."run_ledger" WHERE run_id = ${stringLiteral(o.summary!.runId)}`,
    );
    expect(ledger.rows[0]![0]).toBe('failed');
    // The same bytes re-run fail the same way; the corrected file at the same key loads.
    const rerun = await loadUpload(deps(), { bucket: bucketName, key }, { force: true });
    expect(rerun.status).toBe('failed');
    const fixed = await putAndDeliver(key, sample('moe_climbers_8th.utf8bom.csv'));
    expect(fixed.outcomes[0]!.status).toBe('loaded');
    expect(await tags(key)).toMatchObject({ 'fuji-etl-status': 'processed' });
  }, 120_000);

  it('tags an object under an unknown dataset as failed without loading anything', async () => {
    const { outcomes } = await putAndDeliver(
      'uploads/no_such_dataset/x.csv',
      Buffer.from('a\n1\n'),
    );
    expect(outcomes[0]).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/no dataset contract named no_such_dataset/),
    });
    expect(await tags('uploads/no_such_dataset/x.csv')).toMatchObject({
      'fuji-etl-error': 'UNKNOWN_DATASET',
    });
  }, 60_000);
});

describe('quarantine and replay', () => {
  it('quarantines bad records with file, line, raw text and reason, and replays them after a contract fix', async () => {
    const key = `uploads/${itMoe.name}/drifted.csv`;
    const body = [
      '日付,登山道,登山者数,備考',
      '2025/8/1,富士宮,100,',
      '2025/8/4,富士宮表口,120,', // a spelling the contract does not know yet
      '2025/8/2,須走,=1+2,', // a formula where a number belongs
      '2025/8/3,須走,7,',
    ].join('\r\n');
    const { outcomes } = await putAndDeliver(key, Buffer.from(body));
    const o = outcomes[0]!;
    expect(o.status).toBe('loaded');
    expect(o.summary!.slices[0]).toMatchObject({
      rowsRead: 5,
      rowsLoaded: 2,
      rowsQuarantined: 2,
      rowsSkipped: 1,
    });
    expect(await tags(key)).toMatchObject({ 'fuji-etl-quarantined': '2' });
    const q = await engine.query(
      `SELECT line_number, raw, reason, contract, target_table FROM "ops"."quarantine" WHERE ${src(key)} ORDER BY line_number`,
    );
    expect(q.rows).toEqual([
      [
        3n,
        '2025/8/4,富士宮表口,120,',
        'route: unknown value "富士宮表口" (expected fujinomiya, gotemba, subashiri, yoshida)',
        itMoe.name,
        `${ns}.climber_counts`,
      ],
      [
        4n,
        '2025/8/2,須走,=1+2,',
        'climbers: not a number: "=1+2"',
        itMoe.name,
        `${ns}.climber_counts`,
      ],
    ]);

    // The contract learns the spelling; the replay lands that record and leaves the formula.
    const fixed = defineContract({
      ...itMoe,
      columns: {
        ...itMoe.columns,
        route: {
          ...itMoe.columns.route!,
          parse: oneOf({ ...ROUTES, fujinomiya: [...ROUTES.fujinomiya, '富士宮表口'] }),
        },
      },
    });
    const results = await replayQuarantine(deps(), new Map([[fixed.name, fixed]]), {
      contract: fixed.name,
    });
    expect(results).toEqual([
      expect.objectContaining({
        contract: fixed.name,
        considered: 2,
        landed: 1,
        stillQuarantined: 1,
      }),
    ]);
    const left = await engine.query(`SELECT line_number FROM "ops"."quarantine" WHERE ${src(key)}`);
    expect(left.rows).toEqual([[4n]]);
    const landed = await engine.query(
      `SELECT climbers, source_line FROM ${inUploads}."climber_counts" WHERE ${src(key)} AND count_date = DATE '2025-08-04' AND route = 'fujinomiya'`,
    );
    expect(landed.rows).toEqual([[120n, 3n]]);
    // Replaying again changes nothing and keeps the still-bad record.
    const again = await replayQuarantine(deps(), new Map([[fixed.name, fixed]]), {
      contract: fixed.name,
    });
    expect(again).toEqual([
      expect.objectContaining({ considered: 1, landed: 0, stillQuarantined: 1 }),
    ]);
  }, 180_000);

  it('lands formula-looking and SQL-looking text exactly as written', async () => {
    const key = `uploads/parking_shuttle/hostile-${randomBytes(2).toString('hex')}.csv`;
    const hostile = [
      "=cmd|' /C calc'!A0",
      '+SUM(1,2)',
      '-1+1',
      '@A1',
      "x'); DROP TABLE mobility.parking_shuttle_daily; --",
      "a\\b\\'c",
    ];
    const body = [
      '日付,駐車場,駐車台数',
      ...hostile.map((h, i) => `2031/7/${10 + i},"${h.replaceAll('"', '""')}",${i}`),
    ].join('\n');
    const { outcomes } = await putAndDeliver(key, Buffer.from(body));
    expect(outcomes[0]!.status).toBe('loaded');
    const r = await engine.query(
      `SELECT site FROM ${inUploads}."parking_shuttle_daily" WHERE ${src(key)} ORDER BY use_date`,
    );
    expect(r.rows.map((x) => x[0])).toEqual(hostile);
  }, 60_000);
});

describe('files as publishers write them, through S3 events', () => {
  const hex = randomBytes(3).toString('hex');

  it('loads the ministry’s wide 8th-station file, one row per route, the year from its fiscal-year title', async () => {
    const key = `uploads/moe_climbers_8th/wide-${hex}.csv`;
    const body = iconv.encode(
      [
        '富士山登山者数（8合目付近 赤外線カウンター）令和７年度',
        '日付,吉田ルート,須走ルート,御殿場ルート,富士宮ルート,計,備考',
        '7月10日（木）,,120,35,850,"1,005",開山日',
        '7月11日（金）,"2,101",調査なし,40,910,"3,051",',
        '合計,"2,101",120,75,"1,760","4,056",',
      ].join('\r\n'),
      'cp932',
    );
    const { outcomes } = await putAndDeliver(key, body);
    expect(outcomes[0]!.status, outcomes[0]!.error).toBe('loaded');
    const r = await engine.query(
      `SELECT count_date, route, climbers, null_notes FROM ${inUploads}."climber_counts" WHERE ${src(key)} ORDER BY count_date, route`,
    );
    expect(r.text).toEqual([
      ['2025-07-10', 'fujinomiya', '850', null],
      ['2025-07-10', 'gotemba', '35', null],
      ['2025-07-10', 'subashiri', '120', null],
      ['2025-07-11', 'fujinomiya', '910', null],
      ['2025-07-11', 'gotemba', '40', null],
      ['2025-07-11', 'subashiri', null, 'climbers=調査なし (not surveyed)'],
      ['2025-07-11', 'yoshida', '2101', null],
    ]);
    expect((await tags(key))['fuji-etl-contract']).toBe('repository');
  }, 60_000);

  it('loads the prefecture’s year-less press table, the year from its period line', async () => {
    const key = `uploads/pref_climbers_5th/press-${hex}.csv`;
    const body = iconv.encode(
      [
        '富士山五合目における登山者数調査結果（速報）',
        '期間：令和元年8月3日（土）～令和元年8月4日（日）',
        '実測日,富士宮口,御殿場口,須走口,3登山口計',
        '8/3(土),"1,002人",313人,788人,"2,103人"',
        '8/4(日),"1,210人",402人,901人,"2,513人"',
        '期間計,"2,212人",715人,"1,689人","4,616人"',
      ].join('\r\n'),
      'cp932',
    );
    const { outcomes } = await putAndDeliver(key, body);
    const slice = outcomes[0]!.summary!.slices[0]!;
    expect(slice).toMatchObject({ rowsRead: 6, rowsLoaded: 2, rowsSkipped: 4, rowsQuarantined: 0 });
    expect(
      await count(
        `${inUploads}."climber_counts"`,
        `${src(key)} AND count_date = DATE '2019-08-03'`,
      ),
    ).toBe(3);
  }, 60_000);

  it('loads an .xlsx workbook through the same contract: the header’s sheet, its merged title, date cells', async () => {
    const key = `uploads/pref_climbers_5th/press-${hex}.xlsx`;
    const book = await writeExcelFile([
      { sheet: '表紙', data: [[{ value: '富士山登山者数調査' }]] },
      {
        sheet: '五合目',
        data: [
          [{ value: '富士山五合目における登山者数（令和7年）', columnSpan: 4 }, null, null, null],
          [{ value: '実測日' }, { value: '富士宮口' }, { value: '御殿場口' }, { value: '須走口' }],
          [
            { value: new Date('2025-07-10T00:00:00Z'), type: Date, format: 'yyyy/mm/dd' },
            { value: 1002 },
            { value: 313 },
            { value: 788 },
          ],
          [{ value: '7/11(金)' }, { value: '1,210人' }, { value: 402 }, { value: '欠測' }],
        ],
      },
    ]).toBuffer();
    const { outcomes } = await putAndDeliver(key, book);
    expect(outcomes[0]!.status, outcomes[0]!.error).toBe('loaded');
    expect(outcomes[0]!.report!.detection).toEqual({ encoding: 'xlsx', by: 'sheet "五合目" of 2' });
    const r = await engine.query(
      `SELECT count_date, route, climbers, source_line FROM ${inUploads}."climber_counts" WHERE ${src(key)} ORDER BY count_date, route`,
    );
    expect(r.text).toEqual([
      ['2025-07-10', 'fujinomiya', '1002', '3'],
      ['2025-07-10', 'gotemba', '313', '3'],
      ['2025-07-10', 'subashiri', '788', '3'],
      ['2025-07-11', 'fujinomiya', '1210', '4'],
      ['2025-07-11', 'gotemba', '402', '4'],
      ['2025-07-11', 'subashiri', null, '4'],
    ]);
    expect((await tags(key))['fuji-etl-encoding']).toBe('xlsx');
    // Redelivery of the same workbook changes nothing, as for CSV.
    const again = await loadUpload(deps(), { bucket: bucketName, key });
    expect(again.status).toBe('unchanged');
  }, 60_000);

  it('uses a contract the data team put under contracts/ without a redeploy, passing over a newer invalid one', async () => {
    const dataset = `it_parking_${hex}`;
    const contractKey = `contracts/${dataset}.yml`;
    const yaml = [
      `name: ${dataset}`,
      'doc: { ja: 臨時駐車場, en: Temporary car park }',
      'table: mobility.parking_shuttle_daily',
      'columns:',
      '  use_date: { headers: [日付], parse: date, required: true }',
      '  site: { headers: [駐車場], parse: text, required: true }',
      '  vehicles: { headers: [台数], parse: { integer: { units: [台] } } }',
      'load: merge',
    ].join('\n');
    await s3.send(new PutObjectCommand({ Bucket: bucketName, Key: contractKey, Body: yaml }));
    await s3.send(
      new PutObjectCommand({
        Bucket: bucketName,
        Key: contractKey,
        Body: `${yaml}\ncolour: blue\n`,
      }),
    );
    const key = `uploads/${dataset}/day1.csv`;
    const { outcomes } = await putAndDeliver(
      key,
      Buffer.from('日付,駐車場,台数\n2025/7/10,水ヶ塚,670台\n'),
    );
    expect(outcomes[0]!.status, outcomes[0]!.error).toBe('loaded');
    const from = (await tags(key))['fuji-etl-contract']!;
    expect(from).toMatch(new RegExp(`^s3://${bucketName}/${contractKey}@`));
    const ledger = await engine.query(
      `SELECT notes FROM ops.run_ledger WHERE run_id = ${stringLiteral(outcomes[0]!.summary!.runId)}`,
    );
    expect(ledger.rows[0]![0]).toContain(
      `contract ${dataset} from s3://${bucketName}/${contractKey}@`,
    );
    expect(await count(`${inUploads}."parking_shuttle_daily"`, src(key))).toBe(1);
  }, 60_000);
});
