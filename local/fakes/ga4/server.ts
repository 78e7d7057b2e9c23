/**
 * An offline GA4 Data API (v1beta `runReport` over REST) on a deterministic dataset. It checks
 * the self-signed service-account JWT like Google does (signature, scope, expiry), answers in
 * REST JSON (defaults omitted, int64 as strings, string or numeric enums), meters property
 * quotas and answers 429 RESOURCE_EXHAUSTED when one is spent, and can be told to sample,
 * change rowCount mid-read, fail with 500 or send malformed JSON.
 */
import { generateKeyPairSync, verify, type KeyObject } from 'node:crypto';
import { dayInZone } from '#shared/time/days.ts';
import { listen } from '../listen.ts';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  completenessAt,
  KNOWN_DIMENSIONS,
  METRIC_TYPES,
  reportRows,
  type Truth,
} from './dataset.ts';

export type Ga4FaultKind = 'sampled' | 'rowCountChange' | 'status500' | 'malformed' | 'exhausted';

export interface Ga4Fault {
  readonly kind: Ga4FaultKind;
  readonly count: number;
  /** Only requests for this property (default any). */
  readonly property?: string;
  /** Only requests for this day, YYYY-MM-DD (default any). */
  readonly day?: string;
}

export interface Ga4Fake {
  readonly url: string;
  setNow(now: Date): void;
  /** A service-account key JSON allowed to read these properties, as Google's console issues. */
  serviceAccount(properties: readonly string[]): Record<string, string>;
  setQuota(property: string, limits: { tokensPerDay?: number; tokensPerHour?: number }): void;
  resetQuota(): void;
  injectFault(f: Ga4Fault): void;
  clearFaults(): void;
  /**
   * From now on the property's answers for the day leave out every row with this dimension
   * value (GA reprocessed the day: a channel or page vanished). Real re-reads do this.
   */
  withdraw(property: string, day: string, dimensionValue: string): void;
  /** Final values of a report for a day, after the data has settled. */
  truth(property: string, day: string, dimensions: string[], metrics: string[]): Truth[];
  /** runReport calls so far: property, day and offset of each. */
  calls(): { property: string; day: string; offset: number; status: number }[];
  close(): Promise<void>;
}

const PROPERTIES: Record<string, { currency: string; timeZone: string }> = {
  '400000001': { currency: 'JPY', timeZone: 'Asia/Tokyo' },
  '400000002': { currency: 'JPY', timeZone: 'Asia/Tokyo' },
};
const SCOPE = 'https://www.googleapis.com/auth/analytics.readonly';
const NUMERIC_TYPES: Record<string, number> = {
  TYPE_INTEGER: 1,
  TYPE_FLOAT: 2,
  TYPE_SECONDS: 4,
  TYPE_CURRENCY: 9,
};

function googleError(res: ServerResponse, code: number, status: string, message: string) {
  res.writeHead(code, { 'content-type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify({ error: { code, message, status } }));
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function createGa4Fake(opts: { port?: number; now?: Date } = {}): Promise<Ga4Fake> {
  let fixedNow = opts.now;
  const clock = () => fixedNow ?? new Date();
  const accounts = new Map<string, { key: KeyObject; properties: Set<string> }>();
  const limits = new Map<string, { tokensPerDay: number; tokensPerHour: number }>();
  const used = new Map<string, number>();
  let faults: (Ga4Fault & { left: number })[] = [];
  const callLog: { property: string; day: string; offset: number; status: number }[] = [];
  const withdrawn = new Set<string>();
  const answered = <R extends { dims: readonly string[] }>(
    property: string,
    day: string,
    rows: R[],
  ) =>
    withdrawn.size === 0
      ? rows
      : rows.filter((r) => !r.dims.some((v) => withdrawn.has(`${property}|${day}|${v}`)));
  const settleCalls = new Map<string, number>();
  let accountSeq = 0;

  function takeFault(kind: Ga4FaultKind, property: string, day: string): boolean {
    const f = faults.find(
      (x) =>
        x.kind === kind &&
        x.left > 0 &&
        (!x.property || x.property === property) &&
        (!x.day || x.day === day),
    );
    if (f) f.left--;
    return f !== undefined;
  }

  /** The JWT's claims when its signature, scope and expiry check out. */
  function authorize(header: string | undefined): { email: string } | string {
    const m = /^Bearer ([\w-]+)\.([\w-]+)\.([\w-]+)$/.exec(header ?? '');
    if (!m) return 'missing or malformed bearer token';
    const [, h, p, sig] = m;
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>;
    const account = accounts.get(String(claims.iss));
    if (!account) return `unknown service account ${String(claims.iss)}`;
    const ok = verify(
      'RSA-SHA256',
      Buffer.from(`${h}.${p}`),
      account.key,
      Buffer.from(sig!, 'base64url'),
    );
    if (!ok) return 'bad signature';
    if (typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now()) return 'token expired';
    if (
      !String(claims.scope ?? '')
        .split(' ')
        .includes(SCOPE)
    )
      return 'token lacks the analytics scope';
    return { email: String(claims.iss) };
  }

  function charge(property: string, tokens: number) {
    const now = clock();
    // Daily quotas reset at midnight Pacific time; hourly ones on the hour.
    const dayKey = `${property}/d/${dayInZone(now, 'America/Los_Angeles')}`;
    const hourKey = `${property}/h/${now.toISOString().slice(0, 13)}`;
    const lim = limits.get(property) ?? { tokensPerDay: 200_000, tokensPerHour: 40_000 };
    const day = used.get(dayKey) ?? 0;
    const hour = used.get(hourKey) ?? 0;
    if (day + tokens > lim.tokensPerDay)
      return 'Exhausted property tokens per day quota. Consider waiting until tomorrow.';
    if (hour + tokens > lim.tokensPerHour) return 'Exhausted property tokens per hour quota.';
    used.set(dayKey, day + tokens);
    used.set(hourKey, hour + tokens);
    return {
      tokensPerDay: { consumed: tokens, remaining: lim.tokensPerDay - day - tokens },
      tokensPerHour: { consumed: tokens, remaining: lim.tokensPerHour - hour - tokens },
      concurrentRequests: { remaining: 10 },
      serverErrorsPerProjectPerHour: { remaining: 10 },
      potentiallyThresholdedRequestsPerHour: { remaining: 120 },
      tokensPerProjectPerHour: { consumed: tokens, remaining: 14_000 - hour - tokens },
    };
  }

  async function runReport(
    req: IncomingMessage,
    res: ServerResponse,
    property: string,
    query: string,
  ) {
    const auth = authorize(req.headers.authorization);
    if (typeof auth === 'string')
      return googleError(
        res,
        401,
        'UNAUTHENTICATED',
        `Request had invalid authentication credentials: ${auth}.`,
      );
    if (!PROPERTIES[property] || !accounts.get(auth.email)!.properties.has(property)) {
      callLog.push({ property, day: '', offset: 0, status: 403 });
      // The envelope of a real Data API refusal (fixtures/real of ga4).
      return googleError(
        res,
        403,
        'PERMISSION_DENIED',
        'User does not have sufficient permissions for this property. To learn more about Property ID, see https://developers.google.com/analytics/devguides/reporting/data/v1/property-id.',
      );
    }
    let r: Record<string, unknown>;
    try {
      r = JSON.parse(await body(req)) as Record<string, unknown>;
    } catch {
      return googleError(res, 400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.');
    }
    const names = (k: string) =>
      ((r[k] as { name: string }[] | undefined) ?? []).map((x) => x.name);
    const dims = names('dimensions');
    const mets = names('metrics');
    const badDim = dims.find(
      (d) => !KNOWN_DIMENSIONS.has(d) && !/^custom(Event|User|Item):\w+$/.test(d),
    );
    if (badDim)
      return googleError(
        res,
        400,
        'INVALID_ARGUMENT',
        `Field ${badDim} is not a valid dimension. For a list of valid dimensions and metrics, see https://developers.google.com/analytics/devguides/reporting/data/v1/api-schema`,
      );
    const badMet = mets.find((x) => !METRIC_TYPES[x]);
    if (badMet)
      return googleError(
        res,
        400,
        'INVALID_ARGUMENT',
        `Field ${badMet} is not a valid metric. For a list of valid dimensions and metrics, see https://developers.google.com/analytics/devguides/reporting/data/v1/api-schema`,
      );
    if (dims.length > 9 || mets.length > 10)
      return googleError(
        res,
        400,
        'INVALID_ARGUMENT',
        'Requests are limited to 9 dimensions and 10 metrics.',
      );
    const range = (r.dateRanges as { startDate: string; endDate: string }[] | undefined)?.[0];
    if (!range || range.startDate !== range.endDate || !/^\d{4}-\d{2}-\d{2}$/.test(range.startDate))
      return googleError(
        res,
        400,
        'INVALID_ARGUMENT',
        'The fake serves one-day date ranges in YYYY-MM-DD.',
      );
    const day = range.startDate;
    // int64 fields arrive as strings or numbers.
    const offset = Number(r.offset ?? 0);
    const limit = Number(r.limit ?? 10_000);
    const log = { property, day, offset, status: 200 };
    callLog.push(log);
    if (takeFault('status500', property, day)) {
      log.status = 500;
      return googleError(res, 500, 'INTERNAL', 'Internal error encountered.');
    }
    if (takeFault('malformed', property, day)) {
      res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
      res.end('{"dimensionHeaders": [{"name": "date"}], "rows": [');
      return;
    }
    const { timeZone, currency } = PROPERTIES[property];
    const age = Math.round(
      (Date.parse(dayInZone(clock(), timeZone)) - Date.parse(day)) / 86_400_000,
    );
    const settleKey = `${property}/${day}`;
    const call = (settleCalls.get(settleKey) ?? 0) + (offset === 0 ? 1 : 0);
    settleCalls.set(settleKey, call);
    const all =
      age < 0
        ? []
        : answered(property, day, reportRows(property, day, dims, mets, completenessAt(age, call)));
    const sampled = takeFault('sampled', property, day);
    const page = all.slice(offset, offset + limit);
    const quota = takeFault('exhausted', property, day)
      ? 'Exhausted property tokens per hour quota.'
      : charge(property, 10 + Math.ceil(page.length / 100));
    if (typeof quota === 'string') {
      log.status = 429;
      return googleError(res, 429, 'RESOURCE_EXHAUSTED', quota);
    }
    const intEnums = /enum-encoding=int/.test(query);
    const rowCount =
      all.length + (offset > 0 && takeFault('rowCountChange', property, day) ? 1 : 0);
    const scale = sampled ? 1.07 : 1;
    const out: Record<string, unknown> = {
      dimensionHeaders: dims.map((name) => ({ name })),
      metricHeaders: mets.map((name) => ({
        name,
        type: intEnums ? NUMERIC_TYPES[METRIC_TYPES[name]!] : METRIC_TYPES[name],
      })),
      ...(page.length > 0 && {
        rows: page.map((row) => ({
          // REST JSON omits default values: an empty string dimension is `{}`.
          dimensionValues: row.dims.map((v) => (v === '' ? {} : { value: v })),
          metricValues: mets.map((m) => {
            const v =
              METRIC_TYPES[m] === 'TYPE_INTEGER'
                ? Math.round(row.metrics[m]! * scale)
                : row.metrics[m]! * scale;
            return v === 0 ? {} : { value: String(v) };
          }),
        })),
      }),
      ...(rowCount > 0 && { rowCount }),
      metadata: {
        currencyCode: currency,
        timeZone,
        ...(sampled && {
          samplingMetadatas: [{ samplesReadCount: '48211', samplingSpaceSize: '120530' }],
        }),
        ...(dims.includes('country') && { subjectToThresholding: true }),
      },
      ...(r.returnPropertyQuota === true && { propertyQuota: quota }),
      kind: 'analyticsData#runReport',
    };
    res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
    res.end(JSON.stringify(out));
  }

  function serviceAccount(properties: readonly string[]): Record<string, string> {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const email = `fuji-etl-${++accountSeq}-${Date.now().toString(36)}@fuji-etl-local.iam.gserviceaccount.com`;
    accounts.set(email, { key: publicKey, properties: new Set(properties) });
    return {
      type: 'service_account',
      project_id: 'fuji-etl-local',
      private_key_id: `local${accountSeq}`,
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      client_email: email,
      client_id: String(100000000000 + accountSeq),
      token_uri: 'https://oauth2.googleapis.com/token',
    };
  }

  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://fake');
    const m = /^\/v1beta\/properties\/([^/:]+):runReport$/.exec(u.pathname);
    if (req.method === 'POST' && m) {
      runReport(req, res, decodeURIComponent(m[1]!), u.search).catch((err: unknown) => {
        googleError(res, 500, 'INTERNAL', String(err));
      });
      return;
    }
    if (req.method === 'POST' && u.pathname === '/__fuji/ga4/service-accounts') {
      void body(req).then((b) => {
        const { properties } = JSON.parse(b || '{}') as { properties?: string[] };
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(serviceAccount(properties ?? Object.keys(PROPERTIES))));
      });
      return;
    }
    if (u.pathname === '/__fuji/health') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
      return;
    }
    googleError(res, 404, 'NOT_FOUND', `Method not found: ${u.pathname}`);
  });
  const { url, close } = await listen(server, opts.port);
  return {
    url,
    setNow: (now) => (fixedNow = now),
    serviceAccount,
    setQuota: (property, l) =>
      limits.set(property, {
        tokensPerDay: 200_000,
        tokensPerHour: 40_000,
        ...limits.get(property),
        ...l,
      }),
    resetQuota: () => used.clear(),
    injectFault: (f) => faults.push({ ...f, left: f.count }),
    clearFaults: () => (faults = []),
    withdraw: (property, day, value) => withdrawn.add(`${property}|${day}|${value}`),
    truth: (property, day, dimensions, metrics) =>
      answered(property, day, reportRows(property, day, dimensions, metrics, 1)),
    calls: () => [...callLog],
    close,
  };
}
