import { CLOCK_KINDS } from '@heed/contracts';
import { escapeHtml } from '../templates';
import type { ReportGroup, SlaReport } from './aggregate';

/*
 * The report's other forms, from its JSON: a table for a terminal, CSV for a spreadsheet, and a
 * self-contained HTML page (no script, no external asset) with met % as bars, breach minutes as
 * their distribution's p50 and p90, and for a what-if each group before and after.
 */

const label = (g: ReportGroup): string =>
  Object.keys(g.key).length === 0
    ? 'whole period'
    : Object.entries(g.key)
        .map(([d, v]) => `${d}=${v}`)
        .join(' ');

const cell = (v: number | null | undefined): string => (v === null || v === undefined ? '-' : String(v));

const COLUMNS = [
  'group',
  'tickets',
  ...CLOCK_KINDS.flatMap((k) => [
    `${k} met`,
    `${k} breached`,
    `${k} running`,
    `${k} met %`,
    `${k} breach p50`,
    `${k} breach p90`,
  ]),
  'first responses',
  'first response p50 min (rule hours)',
  'first response p90 min (rule hours)',
  'first response p50 min (calendar)',
  'first response p90 min (calendar)',
  'escalations',
  'csat answered',
  'csat average',
  'surveyed',
  'survey answer rate %',
  'reopened',
  'reopen rate %',
] as const;

const rowOf = (g: ReportGroup): string[] => [
  label(g),
  String(g.tickets),
  ...CLOCK_KINDS.flatMap((k) => {
    const c = g.clocks[k];
    return [
      cell(c?.met),
      cell(c?.breached),
      cell(c?.running),
      cell(c?.metPercent),
      cell(c?.breachMinutes.p50),
      cell(c?.breachMinutes.p90),
    ];
  }),
  String(g.firstResponse.answered),
  cell(g.firstResponse.businessMinutes.p50),
  cell(g.firstResponse.businessMinutes.p90),
  cell(g.firstResponse.calendarMinutes.p50),
  cell(g.firstResponse.calendarMinutes.p90),
  Object.entries(g.escalations)
    .map(([r, n]) => `${r}:${n}`)
    .join(' ') || '-',
  String(g.csat.answered),
  cell(g.csat.average),
  String(g.csat.surveyed),
  cell(g.csat.answerRate),
  String(g.reopened),
  cell(g.reopenRate),
];

/** Comma-separated, one row per group, quoted where needed (RFC 4180). */
export const reportCsv = (report: SlaReport): string => {
  const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  return `${[COLUMNS as readonly string[], ...report.groups.map(rowOf)].map((r) => r.map(quote).join(',')).join('\n')}\n`;
};

/** A terminal table: the first response and resolution clocks, the rest in the CSV and JSON. */
export const reportTable = (report: SlaReport): string => {
  const head = [
    'group',
    'tickets',
    'first response met %',
    'breach p50/p90',
    'resolution met %',
    'escalations',
    'csat',
    'reopened',
  ];
  const rows = report.groups.map((g) => {
    const fr = g.clocks.first_response;
    const res = g.clocks.resolution;
    return [
      label(g),
      String(g.tickets),
      fr ? `${cell(fr.metPercent)} (${fr.met}/${fr.met + fr.breached})` : '-',
      fr ? `${cell(fr.breachMinutes.p50)}/${cell(fr.breachMinutes.p90)} min` : '-',
      res ? `${cell(res.metPercent)} (${res.met}/${res.met + res.breached})` : '-',
      String(Object.values(g.escalations).reduce((a, b) => a + b, 0)),
      g.csat.average === null ? '-' : `${g.csat.average} (${g.csat.answered})`,
      String(g.reopened),
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) =>
    r
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return `${report.from} – ${report.to}${report.by.length ? ` by ${report.by.join(', ')}` : ''}\n${[head, ...rows].map(line).join('\n')}\n`;
};

const bar = (percent: number | null, className: string): string =>
  percent === null
    ? '<span class="none">no outcome yet</span>'
    : `<span class="bar ${className}" style="width:${Math.max(0, Math.min(100, percent))}%"></span><span class="v">${percent}%</span>`;

const section = (title: string, report: SlaReport, compare?: SlaReport): string => {
  const other = new Map((compare?.groups ?? []).map((g) => [JSON.stringify(g.key), g]));
  const rows = report.groups
    .map((g) => {
      const was = other.get(JSON.stringify(g.key));
      const kinds = CLOCK_KINDS.filter((k) => g.clocks[k] || was?.clocks[k]);
      return `<tr><th scope="row">${escapeHtml(label(g))}<small>${g.tickets} tickets</small></th><td>${kinds
        .map((k) => {
          const c = g.clocks[k];
          const before = was?.clocks[k];
          return `<div class="clock"><span class="k">${k.replace('_', ' ')}</span>${
            compare ? `<div class="row before">${bar(before?.metPercent ?? null, 'was')}</div>` : ''
          }<div class="row">${bar(c?.metPercent ?? null, 'is')}</div><div class="dist" title="breach minutes">${
            c?.breachMinutes.p50 == null
              ? 'no breach'
              : `breach p50 ${c.breachMinutes.p50} · p90 ${cell(c.breachMinutes.p90)} min`
          }</div></div>`;
        })
        .join('')}</td></tr>`;
    })
    .join('');
  return `<section><h2>${escapeHtml(title)}</h2><table><thead><tr><th scope="col">group</th><th scope="col">met % per clock${
    compare ? ' (grey: today, colour: proposed)' : ''
  }</th></tr></thead><tbody>${rows}</tbody></table></section>`;
};

/** A self-contained page: the report, or a what-if's after beside its before. */
export const reportHtml = (report: SlaReport, before?: SlaReport): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Heed SLA report ${escapeHtml(report.from)} – ${escapeHtml(report.to)}</title>
<style>
body{font:15px/1.4 system-ui,sans-serif;margin:0;padding:16px;color:#1d1d1f;max-width:960px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:17px;margin:24px 0 8px}
table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:8px 6px;border-top:1px solid #ddd}
th small{display:block;font-weight:normal;color:#666}
.clock{margin:0 0 10px}.k{display:block;font-size:13px;color:#444}
.row{display:flex;align-items:center;gap:8px;height:18px}
.bar{display:inline-block;height:14px;border-radius:3px;background:#2b7a3d}.bar.was{background:#b9b9b9}
.v{font-variant-numeric:tabular-nums;font-size:13px}.none{font-size:13px;color:#888}
.dist{font-size:12px;color:#666}
</style></head><body>
<h1>SLA report</h1><p>${escapeHtml(report.from)} – ${escapeHtml(report.to)}${report.by.length ? `, by ${escapeHtml(report.by.join(', '))}` : ''}</p>
${before ? section('What if: the proposed configuration against today', report, before) : section('How promises were kept', report)}
</body></html>
`;
