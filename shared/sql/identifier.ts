import { IdentifierError } from './errors.ts';

/**
 * S3 Tables and Athena want lowercase names; anything else (quotes, dots, spaces, Unicode)
 * is rejected rather than escaped, so a name can never change the shape of a statement.
 */
const IDENT_RE = /^[a-z][a-z0-9_]{0,62}$/;

export function assertIdentifier(name: string, what = 'identifier'): string {
  if (!IDENT_RE.test(name)) throw new IdentifierError(name, what);
  return name;
}

/** A validated identifier, double-quoted so reserved words (date, year, …) still work in DML. */
export function quoteIdent(name: string, what?: string): string {
  return `"${assertIdentifier(name, what)}"`;
}

/**
 * `"namespace"."table"` for DML on both Athena and Trino, in the statement's context catalog; the
 * engine's `names` (table-names.ts) put a table of another table bucket's catalog in front.
 */
export function qualifiedName(namespace: string, table: string): string {
  return `${quoteIdent(namespace, 'namespace')}.${quoteIdent(table, 'table')}`;
}

export type MetadataTable = 'snapshots' | 'history' | 'files' | 'manifests' | 'partitions';

/** `"namespace"."table$snapshots"`: Iceberg metadata tables, same spelling on Athena and Trino. */
export function metadataTableName(namespace: string, table: string, kind: MetadataTable): string {
  return `${quoteIdent(namespace, 'namespace')}."${assertIdentifier(table, 'table')}$${kind}"`;
}
