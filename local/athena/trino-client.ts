/**
 * A minimal client of Trino's REST statement protocol (POST /v1/statement, then follow
 * `nextUri` until it disappears). Only what the local Athena endpoint needs: columns, rows,
 * update type and count, the bytes the query read, and a cancel.
 */

export interface TrinoColumn {
  readonly name: string;
  /** Trino's full type signature, e.g. `decimal(18,4)`, `timestamp(6) with time zone`. */
  readonly type: string;
}

export interface TrinoError {
  readonly message: string;
  readonly errorName: string;
  /** USER_ERROR | INTERNAL_ERROR | INSUFFICIENT_RESOURCES | EXTERNAL */
  readonly errorType: string;
}

export interface TrinoOutcome {
  readonly trinoQueryId: string | undefined;
  readonly columns: readonly TrinoColumn[];
  /** Values as Trino sent them, with every JSON number kept as its source text (see below). */
  readonly rows: readonly (readonly unknown[])[];
  readonly updateType: string | undefined;
  readonly updateCount: number | undefined;
  readonly physicalInputBytes: number;
  readonly error: TrinoError | undefined;
}

export interface TrinoSession {
  readonly catalog: string;
  readonly schema?: string;
}

interface StatementPage {
  id?: string;
  nextUri?: string;
  columns?: TrinoColumn[];
  data?: unknown[][];
  updateType?: string;
  updateCount?: string;
  stats?: { state?: string; physicalInputBytes?: string };
  error?: TrinoError;
}

/**
 * Trino writes bigints (and decimals of doubles) as bare JSON numbers; `JSON.parse` would round
 * anything beyond 2^53. The reviver's `context.source` (Node 22+) hands back the exact text, so
 * numbers stay strings here and are formatted from their original digits.
 */
function parseLossless(text: string): StatementPage {
  return JSON.parse(text, (_key, value: unknown, context?: { source?: string }) =>
    typeof value === 'number' && context?.source !== undefined ? context.source : value,
  ) as StatementPage;
}

export class TrinoClient {
  private readonly baseUrl: string;
  private readonly user: string;

  constructor(baseUrl: string, user = 'fuji-etl') {
    this.baseUrl = baseUrl.replace(/\/$/, '');
    this.user = user;
  }

  /**
   * Runs one statement to its end. `onQueryId` fires as soon as Trino names the query, so a
   * cancel can reach it while it runs; aborting `signal` cancels it on the server.
   */
  async run(
    sql: string,
    session: TrinoSession,
    signal: AbortSignal,
    onQueryId?: (id: string) => void,
  ): Promise<TrinoOutcome> {
    const headers: Record<string, string> = {
      'X-Trino-User': this.user,
      'X-Trino-Source': 'fuji-etl-local-athena',
      'X-Trino-Catalog': session.catalog,
      // Athena runs in UTC; the machine's zone must never leak into results.
      'X-Trino-Time-Zone': 'UTC',
      // Without it Trino rounds timestamps to milliseconds in the JSON it returns.
      'X-Trino-Client-Capabilities': 'PARAMETRIC_DATETIME',
      ...(session.schema && { 'X-Trino-Schema': session.schema }),
    };
    let page = await this.request(`${this.baseUrl}/v1/statement`, 'POST', headers, signal, sql);
    if (page.id) onQueryId?.(page.id);
    let columns: TrinoColumn[] = [];
    const rows: unknown[][] = [];
    let updateType: string | undefined;
    let updateCount: number | undefined;
    for (;;) {
      if (page.columns) columns = page.columns;
      if (page.data) for (const r of page.data) rows.push(r);
      if (page.updateType) updateType = page.updateType;
      if (page.updateCount !== undefined) updateCount = Number(page.updateCount);
      if (!page.nextUri || page.error) break;
      const next = page.nextUri;
      const onAbort = () => void fetch(next, { method: 'DELETE' }).catch(() => undefined);
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        page = await this.request(next, 'GET', headers, signal);
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
    }
    return {
      trinoQueryId: page.id,
      columns,
      rows,
      updateType,
      updateCount,
      physicalInputBytes: Number(page.stats?.physicalInputBytes ?? 0),
      error: page.error,
    };
  }

  /** Trino answers 502/503/504 while busy or starting; the protocol says to retry after a pause. */
  private async request(
    url: string,
    method: 'GET' | 'POST',
    headers: Record<string, string>,
    signal: AbortSignal,
    body?: string,
  ): Promise<StatementPage> {
    for (let attempt = 1; ; attempt++) {
      const res = await fetch(url, { method, headers, body, signal });
      const text = await res.text();
      if (res.ok) return parseLossless(text);
      if ([502, 503, 504].includes(res.status) && attempt < 20) {
        await new Promise((r) => setTimeout(r, 50 * attempt));
        continue;
      }
      throw new Error(`Trino answered ${res.status} for ${method} ${url}: ${text.slice(0, 300)}`);
    }
  }
}
