import { describe, expect, it } from 'vitest';
import { connectors } from '#connectors/index.ts';
import { contracts } from '#connectors/contracts.ts';
import { DOMAINS, domainOf, personalColumns } from '#shared/model/domains.ts';
import { opsTables } from '#shared/ops/tables.ts';
import { visibleColumns } from './access.ts';
import { namespaceTables, plan } from './index.ts';

const tables = namespaceTables();
const grants = plan();
const modelOf = (ns: string, name: string) => tables.get(ns)?.find((t) => t.name === name);

describe('the access plan', () => {
  it('gives every namespace in use a domain row with an owner, a steward and a retention', () => {
    for (const ns of tables.keys()) {
      const d = domainOf(ns);
      expect(d.owner, ns).not.toBe('');
      expect(d.steward, ns).not.toBe('');
      expect(d.retention.en, ns).not.toBe('');
    }
    expect(new Set(DOMAINS.map((d) => d.namespace)).size).toBe(DOMAINS.length);
  });

  it('names only personal columns that exist in the table models', () => {
    for (const d of DOMAINS) {
      if (d.personal.kind !== 'columns') continue;
      for (const [table, cols] of Object.entries(d.personal.columns)) {
        const m = modelOf(d.namespace, table);
        expect(m, `${d.namespace}.${table}`).toBeDefined();
        for (const c of cols)
          expect(
            m!.columns.map((x) => x.name),
            `${table}.${c}`,
          ).toContain(c);
      }
    }
  });

  it('never lets the data team read a personal column, nor any table of a wholly personal domain', () => {
    for (const g of grants.filter((x) => x.grantee.kind === 'data-team')) {
      const d = domainOf(g.namespace);
      if (d.personalReaders.includes('data-team')) continue;
      expect(d.personal.kind, g.id).not.toBe('whole');
      for (const m of tables.get(g.namespace)!) {
        const seen = visibleColumns(g, m);
        expect(seen, g.id).not.toBe('all');
        const personal = personalColumns(g.namespace, m.name) as readonly string[];
        for (const c of personal) expect(seen, `${g.id} sees ${m.name}.${c}`).not.toContain(c);
      }
    }
  });

  it('lets the report function read only what the data team reads, in the lake and uploads buckets', () => {
    const reads = grants.filter(
      (g) =>
        g.grantee.kind === 'producer' &&
        g.grantee.role === 'ReportRole' &&
        !g.permissions.includes('INSERT'),
    );
    expect(reads.length).toBeGreaterThan(0);
    for (const g of reads) {
      expect(['lake', 'uploads'], g.id).toContain(g.bucket);
      for (const m of tables.get(g.namespace)!) {
        const seen = visibleColumns(g, m);
        expect(seen, g.id).not.toBe('all');
        for (const c of personalColumns(g.namespace, m.name) as readonly string[])
          expect(seen, `${g.id} sees ${m.name}.${c}`).not.toContain(c);
      }
    }
    expect(reads.some((g) => g.namespace === 'ops' && g.table === 'quarantine')).toBe(true);
  });

  it('lets the data team read every non-personal column of the other domains', () => {
    for (const [ns, models] of tables) {
      if (domainOf(ns).personal.kind === 'whole') continue;
      const mine = grants.filter((g) => g.grantee.kind === 'data-team' && g.namespace === ns);
      for (const m of models) {
        const seen = new Set(mine.flatMap((g) => visibleColumns(g, m) as readonly string[]));
        const personal = personalColumns(ns, m.name) as readonly string[];
        for (const c of m.columns.filter((x) => !personal.includes(x.name)))
          expect(seen.has(c.name), `${ns}.${m.name}.${c.name}`).toBe(true);
      }
    }
  });

  it('gives each domain one reader role that reads its own namespace and nothing else', () => {
    const readers = grants.filter((g) => g.grantee.kind === 'reader');
    for (const g of readers) {
      expect(g.grantee.kind === 'reader' && g.grantee.namespace, g.id).toBe(g.namespace);
      expect(g.permissions, g.id).not.toContain('INSERT');
    }
    expect(new Set(readers.map((g) => g.namespace))).toEqual(new Set(tables.keys()));
  });

  it('lets each producer write only the namespaces it fills', () => {
    const ops = opsTables.map((m) => m.namespace);
    const connectorNs = Object.values(connectors).flatMap((c) =>
      c.tables.map((t) => t.model.namespace),
    );
    const contractNs = [...contracts.values()].map((c) => c.table.namespace);
    const expected: Record<string, string[]> = {
      ScheduledRole: [...ops, ...connectorNs],
      BackfillRole: [...ops, ...connectorNs],
      CsvUploadRole: [...ops, ...contractNs],
      ReplayQuarantineRole: [...ops, ...contractNs],
      RestoreRole: [...ops, ...connectorNs, ...contractNs],
      ReportRole: ['analytics'],
      PaymentsFirehoseRole: ['payments'],
      AppZeroEtlTargetRole: ['app'],
    };
    const written: Record<string, Set<string>> = {};
    for (const g of grants) {
      if (g.grantee.kind !== 'producer' || !g.permissions.includes('INSERT')) continue;
      (written[g.grantee.role] ??= new Set()).add(g.namespace);
    }
    for (const [role, nss] of Object.entries(written))
      expect([...nss].sort(), role).toEqual([...new Set(expected[role])].sort());
    expect(Object.keys(written).sort()).toEqual(Object.keys(expected).sort());
  });

  it('keeps the managed pipelines in table buckets of their own', () => {
    expect(domainOf('payments').bucket).toBe('payments');
    expect(domainOf('app').bucket).toBe('app');
    const shared = DOMAINS.filter((d) => d.bucket === 'payments' || d.bucket === 'app');
    expect(shared.map((d) => d.namespace).sort()).toEqual(['app', 'payments']);
  });
});
