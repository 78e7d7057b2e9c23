/**
 * Parses JMA's eruption warning list (`bosai/volcano/data/warning.json`): an array of recent
 * reports, each with `reportDatetime`, `eventId`, the municipalities concerned (`areas`) and
 * `volcanoInfos`. The volcano and its level are in the info of type 噴火警報・予報（対象火山）:
 * one item per kind, naming its volcanoes in `areas`. Alert levels are the kind codes 11–15
 * (レベル1–5); other kinds (火口周辺警報 of a volcano without levels, …) keep a NULL level.
 *
 * One report that breaks its shape, or has no 対象火山 info, is rejected alone (quarantined
 * with its path); a payload that is not a list fails naming the URL.
 */
import { Json } from '#shared/http/shape.ts';
import { fullName } from '#shared/model/table.ts';
import { eachRecord } from '#shared/runtime/records.ts';
import { jmaInstant } from '../jma_warning/parse.ts';
import { jmaVolcanoAlerts } from './tables.ts';

const TARGET = '噴火警報・予報（対象火山）';

/** The alert level of a kind: codes 11–15 are レベル１…５ in JMA's code table (fixtures/real). */
export function levelOf(code: string): number | null {
  const n = /^1([1-5])$/.exec(code);
  return n ? Number(n[1]) : null;
}

function reportRows(report: Json) {
  const base = {
    report_datetime: jmaInstant(report.get('reportDatetime')),
    event_id: report.opt('eventId')?.string() ?? null,
    municipality_codes: (report.opt('areas')?.strings() ?? []).join(',') || null,
  };
  const infos = report.get('volcanoInfos').items();
  const target =
    infos.find((i) => i.get('type').string() === TARGET) ??
    report.get('volcanoInfos').fail(`no info of type ${TARGET}`);
  return target
    .get('items')
    .items()
    .flatMap((item) => {
      const code = item.get('code').string();
      return item
        .get('areas')
        .items()
        .map((v) => ({
          ...base,
          volcano_code: v.get('code').string(),
          volcano_name: v.opt('name')?.string() ?? null,
          warning_code: code,
          warning_name: item.opt('name')?.string() ?? null,
          alert_level: levelOf(code),
          last_warning_code: item.opt('lastCode')?.string() ?? null,
          condition: item.opt('condition')?.string() ?? null,
        }));
    });
}

export function parseVolcanoWarnings(payload: unknown, url: string) {
  const root = new Json(payload, url);
  if (!Array.isArray(root.value)) root.fail('expected the list of eruption warning reports');
  const { values, rejected } = eachRecord(root.items(), fullName(jmaVolcanoAlerts), reportRows);
  return { rows: values.flat(), rejected };
}
