/**
 * The report as one self-contained HTML file: styles, data and the chart library inline, no
 * request at view time (it opens from file://). Each chart is drawn in the browser by Observable
 * Plot from the same rows as the table beside it; labels are Japanese and English.
 */
import type { Doc } from '../model/table.ts';
import { jstText, utcText } from '../time/display.ts';
import type { Page, Report, Section } from './sections.ts';

const esc = (s: string) =>
  s
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');

/** JSON inside <script>: nothing in it may close the element. */
const scriptJson = (v: unknown) =>
  JSON.stringify(v)
    .replaceAll('<', '\\u003c')
    .replaceAll('\u2028', '\\u2028')
    .replaceAll('\u2029', '\\u2029');

const both = (d: Doc) => `<span lang="ja">${esc(d.ja)}</span> <span lang="en">${esc(d.en)}</span>`;

function table(s: Section): string {
  const head = s.columns
    .map(
      (c) => `<th${c.numeric ? ' class="num"' : ''} data-key="${esc(c.key)}">${both(c.label)}</th>`,
    )
    .join('');
  const body = s.rows
    .map(
      (r) =>
        `<tr>${r
          .map((v, i) => {
            const num = s.columns[i]?.numeric ? ' class="num"' : '';
            if (v === null) return `<td${num} data-null="true">–</td>`;
            const state = s.columns[i]?.key === 'state' ? ` data-state="${esc(v)}"` : '';
            return `<td${num}${state}>${esc(v)}</td>`;
          })
          .join('')}</tr>`,
    )
    .join('\n');
  const empty = s.rows.length === 0 ? `<p class="empty">データなし / No data</p>` : '';
  return `<table data-table="${esc(s.id)}"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>${empty}`;
}

function section(s: Section): string {
  const chart = s.chart
    ? `<div class="chart" data-chart="${esc(s.id)}" role="img" aria-label="${esc(s.title.en)}"></div>`
    : '';
  return `<section class="block" id="${esc(s.id)}">
<h3>${both(s.title)}</h3>
${s.note ? `<p class="note">${both(s.note)}</p>` : ''}
<div class="${s.chart ? 'pair' : 'single'}">${chart}<div class="numbers">${table(s)}</div></div>
${s.sql ? `<details><summary>SQL</summary><pre>${esc(s.sql)}</pre></details>` : ''}
</section>`;
}

function page(p: Page): string {
  return `<main class="page" id="page-${p.id}"><h2>${both(p.title)}</h2>
${p.sections.map(section).join('\n')}</main>`;
}

const STYLE = `
body{font-family:system-ui,"Hiragino Sans","Noto Sans CJK JP",sans-serif;margin:0 1.5rem 3rem;color:#1b1f24}
header{border-bottom:1px solid #ccd;padding:.8rem 0}nav a{margin-right:1.2rem}
h1{font-size:1.35rem;margin:.2rem 0}h2{font-size:1.2rem;margin-top:2rem}h3{font-size:1rem;margin:1.6rem 0 .3rem}
span[lang=en]{color:#556}h3 span[lang=en]::before,th span[lang=en]::before{content:"/ "}
th span[lang=en]{display:block;font-weight:normal;font-size:.75rem}
.note{font-size:.85rem;color:#445;margin:.2rem 0 .6rem}.note span[lang=en]{display:block}
.pair{display:grid;grid-template-columns:minmax(420px,1fr) minmax(320px,1fr);gap:1.2rem;align-items:start}
.numbers{max-height:26rem;overflow:auto}
table{border-collapse:collapse;font-size:.8rem}th,td{border-bottom:1px solid #e3e6ea;padding:.2rem .5rem;text-align:left;vertical-align:top}
th{position:sticky;top:0;background:#f5f7fa}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td[data-null]{color:#99a}.empty{color:#778;font-size:.85rem}
details pre{white-space:pre-wrap;font-size:.72rem;background:#f5f7fa;padding:.5rem}
.chart figure{margin:0}
td[data-state=fresh]{color:#16794a}td[data-state=late]{color:#a86400}td[data-state=stale],td[data-state=failing]{color:#b3261e;font-weight:600}
`;

/** Draws every chart from its rows; a chart that fails says so where it would be, and logs. */
const DRAW = `
(function () {
  var specs = JSON.parse(document.getElementById('fuji-charts').textContent);
  specs.forEach(function (s) {
    var el = document.querySelector('[data-chart="' + s.id + '"]');
    var c = s.chart;
    var label = {};
    s.columns.forEach(function (col) { label[col.key] = col.label.ja + ' / ' + col.label.en; });
    var index = {};
    s.columns.forEach(function (col, i) { index[col.key] = i; });
    // Days on a band scale as dates, not text: Plot warns about date-like strings there.
    var dayBand = c.xType === 'band' && s.rows.every(function (r) { return /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(r[index[c.x]]); });
    var xOf = function (v) {
      if (c.xType === 'date' || dayBand) return new Date(v + 'T00:00:00Z');
      if (c.xType === 'linear') return Number(v);
      return v;
    };
    var points = [];
    s.rows.forEach(function (r) {
      c.ys.forEach(function (y) {
        var v = r[index[y]];
        var name = c.ys.length > 1 || !c.series ? label[y] : '';
        var series = c.series ? r[index[c.series]] + (name ? ' · ' + name : '') : name;
        points.push({ x: xOf(r[index[c.x]]), y: v === null ? null : Number(v), series: series });
      });
    });
    if (points.length === 0) { el.textContent = 'データなし / No data'; return; }
    var opts = { x: 'x', y: 'y' };
    var mark = c.mark === 'bar'
      ? Plot.barY(points, Object.assign({ fill: 'series', tip: true }, opts))
      : c.mark === 'dot'
        ? Plot.dot(points, Object.assign({ stroke: 'series', tip: true }, opts))
        : Plot.lineY(points, Object.assign({ stroke: 'series', marker: 'circle', tip: true }, opts));
    var svg = Plot.plot({
      width: 640, height: 320, marginLeft: 56, marginBottom: c.xType === 'band' ? 70 : 36,
      x: c.xType === 'band'
        ? Object.assign({ type: 'band', label: label[c.x], tickRotate: -30 }, dayBand ? { tickFormat: d3.utcFormat('%Y-%m-%d') } : {})
        : c.xType === 'linear'
          ? { label: label[c.x], ticks: Array.from(new Set(points.map(function (p) { return p.x; }))) }
          : { label: label[c.x] },
      y: { label: c.yLabel.ja + ' / ' + c.yLabel.en, grid: true, zero: c.mark === 'bar' },
      color: { legend: true },
      marks: [mark].concat(c.mark === 'bar' ? [Plot.ruleY([0])] : []),
    });
    el.append(svg);
    el.dataset.drawn = String(points.length);
  });
})();
`;

/**
 * @example
 * writeFileSync('report.html', renderReport(await buildReport(input), chartLibrary()));
 */
export function renderReport(report: Report, chartLibrary: string): string {
  const charts = report.pages
    .flatMap((p) => p.sections)
    .filter((s) => s.chart)
    .map((s) => ({ id: s.id, chart: s.chart, columns: s.columns, rows: s.rows }));
  const at = report.generatedAt;
  return `<!doctype html>
<html lang="ja"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>fuji-etl レポート / report ${esc(jstText(at))}</title>
<style>${STYLE}</style></head>
<body>
<header><h1>富士山 登山データ基盤 レポート <span lang="en">/ Mt. Fuji data platform report</span></h1>
<p class="note">作成 / Generated: ${esc(jstText(at))} (${esc(utcText(at))})</p>
<nav>${report.pages.map((p) => `<a href="#page-${p.id}">${both(p.title)}</a>`).join('')}</nav></header>
${report.pages.map(page).join('\n')}
<script>${chartLibrary}</script>
<script type="application/json" id="fuji-charts">${scriptJson(charts)}</script>
<script>${DRAW}</script>
</body></html>
`;
}
