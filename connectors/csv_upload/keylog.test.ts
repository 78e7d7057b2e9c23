/**
 * False suspects of a small key filter are settled by the key log, without reading the file
 * again; a real repeat still gets its second pass and its "first used at line N".
 */
import { describe, expect, it } from 'vitest';
import { openCsv } from '#shared/csv/read.ts';
import { KeyLog } from '#shared/csv/keylog.ts';
import { Spill } from '#shared/csv/spill.ts';
import { entryRegistrationSummary } from './contracts.ts';

const HEADER = '入山日,登山道,受付経路,国・地域,登録者数,入山料納付額(円),免除者数,山小屋宿泊';

function file(repeat: boolean): Buffer {
  const lines = [HEADER];
  for (let d = 0; d < 400; d++) {
    const day = new Date(Date.UTC(2025, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);
    for (const r of ['富士宮', '須走', '御殿場'])
      for (const k of ['JP', 'US', 'TW', 'KR', 'CN'])
        lines.push(`${day},${r},アプリ,${k},3,"¥12,000",0,1`);
  }
  if (repeat) lines.push(lines[7]!);
  return Buffer.from(lines.join('\r\n') + '\r\n');
}

async function read(bytes: Buffer, reopen: boolean) {
  let reopened = 0;
  const reader = await openCsv(
    (async function* () {
      yield bytes;
    })(),
    entryRegistrationSummary,
    {
      source: 'file://keys.csv',
      // 2^16 bits for 6,000 keys: false suspects by the dozen (with the old check, each one was
      // read again or, without a reopen, quarantined as a possible duplicate).
      sizeHint: 1,
      ...(reopen && {
        reopen: async () => {
          reopened++;
          return (async function* () {
            yield bytes;
          })();
        },
      }),
    },
  );
  const quarantined: string[] = [];
  let rows = 0;
  for await (const b of reader.batches()) {
    rows += b.rows.length;
    quarantined.push(...b.quarantined.map((q) => `${q.line}: ${q.reason}`));
  }
  return { rows, quarantined, reopened };
}

describe('the key log', () => {
  it('lands every false suspect without a second pass, even when the file cannot be read again', async () => {
    const r = await read(file(false), false);
    expect(r).toEqual({ rows: 6000, quarantined: [], reopened: 0 });
  });

  it('sends a real repeat to the second pass, and only it', async () => {
    const withPass = await read(file(true), true);
    expect(withPass.rows).toBe(6000);
    expect(withPass.quarantined).toEqual([
      expect.stringMatching(/^6002: duplicate key .* first used at line 8$/),
    ]);
    expect(withPass.reopened).toBe(1);
    const without = await read(file(true), false);
    expect(without.quarantined).toEqual([expect.stringMatching(/^6002: possible duplicate key/)]);
  });

  it('finds first positions across its file and its buffer, and survives a round trip', () => {
    const log = new KeyLog();
    for (let i = 0; i < 100_000; i++) log.append(i % 70_000, 7);
    const again = KeyLog.fromBytes(log.toBytes());
    log.close();
    again.append(5, 5);
    const first = again.firstIndices([
      [69_999, 7],
      [3, 7],
      [5, 5],
      [1, 1],
    ]);
    expect(Object.fromEntries(first)).toEqual({ '69999:7': 69_999, '3:7': 3, '5:5': 100_000 });
    again.close();
  });
});

describe('records held on disk', () => {
  it('come back in order, multi-byte text whole, across the buffer, the file and a round trip', () => {
    const held = new Spill<{ n: number; raw: string }>();
    // About 3 MB: the buffer goes to the file three times, cutting characters anywhere.
    for (let n = 0; n < 20_000; n++)
      held.push({ n, raw: `富士宮口,${'須走'.repeat(n % 40)},"¥${n}"` });
    const again = Spill.fromBytes<{ n: number; raw: string }>(held.toBytes(), held.length);
    held.close();
    again.push({ n: 20_000, raw: '最後' });
    const items = [...again.items()];
    again.close();
    expect(items).toHaveLength(20_001);
    expect(items.every((x, i) => x.n === i)).toBe(true);
    expect(items[12_345]!.raw).toBe(`富士宮口,${'須走'.repeat(12_345 % 40)},"¥12345"`);
    expect(items.at(-1)!.raw).toBe('最後');
  });
});
