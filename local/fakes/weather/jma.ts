/**
 * Payloads shaped like JMA's bosai JSON for the Shizuoka office (see the real captures in
 * connectors/jma_forecast/fixtures/real), generated from the fake's clock: the 05:00, 11:00 and
 * 17:00 issues differ in their series lengths as the real ones do; on even days a 20:00
 * correction comes off schedule, keeping the 17:00 issue's time axes; every value is a string
 * and "" means missing.
 */
const JST = 9 * 3_600_000;

function jstParts(t: Date) {
  const j = new Date(t.getTime() + JST);
  return { y: j.getUTCFullYear(), m: j.getUTCMonth(), d: j.getUTCDate(), h: j.getUTCHours() };
}

/** An instant as JMA writes it: `2026-07-15T11:00:00+09:00`. */
export function jmaTime(t: Date): string {
  return `${new Date(t.getTime() + JST).toISOString().slice(0, 19)}+09:00`;
}

function jstAt(base: Date, dayOffset: number, hour: number): Date {
  const p = jstParts(base);
  return new Date(Date.UTC(p.y, p.m, p.d + dayOffset, hour) - JST);
}

/** The latest scheduled issue (05, 11 or 17 JST) at or before `now`. */
function scheduledIssue(now: Date): Date {
  const { h } = jstParts(now);
  if (h >= 17) return jstAt(now, 0, 17);
  if (h >= 11) return jstAt(now, 0, 11);
  if (h >= 5) return jstAt(now, 0, 5);
  return jstAt(now, -1, 17);
}

/** The latest issue (05, 11, 17 JST, or 20 JST on even days) at or before `now`. */
export function issueTime(now: Date): Date {
  const { h, d } = jstParts(now);
  return h >= 20 && d % 2 === 0 ? jstAt(now, 0, 20) : scheduledIssue(now);
}

const AREAS = [
  { name: '中部', code: '220010' },
  { name: '伊豆', code: '220020' },
  { name: '東部', code: '220030' },
  { name: '西部', code: '220040' },
];
const STATIONS = [
  { name: '静岡', code: '50331' },
  { name: '網代', code: '50281' },
  { name: '三島', code: '50206' },
  { name: '浜松', code: '50456' },
];
const CODES = ['101', '200', '201', '313', '100', '202', '211'];
const TEXTS: Record<string, string> = {
  '100': '晴れ',
  '101': '晴れ　時々　くもり',
  '200': 'くもり',
  '201': 'くもり　時々　晴れ',
  '202': 'くもり　一時　雨',
  '211': 'くもり　後　晴れ',
  '313': '雨　後　くもり',
};

function pick<T>(list: readonly T[], seed: number): T {
  return list[Math.abs(seed) % list.length]!;
}

export function forecast(now: Date, office: string) {
  const published = issueTime(now);
  const report = { publishingOffice: '静岡地方気象台', reportDatetime: jmaTime(published) };
  // An off-schedule correction keeps the time axes of the scheduled issue it replaces.
  const issue = jstParts(published).h === 20 ? jstAt(published, 0, 17) : published;
  const { h, d } = jstParts(issue);
  const seed = d * 3 + h;
  // The 05:00 issue covers today and tomorrow, the later ones up to the day after.
  const t0 = [issue, jstAt(issue, 1, 0), ...(h === 5 ? [] : [jstAt(issue, 2, 0)])];
  // 6-hour slots from the current one; past slots are dropped.
  const firstSlot = h === 5 ? 6 : h === 11 ? 12 : 18;
  const slots: Date[] = [];
  for (let s = firstSlot; s < 48; s += 6) slots.push(jstAt(issue, 0, s));
  // Temperatures: 05:00 and 11:00 give today's two maxima and tomorrow's minimum and maximum,
  // in JMA's own order (today 09:00 before today 00:00); 17:00 gives tomorrow's two.
  const tempTimes =
    h === 17
      ? [jstAt(issue, 1, 0), jstAt(issue, 1, 9)]
      : [jstAt(issue, 0, 9), jstAt(issue, 0, 0), jstAt(issue, 1, 0), jstAt(issue, 1, 9)];
  const short = {
    ...report,
    timeSeries: [
      {
        timeDefines: t0.map(jmaTime),
        areas: AREAS.map((a, i) => {
          const codes = t0.map((_, k) => pick(CODES, seed + i + k));
          return {
            area: a,
            weatherCodes: codes,
            weathers: codes.map((c) => TEXTS[c]!),
            winds: t0.map((_, k) =>
              pick(['南の風', '北の風　後　南の風', '南西の風　やや強く'], seed + k),
            ),
            // 東部 is written without waves here, to exercise the optional field.
            ...(a.code !== '220030' && {
              waves: t0.map((_, k) =>
                pick(['１メートル', '１．５メートル　後　１メートル'], seed + k),
              ),
            }),
          };
        }),
      },
      {
        timeDefines: slots.map(jmaTime),
        areas: AREAS.map((a, i) => ({
          area: a,
          pops: slots.map((_, k) =>
            i === 1 && k === slots.length - 1
              ? ''
              : String(pick([0, 10, 20, 30, 50], seed + i + k)),
          ),
        })),
      },
      {
        timeDefines: tempTimes.map(jmaTime),
        areas: STATIONS.map((s, i) => {
          const max = 30 + ((seed + i) % 4);
          const min = 22 + ((seed + i) % 3);
          // Today: the daytime maximum, then the whole day's, which real issues show above
          // it now and then (a warm night before a cold day): here at 浜松.
          const temps = h === 17 ? [min, max] : [max, max + (i === 3 ? 2 : 0), min, max + 1];
          return { area: s, temps: temps.map(String) };
        }),
      },
    ],
  };
  const weeklyIssue = h === 5 ? jstAt(issue, -1, 17) : issue;
  const days = Array.from({ length: 7 }, (_, k) => jstAt(weeklyIssue, k + 1, 0));
  const weekly = {
    publishingOffice: '静岡地方気象台',
    reportDatetime: jmaTime(weeklyIssue),
    timeSeries: [
      {
        timeDefines: days.map(jmaTime),
        areas: [
          {
            area: { name: '静岡県', code: '220000' },
            weatherCodes: days.map((_, k) => pick(CODES, seed + k)),
            pops: days.map((_, k) => (k === 0 ? '' : String(pick([10, 20, 30, 40, 60], seed + k)))),
            reliabilities: days.map((_, k) => (k === 0 ? '' : pick(['A', 'B', 'C'], seed + k))),
          },
        ],
      },
      {
        timeDefines: days.map(jmaTime),
        areas: [STATIONS[0]!, STATIONS[3]!].map((s, i) => {
          const v = (base: number) =>
            days.map((_, k) => (k === 0 ? '' : String(base + ((k + i) % 3))));
          return {
            area: s,
            tempsMin: v(23),
            tempsMinUpper: v(25),
            tempsMinLower: v(21),
            tempsMax: days.map((_, k) => String(31 + ((k + i) % 3))),
            tempsMaxUpper: v(33),
            tempsMaxLower: v(29),
          };
        }),
      },
    ],
    tempAverage: { areas: [{ area: STATIONS[0], min: '23.4', max: '30.1' }] },
    precipAverage: { areas: [{ area: STATIONS[0], min: '11.0', max: '35.0' }] },
  };
  return office === '220000' ? [short, weekly] : undefined;
}

export function overview(now: Date, office: string) {
  if (office !== '220000') return undefined;
  return {
    publishingOffice: '静岡地方気象台',
    // Real overviews come about half an hour before the forecast they go with, and are not
    // issued again with an off-schedule correction.
    reportDatetime: jmaTime(new Date(scheduledIssue(now).getTime() + 33 * 60_000 - 3_600_000)),
    targetArea: '静岡県',
    headlineText: '',
    text: '　静岡県は、高気圧に覆われて晴れています。\n\n　今日は、高気圧に覆われて晴れますが、湿った空気の影響で午後は雲が広がる見込みです。富士山の山頂付近では、風が強く気温が低い所がある見込みです。',
  };
}

const WARNING_CLASS10 = ['220010', '220020', '220030', '220040'];
/** 静岡市, 浜松市, 富士宮市, 富士市, 御殿場市, 小山町: the municipalities around Mt. Fuji and two cities. */
const WARNING_CLASS20 = ['2210000', '2213000', '2220700', '2221000', '2221500', '2234400'];
const CALM = { status: '発表警報・注意報はなし' };

/**
 * The latest warning report at or before `now`: every 3 hours at :10 JST (JMA issues whenever
 * warnings change; a fixed step keeps the fake's history predictable).
 */
export function warningReport(now: Date): Date {
  const step = 3 * 3_600_000;
  const t = Math.floor((now.getTime() + JST - 10 * 60_000) / step) * step - JST + 10 * 60_000;
  return new Date(t);
}

/** The report's place in the cycle 発表 → 継続 → 解除 → nothing in force. */
function phaseOf(at: Date): number {
  return Math.floor(at.getTime() / (3 * 3_600_000)) % 4;
}

function cycle(code: string, at: Date) {
  return [{ code, status: '発表' }, { code, status: '継続' }, { code, status: '解除' }, undefined][
    phaseOf(at)
  ];
}

/**
 * The legacy document (`warning/data/warning/{office}.json`, one object per office; JMA stopped
 * updating it in late May 2026), still served so the legacy parser has an answer to read:
 * 雷注意報 moves through the cycle per report, 波浪注意報 stays in force on the coast, the
 * first class10 area is always calm.
 */
export function warnings(now: Date, office: string) {
  if (office !== '220000') return undefined;
  const at = warningReport(now);
  const thunder = cycle('14', at);
  const kinds = (coast: boolean) => {
    const list = [
      ...(thunder ? [thunder] : []),
      ...(coast ? [{ code: '16', status: '継続' }] : []),
    ];
    return list.length ? list : [CALM];
  };
  return {
    reportDatetime: jmaTime(at),
    publishingOffice: '静岡地方気象台',
    headlineText:
      thunder && thunder.status !== '解除' ? '静岡県では、落雷に注意してください。' : '',
    areaTypes: [
      {
        areas: WARNING_CLASS10.map((code, i) => ({
          code,
          warnings: i === 0 ? [CALM] : kinds(i !== 3),
        })),
      },
      { areas: WARNING_CLASS20.map((code, i) => ({ code, warnings: kinds(i < 2) })) },
    ],
    // The outlook of coming hours: real payloads carry it; the connector does not read it.
    timeSeries: [{ timeDefines: [jmaTime(at)], areaTypes: [] }],
  };
}

/** The latest `hh:mm` JST at or before `now`. */
function dailyAt(now: Date, hour: number, minute: number): Date {
  const t = new Date(jstAt(now, 0, hour).getTime() + minute * 60_000);
  return t.getTime() > now.getTime() ? new Date(t.getTime() - 24 * 3_600_000) : t;
}

type Kind = { code?: string; status: string; properties?: unknown[] };

/** One report of the r8 list, in the real captures' structure (connectors/jma_warning/fixtures/real). */
function r8Report(
  dataTypeCode: string,
  at: Date,
  headline: string,
  class10: (code: string, i: number) => Kind | undefined,
  class20: (code: string, i: number) => Kind | undefined,
  extra: object = {},
) {
  const items = (codes: string[], f: (code: string, i: number) => Kind | undefined) =>
    codes.map((areaCode, i) => ({ areaCode, kinds: [f(areaCode, i) ?? CALM] }));
  return {
    // JMA produces the report some seconds after its time, and writes this one in UTC.
    controlDatetime: `${new Date(at.getTime() + 31_000).toISOString().slice(0, 19)}Z`,
    reportDatetime: jmaTime(at),
    infoType: '発表',
    publishingOffice: '静岡地方気象台',
    headlineText: headline,
    warning: {
      class10Items: items(WARNING_CLASS10, class10),
      class20Items: items(WARNING_CLASS20, class20),
    },
    ...extra,
    dataTypeCode,
  };
}

/**
 * The r8 list (`warning/data/r8/{office}.json`, what JMA's page reads since the 2026 reform):
 * one report per phenomenon, each with its own time, as in the real captures. 大雨 (VPWW55,
 * 大雨注意報 10) and 土砂災害 (VPWW56, 土砂災害注意報 29 around Mt. Fuji) come together every
 * 3 hours at :10 JST, so two reports share a time, and move through 発表 → 継続 → 解除 →
 * nothing in force; 波浪 (VPWW59, 波浪注意報 16 継続 on the coast) is re-issued daily at 06:10
 * and 濃霧 (VPWW61, 濃霧注意報 20 継続 at 富士宮市 and 御殿場市, with the `properties` real fog
 * reports carry) daily at 05:10, so the older reports of the list stay the same from one read
 * to the next. The first class10 area is always calm.
 */
export function r8Warnings(now: Date, office: string) {
  if (office !== '220000') return undefined;
  const at = warningReport(now);
  const rain = cycle('10', at);
  const landslide = cycle('29', at);
  const heading = (k: Kind | undefined, text: string) =>
    !k ? '' : k.status === '解除' ? '注意報を解除します。' : text;
  const mountains = new Set(['2210000', '2220700', '2221500', '2234400']);
  const wave = { code: '16', status: '継続' };
  const fog: Kind = {
    code: '20',
    status: '継続',
    properties: [
      { type: '濃霧危険度', significancyPart: { locals: [{ areaName: '陸上', code: '20' }] } },
      { type: '濃霧' },
    ],
  };
  return [
    r8Report(
      'VPWW55',
      at,
      heading(rain, '静岡県では、低い土地の浸水に注意してください。'),
      (_, i) => (i === 0 ? undefined : rain),
      () => rain,
    ),
    r8Report(
      'VPWW56',
      at,
      heading(landslide, '東部、伊豆では、土砂災害に注意してください。'),
      (_, i) => (i === 1 || i === 2 ? landslide : undefined),
      (code) => (mountains.has(code) ? landslide : undefined),
      { offices: [{ type: '気象関係', name: '静岡地方気象台' }] },
    ),
    r8Report(
      'VPWW59',
      dailyAt(now, 6, 10),
      '静岡県では、高波に注意してください。',
      (_, i) => (i === 0 ? undefined : wave),
      (_, i) => (i < 2 ? wave : undefined),
    ),
    r8Report(
      'VPWW61',
      dailyAt(now, 5, 10),
      '東部では、濃霧による視程障害に注意してください。',
      (code) => (code === '220030' ? { code: '20', status: '継続' } : undefined),
      (code) => (code === '2220700' || code === '2221500' ? fog : undefined),
    ),
  ];
}

/**
 * JMA's list of recent eruption warnings: 桜島 at level 3 re-issued daily at 11:00 JST, and
 * 富士山 (314) at level 1 at 14:00 JST, so the demo has a Mt. Fuji row; real lists leave a
 * volcano out while nothing is issued for it (neither real capture in
 * connectors/jma_volcano/fixtures/real has Mt. Fuji). Each report carries the three infos the
 * real ones do, with their codes (火口周辺警報 02 and 入山規制等 43 at level 3, 噴火予報 05 and
 * 活火山であることに留意 45 at level 1); the times move with the clock, which a fixed capture
 * cannot.
 */
export function volcanoWarnings(now: Date) {
  const latest = (hour: number) => {
    const t = jstAt(now, 0, hour);
    return t.getTime() > now.getTime() ? jstAt(now, -1, hour) : t;
  };
  const report = (
    at: Date,
    code: string,
    name: string,
    kind: [string, string],
    towns: [string, string][],
  ) => ({
    reportDatetime: jmaTime(at),
    eventId: code,
    areas: towns.map(([c]) => c),
    volcanoInfos: [
      {
        type: '噴火警報・予報（対象火山）',
        items: [
          {
            name: kind[1],
            code: kind[0],
            lastCode: kind[0],
            condition: '継続',
            areas: [{ name, code }],
          },
        ],
      },
      {
        type: '噴火警報・予報（対象市町村等）',
        items: [
          {
            name: kind[0] === '11' ? '噴火予報' : '火口周辺警報',
            code: kind[0] === '11' ? '05' : '02',
            lastCode: kind[0] === '11' ? '05' : '02',
            condition: '継続',
            areas: towns.map(([c, n]) => ({ name: n, code: c })),
          },
        ],
      },
      {
        type: '噴火警報・予報（対象市町村の防災対応等）',
        items: [
          {
            name: kind[0] === '11' ? '活火山であることに留意' : '火口周辺警報：入山規制等',
            code: kind[0] === '11' ? '45' : '43',
            lastCode: kind[0] === '11' ? '45' : '43',
            condition: '継続',
            areas: towns.map(([c, n]) => ({ name: n, code: c })),
          },
        ],
      },
    ],
  });
  return [
    report(
      latest(11),
      '506',
      '桜島',
      ['13', 'レベル３（入山規制）'],
      [['4620100', '鹿児島県鹿児島市']],
    ),
    report(
      latest(14),
      '314',
      '富士山',
      ['11', 'レベル１（活火山であることに留意）'],
      [
        ['2220700', '静岡県富士宮市'],
        ['2221500', '静岡県御殿場市'],
        ['1942900', '山梨県富士吉田市'],
      ],
    ),
  ];
}
