/**
 * Replays quarantined records after a contract was fixed (a new header spelling, a new route
 * name): each record is read again with its file's header through the current contract. Records
 * that now land (or are now skipped by a contract rule) leave ops.quarantine; the others stay,
 * with the new reason. Rerunnable: the write is a merge and the delete comes after it.
 *
 * Duplicate-key rejections are left alone: landing them would overwrite the row that came first.
 */
import { FujiEtlError } from '../errors/index.ts';
import { quarantine } from '../ops/tables.ts';
import { defineConnector, type SourceRejection } from '../runtime/connector.ts';
import { runConnector, type RunDeps, type RunSummary } from '../runtime/run.ts';
import { quarantineId } from '../runtime/quarantine.ts';
import { stringLiteral } from '../sql/literal.ts';
import { ensureTable } from '../writer/ensure-table.ts';
import { fullName } from '../model/table.ts';
import { matchHeader, readRow, type Contract } from './contract.ts';
import type { Line } from './decode.ts';
import { records } from './records.ts';

interface Quarantined {
  readonly connector: string;
  readonly recordId: string;
  readonly source: string | null;
  readonly line: number | null;
  readonly raw: string;
  readonly reason: string;
  readonly contract: string;
  readonly header: string | null;
}

export interface ReplayResult {
  readonly connector: string;
  readonly contract: string;
  readonly considered: number;
  readonly landed: number;
  readonly stillQuarantined: number;
  readonly summary?: RunSummary;
  readonly error?: string;
}

async function* linesOf(text: string): AsyncGenerator<Line> {
  let n = 0;
  for (const t of text.split('\n')) yield { n: ++n, text: t };
}

/** Parses `header` + `raw` as a two-record CSV and reads the second through the contract. */
async function reread(c: Contract, q: Quarantined) {
  const got = [];
  for await (const r of records(linesOf(`${q.header}\n${q.raw}`), { encoding: 'utf-8' }))
    got.push(r);
  const [h, ...rest] = got;
  if (!h || !('fields' in h)) return { kind: 'reject' as const, reason: 'header cannot be parsed' };
  const m = matchHeader(c, h.fields, h.line);
  if (!m || !('map' in m))
    return { kind: 'reject' as const, reason: m?.near ?? 'header no longer matches the contract' };
  const rec = rest[0];
  if (!rec || rest.length > 1)
    return { kind: 'reject' as const, reason: 'raw text is not one record' };
  if ('error' in rec) return { kind: 'reject' as const, reason: rec.error };
  return readRow(c, m.map, rec.fields, q.line ?? 0, { source: q.source ?? 'replay' });
}

async function loadQuarantined(
  deps: RunDeps,
  contract?: string,
  signal?: AbortSignal,
): Promise<Quarantined[]> {
  await ensureTable(deps.engine, deps.dialect, quarantine, signal);
  const where = ['contract IS NOT NULL', 'header IS NOT NULL', "reason NOT LIKE 'duplicate key%'"];
  if (contract) where.push(`contract = ${stringLiteral(contract)}`);
  const r = await deps.engine.query(
    `SELECT connector, record_id, source, line_number, raw, reason, contract, header FROM ${deps.engine.names.of(quarantine)} WHERE ${where.join(' AND ')} ORDER BY source, line_number`,
    { kind: 'select', signal },
  );
  return r.rows.map((row) => ({
    connector: row[0] as string,
    recordId: row[1] as string,
    source: row[2] as string | null,
    line: row[3] === null ? null : Number(row[3]),
    raw: row[4] as string,
    reason: row[5] as string,
    contract: row[6] as string,
    header: row[7] as string | null,
  }));
}

/**
 * @example
 * const results = await replayQuarantine(deps, contracts, { contract: 'pref_climbers_5th' });
 */
export async function replayQuarantine(
  deps: RunDeps,
  contracts: ReadonlyMap<string, Contract>,
  opts: { readonly contract?: string; readonly signal?: AbortSignal } = {},
): Promise<ReplayResult[]> {
  const all = await loadQuarantined(deps, opts.contract, opts.signal);
  const groups = new Map<string, Quarantined[]>();
  for (const q of all) {
    const k = `${q.connector}\u0000${q.contract}`;
    groups.set(k, [...(groups.get(k) ?? []), q]);
  }
  const results: ReplayResult[] = [];
  for (const group of groups.values()) {
    const { connector: name, contract: cname } = group[0]!;
    const c = contracts.get(cname);
    if (!c) {
      results.push({
        connector: name,
        contract: cname,
        considered: group.length,
        landed: 0,
        stillQuarantined: group.length,
        error: `no contract named ${cname}`,
      });
      continue;
    }
    const resolved: string[] = [];
    const table = fullName(c.table);
    // Merge even for replace-source contracts: a replay adds records, it never replaces a file.
    const def = defineConnector({
      name,
      tables: [{ model: c.table, disposition: 'merge' as const }],
      slices: () => [{ id: `replay:${cname}` }],
      fetch: async () => {
        const rows: Record<string, unknown>[] = [];
        const rejected: SourceRejection[] = [];
        for (const q of group) {
          const out = await reread(c, q);
          if (out.kind === 'reject') {
            rejected.push({
              table,
              raw: q.raw,
              reason: out.reason,
              contract: cname,
              ...(q.line !== null && { line: q.line }),
              ...(q.header !== null && { header: q.header }),
              ...(q.source !== null && { source: q.source }),
            });
            continue;
          }
          // The id is recomputed as the original load computed it, so it names the same row.
          if (
            quarantineId(name, table, q.source ?? undefined, q.raw, q.line ?? undefined) !==
            q.recordId
          ) {
            throw new FujiEtlError(
              'REPLAY_ID',
              `quarantine record ${q.recordId} does not match its content`,
              { context: { connector: name } },
            );
          }
          if (out.kind === 'rows') rows.push(...out.rows);
          resolved.push(q.recordId);
        }
        return {
          rows: { [c.table.name]: rows },
          rowsRead: group.length,
          rowsLoaded: resolved.length,
          rejected,
        };
      },
    });
    const summary = await runConnector(def, deps, { signal: opts.signal });
    if (summary.ok && resolved.length > 0) {
      for (let i = 0; i < resolved.length; i += 500) {
        const ids = resolved
          .slice(i, i + 500)
          .map(stringLiteral)
          .join(', ');
        await deps.engine.query(
          `DELETE FROM ${deps.engine.names.of(quarantine)} WHERE connector = ${stringLiteral(name)} AND record_id IN (${ids})`,
          { kind: 'delete', signal: opts.signal },
        );
      }
    }
    results.push({
      connector: name,
      contract: cname,
      considered: group.length,
      landed: summary.ok ? resolved.length : 0,
      stillQuarantined: group.length - (summary.ok ? resolved.length : 0),
      summary,
    });
  }
  return results;
}
