/**
 * docs/governance.md, generated from the domain table and the access plan: the domains with their
 * owners, personal data and retention, the table buckets, the access matrix (who reads and writes
 * what), every grant, and the tables the managed pipelines write into. A test fails when the
 * checked-in file differs; `node cli/infra/docs.ts` writes it.
 */
import { writeFileSync } from 'node:fs';
import { domainOf, TABLE_BUCKETS, type Domain } from '#shared/model/domains.ts';
import { pipelineTables } from '#shared/model/pipeline-tables.ts';
import { readerRole, type Grantee, type PlannedGrant } from './access.ts';
import { domainsInUse } from './access.ts';
import { namespaceTables, plan } from './index.ts';
import { readerWorkGroupName } from './readers.ts';

const esc = (s: string) => s.replaceAll('|', '\\|');
const code = (s: string) => `\`${s}\``;

function personalText(d: Domain): string {
  switch (d.personal.kind) {
    case 'none':
      return 'no';
    case 'whole':
      return `**yes, every table** (${d.personal.why})`;
    case 'columns':
      return `**yes**: ${Object.entries(d.personal.columns)
        .flatMap(([t, cols]) => cols.map((c) => code(`${t}.${c}`)))
        .join(', ')}`;
  }
}

export function granteeName(g: Grantee): string {
  switch (g.kind) {
    case 'data-team':
      return 'data team (`analystRoleName`)';
    case 'reader':
      return `${readerRole(g.namespace)} (reader of ${g.namespace})`;
    case 'producer':
      return g.role;
  }
}

function grantText(g: PlannedGrant): string {
  const where =
    g.level === 'catalog'
      ? `catalog of bucket ${g.bucket}`
      : g.level === 'database'
        ? `namespace ${g.namespace}`
        : g.level === 'tables'
          ? `all tables of ${g.namespace}`
          : g.level === 'table'
            ? `${g.namespace}.${g.table}`
            : `${g.namespace}.${g.table} except ${g.excludedColumns!.join(', ')}`;
  return `${where}: ${g.permissions.join(', ')}`;
}

const writes = (g: PlannedGrant) => g.permissions.includes('INSERT');
const reads = (g: PlannedGrant) =>
  g.permissions.includes('SELECT') && ['tables', 'table', 'columns'].includes(g.level);

function matrixRow(ns: string, grants: readonly PlannedGrant[]): string {
  const d = domainOf(ns);
  const mine = grants.filter((g) => g.namespace === ns);
  const writers = [...new Set(mine.filter(writes).map((g) => granteeName(g.grantee)))];
  const full = [
    ...new Set(
      mine
        .filter((g) => reads(g) && !writes(g) && g.level === 'tables')
        .map((g) => granteeName(g.grantee)),
    ),
  ];
  const dataTeam = mine.filter((g) => g.grantee.kind === 'data-team' && reads(g));
  const dataTeamText =
    dataTeam.length === 0
      ? 'nothing'
      : dataTeam.some((g) => g.level === 'tables')
        ? 'every table, every column'
        : dataTeam
            .map((g) =>
              g.level === 'columns'
                ? `${g.table} without ${g.excludedColumns!.map(code).join(', ')}`
                : `${g.table}`,
            )
            .join('; ');
  return `| ${ns} | ${d.bucket} | ${writers.join(', ')} | ${full.join(', ')} | ${dataTeamText} | ${personalText(d)} |`;
}

export function governanceDocs(): string {
  const tables = namespaceTables();
  const grants = plan();
  const domains = domainsInUse(tables.keys());
  const out = [
    '# Data governance / データガバナンス',
    '',
    'Generated from `shared/model/domains.ts` and `cli/infra/access.ts` by `node cli/infra/docs.ts`;',
    'do not edit by hand. The template (`infra/grants.json`, `infra/readers.json`, the pipelines’',
    'optional fragments) is generated from the same plan, and `tests/deploy/template.test.ts` checks',
    'the packaged template against it.',
    '',
    '## Domains / ドメイン',
    '',
    '| namespace | bucket | owner / 所有者 | steward / 管理担当 | holds / 内容 | personal data / 個人情報 | retention / 保持期間 |',
    '|---|---|---|---|---|---|---|',
    ...domains.map(
      (d) =>
        `| ${d.namespace} | ${d.bucket} | ${esc(d.owner)} | ${esc(d.steward)} | ${esc(d.holds.ja)} / ${esc(d.holds.en)} | ${personalText(d)} | ${esc(d.retention.ja)} / ${esc(d.retention.en)} |`,
    ),
    '',
    'Snapshot windows (how far back a table can be restored) are a separate, shorter setting of each',
    'table in S3 Tables; the retention above is how long the data itself is kept.',
    '',
    '## Table buckets / テーブルバケット',
    '',
    'Every bucket is a catalog of its own under `s3tablescatalog` in the account’s one Glue Data',
    'Catalog, so every domain is registered in the one central catalog while its storage, IAM',
    'resource ARNs and Lake Formation catalog are its own.',
    '',
    '| bucket | name | logical id | holds | namespaces |',
    '|---|---|---|---|---|',
    ...Object.values(TABLE_BUCKETS).map(
      (b) =>
        `| ${b.id} | ${code(b.nameVar.replace('${self:custom.', '').replace('}', ''))} | ${b.logicalId} | ${b.doc.ja} / ${b.doc.en} | ${domains
          .filter((d) => d.bucket === b.id)
          .map((d) => d.namespace)
          .join(', ')} |`,
    ),
    '',
    '## Access matrix / アクセス表',
    '',
    'Who writes and reads each namespace. Each domain has a reader role (`fuji-etl-<stage>-read-<namespace>`,',
    'workgroup `fuji-etl-<stage>-read-<namespace>` whose results only that role can read); the data team’s',
    'role reads everything but the personal columns; producers write only the namespaces they fill.',
    '',
    '| namespace | bucket | written by | reads every column | data team reads | personal data |',
    '|---|---|---|---|---|---|',
    ...domains.map((d) => matrixRow(d.namespace, grants)),
    '',
    '## Every grant / 付与一覧',
    '',
    '| grantee | Lake Formation grant | logical id |',
    '|---|---|---|',
    ...grants.map((g) => `| ${granteeName(g.grantee)} | ${grantText(g)} | ${g.id} |`),
    '',
    '## Reader workgroups / 閲覧用ワークグループ',
    '',
    ...domains.map(
      (d) =>
        `- ${readerRole(d.namespace)}: workgroup ${code(readerWorkGroupName(d.namespace).replace('${self:service}-${sls:stage}', 'fuji-etl-<stage>'))}`,
    ),
    '',
    '## Tables the managed pipelines write / パイプラインの書き込み先',
    '',
    'Declared so the template creates them before the pipeline starts (Firehose merges by these keys',
    'into tables that must exist). The app namespace has no declared tables: zero-ETL creates them.',
    '',
  ];
  for (const m of pipelineTables) {
    out.push(`### ${m.namespace}.${m.name}`, '', `${m.doc.ja} / ${m.doc.en}`, '');
    out.push(`- Key / キー (Firehose UniqueKeys): ${m.key.map(code).join(', ')}`, '');
    out.push(
      '| column | type | required | personal | 説明 / description |',
      '|---|---|---|---|---|',
    );
    const personal = domainOf(m.namespace).personal;
    for (const c of m.columns) {
      const p = personal.kind === 'columns' && (personal.columns[m.name] ?? []).includes(c.name);
      out.push(
        `| ${code(c.name)} | ${c.type} | ${c.required ? 'yes' : ''} | ${p ? '**yes**' : ''} | ${esc(c.doc.ja)} / ${esc(c.doc.en)} |`,
      );
    }
    out.push('');
  }
  return out.join('\n');
}

export const GOVERNANCE_DOC = new URL('../../docs/governance.md', import.meta.url);

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(GOVERNANCE_DOC, governanceDocs());
  console.log(`wrote ${GOVERNANCE_DOC.pathname}`);
}
