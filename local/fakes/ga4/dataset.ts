/**
 * The GA4 fake's deterministic data: a registration site and an app's web pages in climbing
 * season. Every value is a function of (property, day, dimension values, metric), so a test can
 * ask for the final truth of any report. The last two days are still settling: their counts are
 * lower and move a little on every call, as GA's do.
 */
import { createHash } from 'node:crypto';

/** Values per dimension with their share of traffic (shares of a dimension sum to 1). */
const DOMAINS: Record<string, readonly (readonly [string, number])[]> = {
  sessionDefaultChannelGroup: [
    ['Organic Search', 0.46],
    ['Direct', 0.22],
    ['Organic Social', 0.14],
    ['Referral', 0.1],
    ['Paid Search', 0.05],
    ['Email', 0.03],
  ],
  deviceCategory: [
    ['mobile', 0.72],
    ['desktop', 0.24],
    ['tablet', 0.04],
  ],
  country: [
    ['Japan', 0.78],
    ['Taiwan', 0.05],
    ['United States', 0.04],
    ['China', 0.03],
    ['South Korea', 0.025],
    ['Hong Kong', 0.02],
    ['Thailand', 0.015],
    ['France', 0.01],
    ['Australia', 0.01],
    ['(not set)', 0.03],
  ],
  pagePath: [
    ['/', 0.24],
    ['/register', 0.16],
    ['/register/confirm', 0.09],
    ['/register/complete', 0.07],
    ['/rules', 0.1],
    ['/routes/fujinomiya', 0.08],
    ['/routes/gotemba', 0.04],
    ['/routes/subashiri', 0.05],
    ['/weather', 0.08],
    ['/faq', 0.05],
    ['/en/', 0.03],
    ['/en/register', 0.01],
  ],
  eventName: [
    ['page_view', 0.42],
    ['session_start', 0.14],
    ['user_engagement', 0.16],
    ['scroll', 0.12],
    ['first_visit', 0.07],
    ['registration_start', 0.04],
    ['registration_submit', 0.025],
    ['payment_complete', 0.02],
    ['qr_issued', 0.015],
  ],
};

/** Per-session amounts of each metric the fake serves; users-type metrics are per session too. */
const PER_SESSION: Record<string, number> = {
  sessions: 1,
  engagedSessions: 0.62,
  screenPageViews: 3.1,
  eventCount: 9.4,
  keyEvents: 0.04,
  userEngagementDuration: 95.5,
  activeUsers: 0.82,
  newUsers: 0.55,
  totalUsers: 0.85,
  purchaseRevenue: 0.03 * 4000,
  ecommercePurchases: 0.03,
  transactions: 0.03,
};
/** Distinct-user metrics: merging rows overlaps users, so totals are less than sums. */
export const USER_METRICS = new Set(['activeUsers', 'newUsers', 'totalUsers']);
const RATIOS: Record<string, (v: Record<string, number>) => number> = {
  engagementRate: (v) => (v.sessions ? v.engagedSessions! / v.sessions : 0),
  bounceRate: (v) => (v.sessions ? 1 - v.engagedSessions! / v.sessions : 0),
  averageSessionDuration: (v) => (v.sessions ? v.userEngagementDuration! / v.sessions : 0),
  screenPageViewsPerSession: (v) => (v.sessions ? v.screenPageViews! / v.sessions : 0),
};
export const METRIC_TYPES: Record<string, string> = {
  sessions: 'TYPE_INTEGER',
  engagedSessions: 'TYPE_INTEGER',
  screenPageViews: 'TYPE_INTEGER',
  eventCount: 'TYPE_INTEGER',
  keyEvents: 'TYPE_FLOAT',
  userEngagementDuration: 'TYPE_SECONDS',
  activeUsers: 'TYPE_INTEGER',
  newUsers: 'TYPE_INTEGER',
  totalUsers: 'TYPE_INTEGER',
  purchaseRevenue: 'TYPE_CURRENCY',
  ecommercePurchases: 'TYPE_INTEGER',
  transactions: 'TYPE_INTEGER',
  engagementRate: 'TYPE_FLOAT',
  bounceRate: 'TYPE_FLOAT',
  averageSessionDuration: 'TYPE_SECONDS',
  screenPageViewsPerSession: 'TYPE_FLOAT',
};
const INTEGRAL = new Set(
  Object.entries(METRIC_TYPES)
    .filter(([, t]) => t === 'TYPE_INTEGER')
    .map(([m]) => m),
);
/** Dimensions the fake knows; any other valid-looking name has the single value "(not set)". */
export const KNOWN_DIMENSIONS = new Set(['date', ...Object.keys(DOMAINS)]);

function unit(...parts: string[]): number {
  const h = createHash('sha256').update(parts.join('\u0000')).digest();
  return h.readUInt32BE(0) / 0x1_0000_0000;
}

/** Sessions of a whole day: off-season, the registration run-up, the climbing season, weekends. */
export function daySessions(property: string, day: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const md = m * 100 + d;
  const season = md >= 710 && md <= 910 ? 6000 : md >= 601 && md < 710 ? 2500 : 700;
  const dow = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  const weekend = dow === 0 || dow === 6 ? 1.35 : 1;
  const site = property.endsWith('2') ? 0.55 : 1;
  return season * weekend * site * (0.9 + 0.2 * unit(property, day));
}

export interface Truth {
  readonly dims: string[];
  readonly metrics: Record<string, number>;
}

function cross(dims: readonly string[]): { values: string[]; share: number }[] {
  let out = [{ values: [] as string[], share: 1 }];
  for (const d of dims) {
    const domain = DOMAINS[d] ?? [['(not set)', 1] as const];
    out = out.flatMap((o) =>
      domain.map(([v, s]) => ({ values: [...o.values, v], share: o.share * s })),
    );
  }
  return out;
}

/** Dimensions whose rows roll up consistently: sessions add up, users overlap. */
const BASE = ['sessionDefaultChannelGroup', 'deviceCategory', 'country'];

function baseValues(
  property: string,
  day: string,
  values: string[],
  share: number,
  completeness: number,
) {
  const finalSessions =
    daySessions(property, day) * share * (0.7 + 0.6 * unit(property, day, ...values));
  if (finalSessions < 1) return undefined;
  const base: Record<string, number> = {};
  for (const [m, k] of Object.entries(PER_SESSION)) {
    const v = finalSessions * k * completeness * (0.95 + 0.1 * unit(property, day, m, ...values));
    base[m] = INTEGRAL.has(m) ? Math.round(v) : Math.round(v * 100) / 100;
  }
  base.purchaseRevenue = Math.round(base.purchaseRevenue!);
  return base;
}

/**
 * The rows of a report for one day. `completeness` < 1 scales the counts (data still arriving);
 * rows exist or not by their final values, so settling never removes a row. Reports over the
 * channel × device × country dimensions (or fewer) roll up from the same detailed rows: their
 * sessions add up exactly, and their users overlap (fewer dimensions, fewer distinct users
 * than the sum), as in GA.
 */
export function reportRows(
  property: string,
  day: string,
  dimensions: readonly string[],
  metrics: readonly string[],
  completeness = 1,
): Truth[] {
  const others = dimensions.filter((d) => d !== 'date');
  const rolled = others.every((d) => BASE.includes(d));
  const groups = new Map<string, { values: string[]; sums: Record<string, number> }>();
  for (const { values, share } of cross(rolled ? BASE : others)) {
    const base = baseValues(property, day, values, share, completeness);
    if (!base) continue;
    const mine = rolled ? others.map((d) => values[BASE.indexOf(d)]!) : values;
    const key = mine.join('\u0001');
    const g = groups.get(key) ?? { values: mine, sums: {} };
    for (const [m, v] of Object.entries(base)) g.sums[m] = (g.sums[m] ?? 0) + v;
    groups.set(key, g);
  }
  const overlap = rolled ? 0.9 ** (BASE.length - others.length) : 1;
  const rows: Truth[] = [];
  for (const { values, sums } of groups.values()) {
    const v: Record<string, number> = {};
    for (const [m, x] of Object.entries(sums))
      v[m] = USER_METRICS.has(m) ? Math.round(x * overlap) : Math.round(x * 100) / 100;
    const out: Record<string, number> = {};
    for (const m of metrics) out[m] = RATIOS[m] ? Math.round(RATIOS[m](v) * 1e6) / 1e6 : v[m]!;
    const dimValues = dimensions.map((d) =>
      d === 'date' ? day.replaceAll('-', '') : values[others.indexOf(d)]!,
    );
    rows.push({ dims: dimValues, metrics: out });
  }
  return rows.sort((a, b) => (a.dims.join('\u0001') < b.dims.join('\u0001') ? -1 : 1));
}

/** How complete a day's data is `ageDays` after it (0 = today): GA settles over ~48 h. */
export function completenessAt(ageDays: number, call: number): number {
  if (ageDays >= 3) return 1;
  const wobble = 0.01 * (call % 5);
  return ageDays === 2 ? 0.96 + wobble / 2 : ageDays === 1 ? 0.85 + wobble : 0.5 + wobble;
}
