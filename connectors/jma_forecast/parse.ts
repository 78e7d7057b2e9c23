/**
 * Parses JMA's forecast JSON (`forecast/{office}.json`) and overview
 * (`overview_forecast/{office}.json`) into rows. Array lengths vary with the issue time
 * (05:00, 11:00, 17:00): every series is read against its own `timeDefines`, never a fixed
 * length. A broken shape throws with the URL and the JSON path.
 */
import { Json } from '#shared/http/shape.ts';
import { intFromText, numberFromText, textOrNull } from '#shared/text/normalize.ts';
import { jstDay } from '#shared/time/days.ts';

type Row = Record<string, unknown>;

export interface ForecastRows {
  readonly area: Row[];
  readonly pop: Row[];
  readonly temp: Row[];
  readonly weeklyArea: Row[];
  readonly weeklyTemp: Row[];
}

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$/;

function instant(node: Json): Date {
  const s = node.string();
  // JMA writes +09:00; a time without an offset would be read in the machine's zone: refuse it.
  if (!ISO_WITH_OFFSET.test(s))
    node.fail(`expected an ISO time with offset, got ${JSON.stringify(s)}`);
  return new Date(s);
}

/** A value of a per-time array: missing entries (shorter arrays) are null, "" is null. */
function valueAt(arr: Json | undefined, i: number): Json | undefined {
  if (!arr) return undefined;
  const items = arr.items();
  return i < items.length ? items[i] : undefined;
}

function num(node: Json | undefined, int = false): number | null {
  if (!node) return null;
  try {
    return int ? intFromText(node.string()) : numberFromText(node.string());
  } catch (err) {
    return node.fail((err as Error).message);
  }
}

function text(node: Json | undefined): string | null {
  return node ? textOrNull(node.string()) : null;
}

/** The series' time axis, checked against every array the areas carry. */
function times(series: Json, arrays: readonly string[]): Date[] {
  const t = series.get('timeDefines').items().map(instant);
  for (const area of series.get('areas').items()) {
    for (const name of arrays) {
      const a = area.opt(name);
      if (a && a.items().length > t.length) {
        a.fail(`has ${a.items().length} values for ${t.length} timeDefines`);
      }
    }
  }
  return t;
}

function areaOf(area: Json): { code: string; name: string | null } {
  const a = area.get('area');
  return { code: a.get('code').string(), name: text(a.opt('name')) };
}

function report(part: Json): Row {
  return {
    publishing_office: part.get('publishingOffice').string(),
    report_datetime: instant(part.get('reportDatetime')),
  };
}

export function parseForecast(payload: unknown, url: string): ForecastRows {
  const root = new Json(payload, url);
  const parts = root.items();
  if (parts.length < 1) root.fail('expected the short-term forecast as the first element');
  const out: ForecastRows = { area: [], pop: [], temp: [], weeklyArea: [], weeklyTemp: [] };

  const short = root.at(0);
  const base = report(short);
  const reportDay = jstDay(base.report_datetime as Date);
  const series = short.get('timeSeries');

  const s0 = series.at(0);
  const t0 = times(s0, ['weatherCodes', 'weathers', 'winds', 'waves']);
  for (const a of s0.get('areas').items()) {
    const { code, name } = areaOf(a);
    t0.forEach((t, i) => {
      out.area.push({
        ...base,
        area_code: code,
        area_name: name,
        target_date: jstDay(t),
        valid_from: t,
        weather_code: text(valueAt(a.opt('weatherCodes'), i)),
        weather_text: text(valueAt(a.opt('weathers'), i)),
        wind_text: text(valueAt(a.opt('winds'), i)),
        wave_text: text(valueAt(a.opt('waves'), i)),
      });
    });
  }

  const s1 = series.items()[1];
  if (s1) {
    const t1 = times(s1, ['pops']);
    for (const a of s1.get('areas').items()) {
      const { code, name } = areaOf(a);
      t1.forEach((t, i) => {
        out.pop.push({
          ...base,
          area_code: code,
          area_name: name,
          slot_start: t,
          pop_percent: num(valueAt(a.opt('pops'), i), true),
        });
      });
    }
  }

  const s2 = series.items()[2];
  if (s2) {
    const t2 = times(s2, ['temps']);
    for (const a of s2.get('areas').items()) {
      const { code, name } = areaOf(a);
      const byDay = new Map<string, Row>();
      t2.forEach((t, i) => {
        const day = jstDay(t);
        const row = byDay.get(day) ?? {
          ...base,
          station_code: code,
          station_name: name,
          target_date: day,
          temp_min_c: null,
          temp_max_c: null,
          temp_max_whole_day_c: null,
        };
        byDay.set(day, row);
        const v = num(valueAt(a.opt('temps'), i));
        // What the slots mean, read from real issues (fixtures/real, and a count over three
        // years of every office's issues): the 09:00 slot is the daytime maximum; the 00:00
        // slot is the morning minimum, except on the issue's own day (05:00 and 11:00 issues,
        // and corrections made on their time axes), where the morning is past and JMA gives a
        // maximum there instead: equal to the daytime one in ~97 % of issues, otherwise always
        // higher (e.g. 浜松 [15, 19, 5, 13]), so it is the whole day's maximum. Slots are
        // placed by their timeDefines, never by position: JMA writes today's 09:00 first.
        const hourJst = (t.getUTCHours() + 9) % 24;
        if (hourJst >= 9) row.temp_max_c = v;
        else if (day === reportDay) row.temp_max_whole_day_c = v;
        else row.temp_min_c = v;
      });
      out.temp.push(...byDay.values());
    }
  }

  const weekly = parts.length > 1 ? root.at(1) : undefined;
  if (weekly) {
    const wbase = report(weekly);
    const ws = weekly.get('timeSeries');
    const w0 = ws.at(0);
    const tw0 = times(w0, ['weatherCodes', 'pops', 'reliabilities']);
    for (const a of w0.get('areas').items()) {
      const { code, name } = areaOf(a);
      tw0.forEach((t, i) => {
        out.weeklyArea.push({
          ...wbase,
          area_code: code,
          area_name: name,
          target_date: jstDay(t),
          weather_code: text(valueAt(a.opt('weatherCodes'), i)),
          pop_percent: num(valueAt(a.opt('pops'), i), true),
          reliability: text(valueAt(a.opt('reliabilities'), i)),
        });
      });
    }
    const w1 = ws.items()[1];
    if (w1) {
      const fields = [
        ['tempsMin', 'temp_min_c'],
        ['tempsMinUpper', 'temp_min_upper_c'],
        ['tempsMinLower', 'temp_min_lower_c'],
        ['tempsMax', 'temp_max_c'],
        ['tempsMaxUpper', 'temp_max_upper_c'],
        ['tempsMaxLower', 'temp_max_lower_c'],
      ] as const;
      const tw1 = times(
        w1,
        fields.map(([f]) => f),
      );
      for (const a of w1.get('areas').items()) {
        const { code, name } = areaOf(a);
        tw1.forEach((t, i) => {
          const row: Row = {
            ...wbase,
            station_code: code,
            station_name: name,
            target_date: jstDay(t),
          };
          for (const [from, to] of fields) row[to] = num(valueAt(a.opt(from), i));
          out.weeklyTemp.push(row);
        });
      }
    }
  }
  return out;
}

export function parseOverview(payload: unknown, url: string, office: string): Row {
  const root = new Json(payload, url);
  return {
    office_code: office,
    ...report(root),
    target_area: text(root.opt('targetArea')),
    headline_text: text(root.opt('headlineText')),
    text: text(root.opt('text')),
  };
}
