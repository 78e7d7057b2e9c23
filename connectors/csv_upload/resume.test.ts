/**
 * A read stopped at any checkpoint and resumed from it (state through JSON, the file's bytes
 * from the checkpoint's offset) lands exactly what one read of the whole file lands: the same
 * rows, the same quarantined records with the same lines and reasons, the same counts.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { openCsv, type CsvReader, type ReadCheckpoint } from '#shared/csv/read.ts';
import type { Contract } from '#shared/csv/contract.ts';
import { prefClimbers5th } from './contracts.ts';

const BROKEN = '〓〓';

/** A year-less wide file across two year ends, with totals, notes, quotes and broken lines. */
function publisherFile(): Buffer {
  const out = [
    '富士山五合目登山者数',
    '期間：令和元年8月3日～',
    '実測日,富士宮口,御殿場口,須走口,3登山口計',
  ];
  let day = Date.UTC(2019, 7, 3);
  for (let i = 0; i < 800; i++, day += 86_400_000) {
    const d = new Date(day);
    const md = `${d.getUTCMonth() + 1}/${d.getUTCDate()}`;
    const n = (k: number) => ((i * 37 + k * 11) % 3000) + 1;
    if (i % 97 === 13) out.push(`${md},"1,0${n(1) % 10}2人",欠測,"${n(3)}`, `人",`);
    else if (i % 89 === 5) out.push(`${md},${BROKEN},1,2,3`);
    else out.push(`${md},"${n(1).toLocaleString('en-US')}人",${n(2)}人,${n(3)}人,`);
    if (i % 30 === 29) out.push(`${d.getUTCMonth() + 1}月計,1,2,3,6`);
    if (i % 250 === 100) out.push(`${md},1人,2人,3人,`); // the same day again
  }
  out.push('※速報値');
  // A lead byte with no trail byte: not CP932 (or UTF-8), so its record is quarantined.
  const encoded = iconv.encode(out.join('\r\n') + '\r\n', 'cp932');
  const marker = iconv.encode(BROKEN, 'cp932');
  const parts: Buffer[] = [];
  let at = 0;
  for (let i = encoded.indexOf(marker); i >= 0; i = encoded.indexOf(marker, at)) {
    parts.push(encoded.subarray(at, i), Buffer.from([0x81, 0x20]));
    at = i + marker.length;
  }
  parts.push(encoded.subarray(at));
  return Buffer.concat(parts);
}

async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

interface Landed {
  rows: Record<string, unknown>[];
  quarantined: { line: number; reason: string; raw: string }[];
  counts: { read: number; loaded: number; quarantined: number; skipped: unknown };
  reads: number;
}

async function land(
  contract: Contract,
  bytes: Buffer,
  chunk: number,
  stopAfter: (batch: number) => boolean,
): Promise<Landed> {
  const got: Landed = { rows: [], quarantined: [], counts: undefined!, reads: 0 };
  let resume: ReadCheckpoint | undefined;
  for (;;) {
    got.reads++;
    const from = resume?.state.text.offset ?? 0;
    const reader: CsvReader = await openCsv(chunked(bytes.subarray(from), chunk), contract, {
      source: 's3://b/uploads/pref/f.csv',
      batchRows: 20,
      reopen: async () => chunked(bytes, chunk),
      ...(resume && { resume }),
    });
    resume = undefined;
    let batch = 0;
    for await (const b of reader.batches()) {
      got.rows.push(...b.rows);
      got.quarantined.push(
        ...b.quarantined.map((q) => ({ line: q.line, reason: q.reason, raw: q.raw })),
      );
      const at = reader.position();
      if (at && stopAfter(batch++)) {
        // What a later invocation gets: the state through JSON, the filter's bytes copied.
        resume = {
          state: JSON.parse(JSON.stringify(at.state)),
          filter: at.filter.slice(),
          keyLog: at.keyLog.slice(),
          suspects: at.suspects.slice(),
        };
        break;
      }
    }
    if (!resume) {
      const r = reader.report;
      got.counts = {
        read: r.read,
        loaded: r.loaded,
        quarantined: r.quarantined,
        skipped: r.skipped,
      };
      return got;
    }
  }
}

describe('a read resumed from its checkpoints', () => {
  const bytes = publisherFile();

  it('lands what one read lands, wherever it stops', async () => {
    const whole = await land(prefClimbers5th, bytes, 4096, () => false);
    expect(whole.reads).toBe(1);
    expect(whole.rows.length).toBeGreaterThan(2000);
    expect(whole.quarantined.some((q) => q.reason.startsWith('duplicate key'))).toBe(true);
    expect(whole.quarantined.some((q) => q.reason.startsWith('bytes not valid'))).toBe(true);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 500, max: 9000 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 40 }),
        async (chunk, stops) => {
          let i = 0;
          const resumed = await land(
            prefClimbers5th,
            bytes,
            chunk,
            () => stops[i++ % stops.length]!,
          );
          // How often it stopped depends on where checkpoints fall; what landed must not.
          expect(resumed.reads).toBeGreaterThanOrEqual(1);
          expect(resumed.counts).toEqual(whole.counts);
          expect(resumed.quarantined).toEqual(whole.quarantined);
          expect(resumed.rows).toEqual(whole.rows);
        },
      ),
      { numRuns: 8 },
    );
  }, 120_000);

  it('years of year-less dates carry over a stop (the last date is part of the checkpoint)', async () => {
    const whole = await land(prefClimbers5th, bytes, 4096, () => false);
    const resumed = await land(prefClimbers5th, bytes, 1024, () => true);
    expect(resumed.reads).toBeGreaterThan(10);
    const days = (l: Landed) => [...new Set(l.rows.map((r) => r.count_date))];
    expect(days(resumed)).toEqual(days(whole));
    expect(days(whole).at(-1)).toMatch(/^2021-/);
    // Dozens of stops and resumes over a whole file: seconds of CPU, more on a loaded machine.
  }, 60_000);
});
