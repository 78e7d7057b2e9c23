/**
 * How a statement names a table when the tables live in more than one catalog. Each table
 * bucket is a catalog of its own (`s3tablescatalog/<bucket>`), and a domain's namespace lives
 * in exactly one of them (shared/model/domains.ts). A statement runs with one context catalog,
 * the engine's (the lake's); a table of another bucket is named with its catalog in front,
 * `"s3tablescatalog/<bucket>"."namespace"."table"`, which Athena resolves across catalogs. So a
 * MERGE into an uploaded-data table, a report joining it with the weather, and the ledger
 * written beside it all run unchanged, and a name that forgot its catalog fails (no such table
 * in the lake) instead of writing into the wrong bucket.
 */
import { IdentifierError } from './errors.ts';
import {
  assertIdentifier,
  metadataTableName,
  qualifiedName,
  type MetadataTable,
} from './identifier.ts';

/** A table bucket's catalog, `s3tablescatalog/<bucket>` (S3 Tables bucket names: 3–63 of a-z 0-9 -). */
export const TABLE_BUCKET_CATALOG_RE = /^s3tablescatalog\/([a-z0-9][a-z0-9-]{1,61}[a-z0-9])$/;
/** Any other catalog, such as `AwsDataCatalog`. */
const PLAIN_CATALOG_RE = /^[A-Za-z][A-Za-z0-9_]{0,254}$/;

export function assertCatalog(name: string): string {
  if (!TABLE_BUCKET_CATALOG_RE.test(name) && !PLAIN_CATALOG_RE.test(name))
    throw new IdentifierError(
      name,
      'catalog',
      `${TABLE_BUCKET_CATALOG_RE.source} or ${PLAIN_CATALOG_RE.source}`,
    );
  return name;
}

export interface TableCatalogs {
  /** The statements' context catalog: tables of namespaces not listed below live here. */
  readonly catalog: string;
  /** Namespaces kept in another catalog (their domain's table bucket), by namespace. */
  readonly namespaces?: Readonly<Record<string, string>>;
}

export class TableNames {
  readonly catalog: string;
  private readonly elsewhere: ReadonlyMap<string, string>;

  constructor(catalogs: TableCatalogs) {
    this.catalog = assertCatalog(catalogs.catalog);
    const m = new Map<string, string>();
    for (const [ns, cat] of Object.entries(catalogs.namespaces ?? {})) {
      assertIdentifier(ns, 'namespace');
      if (assertCatalog(cat) !== this.catalog) m.set(ns, cat);
    }
    this.elsewhere = m;
  }

  /** The catalog holding a namespace: the context statement of its DDL and information_schema. */
  catalogOf(namespace: string): string {
    return this.elsewhere.get(namespace) ?? this.catalog;
  }

  /** `"namespace"."table"`, or `"<catalog>"."namespace"."table"` outside the context catalog. */
  table(namespace: string, table: string): string {
    return `${this.prefix(namespace)}${qualifiedName(namespace, table)}`;
  }

  /** The same for an Iceberg metadata table (`"table$snapshots"`). */
  metadata(namespace: string, table: string, kind: MetadataTable): string {
    return `${this.prefix(namespace)}${metadataTableName(namespace, table, kind)}`;
  }

  /** For a table model (or anything with its namespace and name). */
  of(model: { readonly namespace: string; readonly name: string }): string {
    return this.table(model.namespace, model.name);
  }

  private prefix(namespace: string): string {
    const cat = this.elsewhere.get(namespace);
    return cat === undefined ? '' : `"${cat}".`;
  }
}
