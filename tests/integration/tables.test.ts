/** Every declared table, created through the local stack, matches its model; evolution keeps data. */
import { afterAll, describe, expect, it } from 'vitest';
import { allTables } from '#connectors/index.ts';
import { createTableSql } from '#shared/model/ddl.ts';
import { describeTable } from '#shared/model/describe.ts';
import { defineTable } from '#shared/model/table.ts';
import { qualifiedName } from '#shared/sql/identifier.ts';
import { ensureTable, SchemaDriftError } from '#shared/writer/ensure-table.ts';
import { writeRows } from '#shared/writer/write.ts';
import { inNamespace, testEngine, uniqueNamespace } from '../helpers/local.ts';

const engine = testEngine();
const ns = uniqueNamespace('tables');
const created: string[] = [];

afterAll(async () => {
  for (const t of created) await engine.query(`DROP TABLE IF EXISTS ${t}`);
  await engine.query(`DROP SCHEMA IF EXISTS "${ns}"`);
});

describe('declared tables on the engine', () => {
  it.each(allTables().map((m) => [`${m.namespace}.${m.name}`, m] as const))(
    '%s is created as its model says',
    async (_n, declared) => {
      const model = inNamespace(
        defineTable({ ...declared, name: `${declared.namespace}_${declared.name}` }),
        ns,
      );
      created.push(qualifiedName(ns, model.name));
      expect((await ensureTable(engine, 'trino', model)).created).toBe(true);
      const cols = await describeTable(engine, ns, model.name);
      expect(cols.map((c) => [c.name, c.icebergType, c.nullable, c.comment])).toEqual(
        model.columns.map((c) => [c.name, c.type, !c.required, `${c.doc.ja} / ${c.doc.en}`]),
      );
      const show = (await engine.query(`SHOW CREATE TABLE ${qualifiedName(ns, model.name)}`))
        .text[0]![0]!;
      const partitioning = /partitioning = (ARRAY\[[^\]]*\])/.exec(
        createTableSql('trino', model),
      )?.[1];
      if (partitioning)
        expect(show.replaceAll('"', '')).toContain(
          partitioning.replaceAll('"', '').replaceAll("', '", "','"),
        );
      // A second ensure is a no-op.
      expect(await ensureTable(engine, 'trino', model)).toEqual({
        created: false,
        addedColumns: [],
        extraColumns: [],
      });
    },
  );
});

describe('schema evolution', () => {
  const doc = { ja: '試験', en: 'test' };
  const v1 = defineTable({
    namespace: ns,
    name: 'evolving',
    doc,
    columns: [
      { name: 'station', type: 'string', required: true, doc },
      { name: 'day', type: 'date', required: true, doc },
      { name: 'temp', type: 'double', doc },
    ],
    key: ['station', 'day'],
    partitionBy: [{ column: 'day', transform: 'month' }],
  });
  const v2 = defineTable({
    ...v1,
    columns: [
      ...v1.columns,
      { name: 'gust', type: 'double', doc: { ja: '最大瞬間風速', en: 'Gust' } },
    ],
  });

  it('adds a new nullable column to an existing table without losing data', async () => {
    created.push(qualifiedName(ns, 'evolving'));
    await ensureTable(engine, 'trino', v1);
    await writeRows(engine, v1, [{ station: '50066', day: '2026-07-10', temp: 3.5 }], {
      disposition: 'merge',
    });
    const report = await ensureTable(engine, 'trino', v2);
    expect(report.addedColumns).toEqual(['gust']);
    await writeRows(engine, v2, [{ station: '50066', day: '2026-07-11', temp: 4.0, gust: 21.3 }], {
      disposition: 'merge',
    });
    const r = await engine.query(
      `SELECT station, day, temp, gust FROM ${qualifiedName(ns, 'evolving')} ORDER BY day`,
    );
    expect(r.rows).toEqual([
      ['50066', '2026-07-10', 3.5, null],
      ['50066', '2026-07-11', 4, 21.3],
    ]);
  });

  it('refuses a silent type change as schema drift', async () => {
    const drifted = defineTable({
      ...v2,
      columns: v2.columns.map((c) => (c.name === 'temp' ? { ...c, type: 'string' as const } : c)),
    });
    await expect(ensureTable(engine, 'trino', drifted)).rejects.toThrow(SchemaDriftError);
  });
});
