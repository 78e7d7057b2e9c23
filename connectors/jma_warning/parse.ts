/**
 * Parses JMA's warning JSON for one office, in either of the two shapes JMA has served; the
 * shape tells them apart:
 *
 * - **r8** (`bosai/warning/data/r8/{office}.json`, what JMA's page reads since the 2026
 *   reform): a list of reports, one per phenomenon (`dataTypeCode` VPWW55 大雨, 56 土砂災害,
 *   58 風, 59 波浪, 61 濃霧), each with its own `reportDatetime`, `controlDatetime` (UTC),
 *   `infoType`, headline and `warning.class10Items` / `class20Items` of
 *   `{areaCode, kinds: [{code?, status, properties?}]}`. The state of an area is the union over
 *   the list: the newest report is not the only one in force. `properties` (e.g. 濃霧危険度)
 *   and `offices` are not read.
 * - **legacy** (`bosai/warning/data/warning/{office}.json`, no longer updated since late May
 *   2026): one object, `areaTypes[0]` class10 areas and `areaTypes[1]` municipalities (class20)
 *   with `warnings`; its rows have data type `legacy`. `timeSeries` (the outlook of coming
 *   hours) is not the state in force and is not read.
 *
 * In both, an area with nothing in force is written as `{"status": "発表警報・注意報はなし"}`
 * without a code: it becomes a row with code `00`, so history says "calm" and not "no data"
 * (in r8: calm for that report's phenomenon). One report or area that breaks its shape is
 * rejected alone (quarantined with its path and reason); a payload of neither shape fails
 * naming the URL.
 */
import { Json } from '#shared/http/shape.ts';
import { fullName } from '#shared/model/table.ts';
import { eachRecord } from '#shared/runtime/records.ts';
import type { SourceRejection } from '#shared/runtime/connector.ts';
import { textOrNull } from '#shared/text/normalize.ts';
import { warningLevel, warningName } from './codes.ts';
import { jmaWarnings } from './tables.ts';

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$/;
const LEGACY_CLASSES = ['class10', 'class20'] as const;
/** r8's two area lists: member, class, and the digits of its area codes. */
const R8_CLASSES = [
  ['class10Items', 'class10', 6],
  ['class20Items', 'class20', 7],
] as const;
const DATA_TYPE = /^[A-Z]{4}\d{2}$/;

/** The data type of rows read from the legacy document, which names none. */
export const LEGACY_DATA_TYPE = 'legacy';

type Row = Record<string, unknown>;

export interface WarningsRead {
  readonly rows: Row[];
  readonly rejected: SourceRejection[];
}

/** An instant only with its offset: a bare time would be read in the machine's zone. */
export function jmaInstant(node: Json): Date {
  const s = node.string();
  if (!ISO_WITH_OFFSET.test(s))
    node.fail(`expected an ISO time with offset, got ${JSON.stringify(s)}`);
  return new Date(s);
}

/** One area's kinds as rows; a kind named twice would collide on the key, so it fails. */
function kindRows(kinds: Json, report: Row, areaCode: string, areaClass: string): Row[] {
  const seen = new Set<string>();
  return kinds.items().map((k) => {
    const codeNode = k.opt('code');
    const kind = codeNode?.string() ?? '00';
    if (codeNode && !/^\d{2}$/.test(kind)) codeNode.fail('expected a 2-digit kind code');
    if (seen.has(kind)) k.fail(`kind ${kind} is listed twice for area ${areaCode}`);
    seen.add(kind);
    const name = warningName(kind);
    return {
      ...report,
      area_code: areaCode,
      area_class: areaClass,
      warning_code: kind,
      warning_name_ja: name?.ja ?? null,
      warning_name_en: name?.en ?? null,
      warning_level: warningLevel(kind),
      status: k.get('status').string(),
    };
  });
}

function legacyAreaRows(area: Json, report: Row, areaClass: string): Row[] {
  const code = area.get('code').string();
  if (!/^\d{6,7}$/.test(code)) area.get('code').fail('expected a 6- or 7-digit area code');
  return kindRows(area.get('warnings'), report, code, areaClass);
}

function parseLegacy(root: Json, office: string): WarningsRead {
  const report = {
    office_code: office,
    report_datetime: jmaInstant(root.get('reportDatetime')),
    data_type_code: LEGACY_DATA_TYPE,
    control_datetime: null,
    info_type: null,
    publishing_office: root.get('publishingOffice').string(),
    headline_text: textOrNull(root.opt('headlineText')?.string() ?? ''),
  };
  const types = root.get('areaTypes').items();
  if (types.length > LEGACY_CLASSES.length)
    root.get('areaTypes').fail(`expected class10 and class20 areas, got ${types.length} groups`);
  const read = types.map((t, i) =>
    eachRecord(t.get('areas').items(), fullName(jmaWarnings), (a) =>
      legacyAreaRows(a, report, LEGACY_CLASSES[i]!),
    ),
  );
  return {
    rows: read.flatMap((r) => r.values.flat()),
    rejected: read.flatMap((r) => r.rejected),
  };
}

/** One r8 report: its header, then each area alone (a broken area costs only itself). */
function r8Report(node: Json, office: string, seen: Set<string>): WarningsRead {
  const typeNode = node.get('dataTypeCode');
  const dataType = typeNode.string();
  if (!DATA_TYPE.test(dataType)) typeNode.fail('expected a data type code such as VPWW55');
  const control = node.opt('controlDatetime');
  const report = {
    office_code: office,
    report_datetime: jmaInstant(node.get('reportDatetime')),
    data_type_code: dataType,
    control_datetime: control ? jmaInstant(control) : null,
    info_type: node.opt('infoType')?.string() ?? null,
    publishing_office: node.opt('publishingOffice')?.string() ?? null,
    headline_text: textOrNull(node.opt('headlineText')?.string() ?? ''),
  };
  // Two reports of one type and time would write the same keys: the later one is refused.
  const id = `${dataType} ${report.report_datetime.toISOString()}`;
  if (seen.has(id))
    node.fail(`a second report ${dataType} at ${node.get('reportDatetime').string()}`);
  seen.add(id);
  const warning = node.get('warning');
  const lists = R8_CLASSES.map(([member, cls, digits]) => ({
    list: warning.opt(member),
    cls,
    digits,
  }));
  if (lists.every((l) => l.list === undefined))
    warning.fail('expected class10Items or class20Items');
  const read = lists.map(({ list, cls, digits }) =>
    eachRecord(list?.items() ?? [], fullName(jmaWarnings), (item) => {
      const codeNode = item.get('areaCode');
      const code = codeNode.string();
      if (!new RegExp(`^\\d{${digits}}$`).test(code))
        codeNode.fail(`expected a ${digits}-digit ${cls} area code`);
      return kindRows(item.get('kinds'), report, code, cls);
    }),
  );
  return {
    rows: read.flatMap((r) => r.values.flat()),
    rejected: read.flatMap((r) => r.rejected),
  };
}

function parseR8(root: Json, office: string): WarningsRead {
  const seen = new Set<string>();
  const read = eachRecord(root.items(), fullName(jmaWarnings), (r) => r8Report(r, office, seen));
  return {
    rows: read.values.flatMap((v) => v.rows),
    rejected: [...read.rejected, ...read.values.flatMap((v) => v.rejected)],
  };
}

export function parseWarnings(payload: unknown, url: string, office: string): WarningsRead {
  const root = new Json(payload, url);
  if (Array.isArray(root.value)) return parseR8(root, office);
  const v = root.value;
  if (typeof v === 'object' && v !== null && 'areaTypes' in v) return parseLegacy(root, office);
  return root.fail(
    'expected a list of reports (warning/data/r8/{office}.json) or an object with reportDatetime and areaTypes (warning/data/warning/{office}.json)',
  );
}
