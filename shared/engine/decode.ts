/**
 * Athena returns every value as text (`VarCharValue`, absent for NULL). This reads that text back
 * into the canonical JavaScript values of {@link ValueOf}, by the column's reported type.
 */
import { parseTimestamp } from '../time/civil.ts';

export function decodeValue(athenaType: string, text: string | undefined): unknown {
  if (text === undefined) return null;
  const base = athenaType.toLowerCase().replace(/\(.*$/, '').trim();
  switch (base) {
    case 'boolean':
      return text === 'true';
    case 'tinyint':
    case 'smallint':
    case 'integer':
    case 'int':
      return Number(text);
    case 'bigint':
      return BigInt(text);
    case 'float':
    case 'real':
      return Math.fround(Number(text));
    case 'double':
      return Number(text);
    case 'timestamp':
    case 'timestamp with time zone': {
      const v = parseTimestamp(text, true);
      if (v === undefined)
        throw new Error(`unreadable ${athenaType} value ${JSON.stringify(text)}`);
      return v;
    }
    case 'varbinary':
      return Uint8Array.from(Buffer.from(text.replaceAll(' ', ''), 'hex'));
    default:
      // varchar, char, date, decimal (kept as text to keep its precision), json, arrays…
      return text;
  }
}
