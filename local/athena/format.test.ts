import { describe, expect, it } from 'vitest';
import { columnInfo, dataRow, datum, headerRow } from './format.ts';

describe('Athena result formatting', () => {
  it('names types the way Athena does, with precision and scale apart', () => {
    const info = columnInfo([
      { name: 'amount', type: 'decimal(18,4)' },
      { name: 'r', type: 'real' },
      { name: 'ts', type: 'timestamp(6)' },
      { name: 'tz', type: 'timestamp(6) with time zone' },
      { name: 's', type: 'varchar' },
      { name: 'a', type: 'array(integer)' },
    ]);
    expect(info.map((c) => [c.Name, c.Type, c.Precision, c.Scale])).toEqual([
      ['amount', 'decimal', 18, 4],
      ['r', 'float', 7, 0],
      ['ts', 'timestamp', 6, 0],
      ['tz', 'timestamp with time zone', 6, 0],
      ['s', 'varchar', 2147483647, 0],
      ['a', 'array', 0, 0],
    ]);
  });

  it('returns NULL as an empty datum and keeps number text exactly', () => {
    expect(datum('bigint', null)).toEqual({});
    expect(datum('bigint', '9223372036854775807')).toEqual({ VarCharValue: '9223372036854775807' });
    expect(datum('double', 'NaN')).toEqual({ VarCharValue: 'NaN' });
    expect(datum('boolean', false)).toEqual({ VarCharValue: 'false' });
  });

  it('prints varbinary as spaced hex and nested values in Athena notation', () => {
    expect(datum('varbinary', Buffer.from([0xde, 0xad, 0x00]).toString('base64'))).toEqual({
      VarCharValue: 'de ad 00',
    });
    expect(datum('varbinary', '')).toEqual({ VarCharValue: '' });
    expect(datum('array(integer)', ['1', null, '3'])).toEqual({ VarCharValue: '[1, null, 3]' });
    expect(datum('map(varchar,integer)', { a: '1' })).toEqual({ VarCharValue: '{a=1}' });
  });

  it('leads with a header row of column names', () => {
    const cols = [
      { name: 'id', type: 'bigint' },
      { name: 'name', type: 'varchar' },
    ];
    expect(headerRow(cols)).toEqual({ Data: [{ VarCharValue: 'id' }, { VarCharValue: 'name' }] });
    expect(dataRow(cols, ['1', null])).toEqual({ Data: [{ VarCharValue: '1' }, {}] });
  });
});
