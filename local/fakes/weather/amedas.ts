/**
 * AMeDAS per-station 3-hour files, generated deterministically from station and time: records
 * every 10 minutes keyed "YYYYMMDDHHmmss" (JST), elements as [value, quality flag], extremes'
 * times as {hour, minute} in UTC, and only the elements each station really observes.
 */
const JST = 9 * 3_600_000;
const TEN_MIN = 600_000;

const STATIONS: Record<string, { base: number; elements: readonly string[] }> = {
  // The summit: temperature, humidity, pressure and summer sunshine; no wind, no precipitation.
  '50066': {
    base: 6,
    elements: ['temp', 'humidity', 'pressure', 'sun10m', 'sun1h', 'maxTemp', 'minTemp'],
  },
  '50136': {
    base: 22,
    elements: [
      'temp',
      'precipitation10m',
      'precipitation1h',
      'precipitation3h',
      'precipitation24h',
      'wind',
      'windDirection',
      'sun10m',
      'sun1h',
      'maxTemp',
      'minTemp',
    ],
  },
  '50196': {
    base: 27,
    elements: [
      'temp',
      'humidity',
      'precipitation10m',
      'precipitation1h',
      'precipitation3h',
      'precipitation24h',
      'wind',
      'windDirection',
      'gust',
      'gustDirection',
      'sun10m',
      'sun1h',
      'maxTemp',
      'minTemp',
    ],
  },
  '50056': {
    base: 0,
    elements: ['precipitation10m', 'precipitation1h', 'precipitation3h', 'precipitation24h'],
  },
  '50206': {
    base: 27,
    elements: [
      'temp',
      'humidity',
      'pressure',
      'normalPressure',
      'precipitation10m',
      'precipitation1h',
      'precipitation3h',
      'precipitation24h',
      'wind',
      'windDirection',
      'gust',
      'gustDirection',
      'sun10m',
      'sun1h',
      'maxTemp',
      'minTemp',
    ],
  },
};

function hash(...parts: number[]): number {
  let h = 2166136261;
  for (const p of parts) h = Math.imul(h ^ p, 16777619) >>> 0;
  return h;
}

function value(el: string, station: string, t: number, base: number): number {
  const r = (hash(Number(station), t / TEN_MIN, el.length) % 1000) / 1000;
  const hourJst = new Date(t + JST).getUTCHours();
  const diurnal = Math.sin(((hourJst - 8) / 24) * 2 * Math.PI) * 4;
  switch (el) {
    case 'temp':
    case 'maxTemp':
    case 'minTemp':
      return (
        Math.round((base + diurnal + (el === 'maxTemp' ? 3 : el === 'minTemp' ? -3 : 0) + r) * 10) /
        10
      );
    case 'humidity':
      return Math.round(60 + r * 35);
    case 'pressure':
      return Math.round((station === '50066' ? 638 : 1008) * 10 + r * 30) / 10;
    case 'normalPressure':
      return Math.round(10090 + r * 30) / 10;
    case 'wind':
    case 'gust':
      return Math.round((el === 'gust' ? 4 : 1.5) * (1 + r) * 10) / 10;
    case 'windDirection':
    case 'gustDirection':
      return 1 + (hash(t, 7) % 16);
    case 'sun10m':
      return hourJst >= 5 && hourJst < 19 ? Math.round(r * 10) : 0;
    case 'sun1h':
      return hourJst >= 5 && hourJst < 19 ? Math.round(r * 10) / 10 : 0;
    default:
      // precipitation: mostly dry, an occasional shower
      return r > 0.9 ? Math.round(r * 20) / 10 : 0;
  }
}

export function amedasKey(t: Date): string {
  const j = new Date(t.getTime() + JST).toISOString();
  return `${j.slice(0, 4)}${j.slice(5, 7)}${j.slice(8, 10)}${j.slice(11, 13)}${j.slice(14, 16)}00`;
}

export type Revisions = Map<string, { value: number | null; flag: number }>;

/** Records of the 3-hour block starting at `blockStart`, up to `now`; undefined for the future. */
export function pointBlock(station: string, blockStart: Date, now: Date, revisions: Revisions) {
  const s = STATIONS[station];
  if (!s || blockStart.getTime() > now.getTime()) return undefined;
  const out: Record<string, Record<string, unknown>> = {};
  for (
    let t = blockStart.getTime();
    t < blockStart.getTime() + 3 * 3_600_000 && t <= now.getTime();
    t += TEN_MIN
  ) {
    const key = amedasKey(new Date(t));
    const rec: Record<string, unknown> = {
      prefNumber: 50,
      observationNumber: Number(station.slice(2)),
    };
    for (const el of s.elements) {
      const rev = revisions.get(`${station}/${key}/${el}`);
      // Every 37th record of an element is quasi-normal (flag 1) or missing (flag 5).
      const n = hash(t / TEN_MIN, el.charCodeAt(0)) % 37;
      const flag = rev?.flag ?? (n === 0 ? 1 : n === 1 ? 5 : 0);
      const v = rev ? rev.value : flag === 5 ? null : value(el, station, t, s.base);
      rec[el] = [v, flag];
    }
    // As real files show: on the hour, stations without a snow gauge (all five here) send
    // snowfall as [0, null]; the other records leave the keys out.
    if (new Date(t).getUTCMinutes() === 0)
      for (const el of ['snow1h', 'snow6h', 'snow12h', 'snow24h']) rec[el] = [0, null];
    const utc = new Date(t);
    if (s.elements.includes('maxTemp')) {
      rec.maxTempTime = { hour: (utc.getUTCHours() + 23) % 24, minute: 10 };
      rec.minTempTime = { hour: 20, minute: 40 }; // 05:40 JST, the morning minimum
    }
    if (s.elements.includes('gust')) rec.gustTime = { hour: utc.getUTCHours(), minute: 0 };
    out[key] = rec;
  }
  return out;
}
