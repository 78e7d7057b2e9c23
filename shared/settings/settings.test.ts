import { describe, expect, it } from 'vitest';
import { untouchable } from '../../tests/helpers/untouchable.ts';
import { ConfigError } from '../errors/index.ts';
import { defineConnector } from '../runtime/connector.ts';
import { ConnectorSettings } from '../runtime/settings.ts';
import { codes, custom, int, list, oneOf, text, url } from './define.ts';
import { readSettings } from './read.ts';
import { defineTable } from '../model/table.ts';

const spec = {
  timeoutMs: int('FUJI_ETL_T_TIMEOUT_MS', { default: 1000, min: 100, max: 5000, doc: 'd' }),
  base: url('FUJI_ETL_T_URL', { default: 'https://example.org/', doc: 'd' }),
  stations: codes('FUJI_ETL_T_STATIONS', { default: '50066', digits: 5, doc: 'd' }),
  mode: oneOf('FUJI_ETL_T_MODE', { values: ['a', 'b'] as const, default: 'a', doc: 'd' }),
  secret: text('FUJI_ETL_T_SECRET', { doc: 'd' }),
};

describe('declared settings', () => {
  it('reads production defaults when nothing is set, typed', () => {
    const s = readSettings(spec, {});
    expect(s).toEqual({
      timeoutMs: 1000,
      base: 'https://example.org',
      stations: ['50066'],
      mode: 'a',
      secret: undefined,
    });
  });

  it('names every bad variable in one error, not only the first', () => {
    const env = { FUJI_ETL_T_TIMEOUT_MS: '10', FUJI_ETL_T_URL: 'ftp://x', FUJI_ETL_T_MODE: 'c' };
    const err = (() => {
      try {
        readSettings(spec, env, 'connector t');
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err!.retryable).toBe(false);
    expect(err!.message).toMatch(/^connector t: /);
    for (const name of ['FUJI_ETL_T_TIMEOUT_MS', 'FUJI_ETL_T_URL', 'FUJI_ETL_T_MODE'])
      expect(err!.message).toContain(name);
    expect(err!.message).not.toContain('FUJI_ETL_T_STATIONS');
  });

  it('refuses a required setting left unset, naming it', () => {
    const required = {
      ids: list('FUJI_ETL_T_IDS', { item: /^\d+$/, what: 'ids', doc: 'd' }),
      where: text('FUJI_ETL_T_WHERE', { required: true, doc: 'd' }),
    };
    expect(() => readSettings(required, {})).toThrow(
      /FUJI_ETL_T_IDS must be set.*FUJI_ETL_T_WHERE must be set/,
    );
    expect(readSettings(required, { FUJI_ETL_T_IDS: '1, 2', FUJI_ETL_T_WHERE: 'x' })).toEqual({
      ids: ['1', '2'],
      where: 'x',
    });
  });

  it('says what it accepts and its default, for the generated tables', () => {
    expect(spec.timeoutMs.type).toBe('integer 100–5000');
    expect(spec.timeoutMs.fallback).toBe('1000');
    expect(spec.secret.required).toBe(false);
    expect(spec.secret.fallback).toBeUndefined();
    const c = custom('FUJI_ETL_T_JSON', {
      type: 'JSON list',
      doc: 'd',
      parse: (raw) => (raw ? (JSON.parse(raw) as number[]) : []),
    });
    expect(c.read({ FUJI_ETL_T_JSON: '[1,2]' })).toEqual([1, 2]);
  });
});

describe('ConnectorSettings', () => {
  const table = defineTable({
    namespace: 'sandbox',
    name: 'settings_test',
    columns: [{ name: 'id', type: 'string', required: true, doc: { ja: 'id', en: 'id' } }],
    key: ['id'],
    doc: { ja: 'テスト', en: 'test' },
  });
  const make = (name: string) =>
    defineConnector({
      name,
      tables: [{ model: table, disposition: 'merge' }],
      settings: spec,
      slices: ({ settings }) => settings.stations.map((s) => ({ id: s })),
      fetch: () => Promise.resolve({ rows: {}, rowsRead: 0 }),
    });

  it('reads a connector’s settings once from its environment and hands them over typed', () => {
    const env: Record<string, string> = { FUJI_ETL_T_STATIONS: '50066,50136' };
    const settings = new ConnectorSettings(env);
    const def = make('settings_a');
    expect(def.slices!({ now: new Date(0), settings: settings.of(def) })).toEqual([
      { id: '50066' },
      { id: '50136' },
    ]);
    env.FUJI_ETL_T_STATIONS = '99999';
    expect(settings.of(def).stations).toEqual(['50066', '50136']);
  });

  it('validates every connector at once, naming each with its variables', () => {
    const settings = new ConnectorSettings({ FUJI_ETL_T_MODE: 'z' });
    expect(() => settings.validate([make('settings_a'), make('settings_b')])).toThrow(
      /connector settings_a: FUJI_ETL_T_MODE.*\nconnector settings_b: FUJI_ETL_T_MODE/,
    );
  });
});

describe('a run with a bad setting', () => {
  it('fails before any table is ensured or lock taken', async () => {
    const { runConnector } = await import('../runtime/run.ts');
    const { value: nothing, touched } = untouchable();
    const def = defineConnector({
      name: 'settings_bad',
      tables: [
        {
          model: defineTable({
            namespace: 'sandbox',
            name: 'settings_bad',
            columns: [{ name: 'id', type: 'string', required: true, doc: { ja: 'id', en: 'id' } }],
            key: ['id'],
            doc: { ja: 'テスト', en: 'test' },
          }),
          disposition: 'merge',
        },
      ],
      settings: spec,
      slices: () => [],
      fetch: () => Promise.resolve({ rows: {}, rowsRead: 0 }),
    });
    await expect(
      runConnector(def, {
        engine: nothing,
        store: nothing,
        dialect: 'trino',
        settings: new ConnectorSettings({ FUJI_ETL_T_TIMEOUT_MS: 'soon' }),
      }),
    ).rejects.toThrow(/connector settings_bad: FUJI_ETL_T_TIMEOUT_MS must be an integer/);
    expect(touched).toEqual([]);
  });
});
