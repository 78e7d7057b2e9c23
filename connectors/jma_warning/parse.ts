/**
 * Parses JMA's warning JSON (`bosai/warning/data/warning/{office}.json`, any office): the
 * report's time, office and headline, then `areaTypes[0]` (class10 areas) and `areaTypes[1]`
 * (municipalities, class20) with each area's kinds and statuses. `timeSeries` (the outlook of
 * coming hours) is not the state in force and is not read.
 *
 * An area with nothing in force is written as `{"status": "発表警報・注意報はなし"}` without a
 * code: it becomes a row with code `00`, so history says "calm" and not "no data". One area
 * that breaks its shape is rejected alone (quarantined with its path); a payload that is not
 * this shape at all (the array JMA serves at `warning/data/r8/…` since 2026) fails naming the
 * URL.
 */
import { Json } from '#shared/http/shape.ts';
import { fullName } from '#shared/model/table.ts';
import { eachRecord } from '#shared/runtime/records.ts';
import { textOrNull } from '#shared/text/normalize.ts';
import { warningLevel, warningName } from './codes.ts';
import { jmaWarnings } from './tables.ts';

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$/;
const AREA_CLASSES = ['class10', 'class20'] as const;

/** An instant only with its offset: a bare time would be read in the machine's zone. */
export function jmaInstant(node: Json): Date {
  const s = node.string();
  if (!ISO_WITH_OFFSET.test(s))
    node.fail(`expected an ISO time with offset, got ${JSON.stringify(s)}`);
  return new Date(s);
}

function areaRows(
  area: Json,
  report: Record<string, unknown>,
  areaClass: string,
): Record<string, unknown>[] {
  const code = area.get('code').string();
  if (!/^\d{6,7}$/.test(code)) area.get('code').fail('expected a 6- or 7-digit area code');
  return area
    .get('warnings')
    .items()
    .map((w) => {
      const kind = w.opt('code')?.string() ?? '00';
      const name = warningName(kind);
      return {
        ...report,
        area_code: code,
        area_class: areaClass,
        warning_code: kind,
        warning_name_ja: name?.ja ?? null,
        warning_name_en: name?.en ?? null,
        warning_level: warningLevel(kind),
        status: w.get('status').string(),
      };
    });
}

export function parseWarnings(payload: unknown, url: string, office: string) {
  const root = new Json(payload, url);
  if (typeof root.value !== 'object' || root.value === null || Array.isArray(root.value))
    root.fail('expected an object with reportDatetime and areaTypes (warning/{office}.json)');
  const report = {
    office_code: office,
    report_datetime: jmaInstant(root.get('reportDatetime')),
    publishing_office: root.get('publishingOffice').string(),
    headline_text: textOrNull(root.opt('headlineText')?.string() ?? ''),
  };
  const types = root.get('areaTypes').items();
  if (types.length > AREA_CLASSES.length)
    root.get('areaTypes').fail(`expected class10 and class20 areas, got ${types.length} groups`);
  const read = types.map((t, i) =>
    eachRecord(t.get('areas').items(), fullName(jmaWarnings), (a) =>
      areaRows(a, report, AREA_CLASSES[i]!),
    ),
  );
  return {
    rows: read.flatMap((r) => r.values.flat()),
    rejected: read.flatMap((r) => r.rejected),
  };
}
