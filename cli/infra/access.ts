/**
 * Who may read and write what, worked out once from the domain table and the writers: the Lake
 * Formation grants the template makes (grants.ts renders them), the access matrix in
 * docs/governance.md, and what the template tests check. Pure data, no CloudFormation.
 *
 * - each domain's reader role reads its own namespace, personal columns included when the domain
 *   says its own reader may see them;
 * - the data team's role (`analystRoleName`) reads every namespace except the personal columns:
 *   a namespace without personal data by a grant on all its tables, one with personal columns
 *   table by table (a column grant that leaves them out), a wholly personal one not at all;
 * - each producer writes the namespaces it fills and nothing else.
 */
import { DOMAINS, domainOf, type Domain, type TableBucketId } from '#shared/model/domains.ts';
import type { TableModel } from '#shared/model/table.ts';
import { bucketOf } from './buckets.ts';
import { pascal } from './names.ts';

/** Who a grant is for. Function roles and pipeline roles are template logical ids. */
export type Grantee =
  | { readonly kind: 'data-team' }
  | { readonly kind: 'reader'; readonly namespace: string }
  | { readonly kind: 'producer'; readonly role: string };

/** Where a grant's resources are declared: the base template or a pipeline's optional fragment. */
export type Fragment = 'base' | 'payments' | 'app';

export type Level = 'catalog' | 'database' | 'tables' | 'table' | 'columns';

export interface PlannedGrant {
  /** Logical id of the Custom::S3TablesGrant (kept stable: CloudFormation replaces on rename). */
  readonly id: string;
  readonly grantee: Grantee;
  readonly bucket: TableBucketId;
  readonly namespace: string;
  readonly level: Level;
  readonly table?: string;
  readonly excludedColumns?: readonly string[];
  readonly permissions: readonly string[];
  readonly fragment: Fragment;
}

export const READ = ['SELECT', 'DESCRIBE'] as const;
export const WRITE = ['SELECT', 'INSERT', 'DELETE', 'DESCRIBE', 'ALTER'] as const;
const NAMESPACE_READ = ['DESCRIBE'] as const;
const NAMESPACE_WRITE = ['CREATE_TABLE', 'DESCRIBE'] as const;

export interface Producer {
  /** Role logical id. */
  readonly role: string;
  readonly namespaces: readonly string[];
  readonly fragment: Fragment;
  /** Also on the bucket's catalog (a pipeline that creates its own namespace). */
  readonly catalog?: readonly string[];
  /**
   * Also reads what the data team reads in these buckets (personal columns left out): the report
   * function, which shows the data team its tables.
   */
  readonly readsAsDataTeam?: readonly TableBucketId[];
}

/** The reader role's logical id for a domain. */
export const readerRole = (namespace: string) => `Reader${pascal(namespace)}Role`;

function dataTeamGrants(
  d: Domain,
  tables: readonly TableModel[],
  grantee: Grantee = { kind: 'data-team' },
  idPrefix = 'GrantAnalyst',
): PlannedGrant[] {
  const base = { grantee, bucket: d.bucket, namespace: d.namespace };
  const ns = `${idPrefix.slice('Grant'.length)}${pascal(d.namespace)}`;
  const fragment: Fragment = 'base';
  if (d.personal.kind === 'whole' && !d.personalReaders.includes('data-team')) return [];
  const open = d.personal.kind === 'none' || d.personalReaders.includes('data-team');
  const namespace: PlannedGrant = {
    ...base,
    id: `Grant${ns}Namespace`,
    level: 'database',
    permissions: NAMESPACE_READ,
    fragment,
  };
  if (open) {
    return [
      { ...base, id: `Grant${ns}Tables`, level: 'tables', permissions: READ, fragment },
      namespace,
    ];
  }
  // Table by table: a grant on all tables would reach the personal columns, and a table
  // added later stays unreadable to the data team until its columns are classified here.
  const personal = d.personal.kind === 'columns' ? d.personal.columns : {};
  const out: PlannedGrant[] = [namespace];
  for (const t of tables) {
    const hidden = personal[t.name] ?? [];
    out.push(
      hidden.length === 0
        ? {
            ...base,
            id: `Grant${ns}${pascal(t.name)}Table`,
            level: 'table',
            table: t.name,
            permissions: READ,
            fragment,
          }
        : {
            ...base,
            id: `Grant${ns}${pascal(t.name)}Columns`,
            level: 'columns',
            table: t.name,
            excludedColumns: hidden,
            // Lake Formation takes SELECT only on a column grant.
            permissions: ['SELECT'],
            fragment,
          },
    );
  }
  return out;
}

function readerGrants(d: Domain): PlannedGrant[] {
  const role = readerRole(d.namespace);
  const base = {
    grantee: { kind: 'reader', namespace: d.namespace } as const,
    bucket: d.bucket,
    namespace: d.namespace,
    fragment: 'base' as const,
  };
  if (!d.personalReaders.includes('domain') && d.personal.kind !== 'none') {
    throw new Error(
      `${d.namespace}: a domain whose own reader may not see its personal data needs column grants here`,
    );
  }
  return [
    { ...base, id: `Grant${role}Tables`, level: 'tables', permissions: READ },
    { ...base, id: `Grant${role}Namespace`, level: 'database', permissions: NAMESPACE_READ },
  ];
}

function producerGrants(p: Producer): PlannedGrant[] {
  const out: PlannedGrant[] = [];
  for (const ns of p.namespaces) {
    const base = {
      grantee: { kind: 'producer', role: p.role } as const,
      bucket: bucketOf(ns).id,
      namespace: ns,
      fragment: p.fragment,
    };
    out.push(
      { ...base, id: `Grant${p.role}${pascal(ns)}Tables`, level: 'tables', permissions: WRITE },
      {
        ...base,
        id: `Grant${p.role}${pascal(ns)}Namespace`,
        level: 'database',
        permissions: NAMESPACE_WRITE,
      },
    );
  }
  for (const ns of p.catalog ?? []) {
    out.push({
      grantee: { kind: 'producer', role: p.role },
      bucket: bucketOf(ns).id,
      namespace: ns,
      fragment: p.fragment,
      id: `Grant${p.role}${pascal(bucketOf(ns).id)}Catalog`,
      level: 'catalog',
      permissions: ['CREATE_DATABASE', 'DESCRIBE'],
    });
  }
  return out;
}

/**
 * Every grant, for the namespaces in use (`tablesOf`: namespace → its declared tables, empty for
 * a pipeline's namespace whose tables the pipeline creates).
 */
export function accessPlan(
  tablesOf: ReadonlyMap<string, readonly TableModel[]>,
  producers: readonly Producer[],
): PlannedGrant[] {
  const domains = [...tablesOf.keys()].map(domainOf);
  return [
    ...domains.flatMap((d) => dataTeamGrants(d, tablesOf.get(d.namespace)!)),
    ...domains.flatMap(readerGrants),
    ...producers.flatMap(producerGrants),
    ...producers.flatMap((p) =>
      domains
        .filter((d) => p.readsAsDataTeam?.includes(d.bucket) && !p.namespaces.includes(d.namespace))
        .flatMap((d) =>
          dataTeamGrants(
            d,
            tablesOf.get(d.namespace)!,
            { kind: 'producer', role: p.role },
            `Grant${p.role}Reads`,
          ),
        ),
    ),
  ];
}

/** Domains in use, in the domain table's order. */
export function domainsInUse(namespaces: Iterable<string>): Domain[] {
  const used = new Set(namespaces);
  for (const ns of used) domainOf(ns);
  return DOMAINS.filter((d) => used.has(d.namespace));
}

/** The columns of a table a grant lets its grantee read ('all' when the model is not known). */
export function visibleColumns(
  g: PlannedGrant,
  table: TableModel | undefined,
): readonly string[] | 'all' {
  if (!['tables', 'table', 'columns'].includes(g.level)) return [];
  if (!table) return 'all';
  if (g.level === 'table' && g.table !== table.name) return [];
  if (g.level === 'columns') {
    if (g.table !== table.name) return [];
    return table.columns.map((c) => c.name).filter((c) => !g.excludedColumns!.includes(c));
  }
  return table.columns.map((c) => c.name);
}
