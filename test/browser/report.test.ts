/// <reference lib="dom" />
import { finishReport, type ReportPartial, reportHtml, type SlaReport } from '@heed/core';
import { describe, expect, it } from 'vitest';
import { chromiumAvailable, phoneBrowser } from '../support/chromium';

/**
 * The SLA report as a self-contained page (`--format html`), in a real browser: met % as bars
 * whose widths are the numbers, breach minutes as their p50 and p90, a what-if's before beside
 * its after; it fits a 360 px phone and loads nothing from anywhere. Screenshots go to
 * test-results/pages/.
 */

/** A report of two groups, made by the same code as the real one (from a partial). */
const reportWith = (billingMet: number, supportMet: number): SlaReport => {
  const clock = (met: number, breached: number) => ({
    started: met + breached,
    met,
    breached,
    running: 0,
    cancelled: 0,
    breachMinutes: (breached > 0 ? { '12': 1, '95': breached - 1 } : {}) as Record<string, number>,
  });
  const group = (key: Record<string, string>, met: number, breached: number) => ({
    key,
    tickets: met + breached,
    clocks: { first_response: clock(met, breached), resolution: clock(met + breached, 0) },
    escalations: { sla: breached },
    csatAnswered: 1,
    csatSum: 4,
    surveyed: 2,
    surveysAnswered: 1,
    reopened: 0,
    firstResponseBusiness: { '30': met + breached },
    firstResponseCalendar: { '30': met + breached },
  });
  const partial: ReportPartial = {
    groups: {
      '{}': group({}, billingMet + supportMet, 20 - billingMet - supportMet),
      '{"group":"billing"}': group({ group: 'billing' }, billingMet, 10 - billingMet),
      '{"group":"support"}': group({ group: 'support' }, supportMet, 10 - supportMet),
    },
  };
  return finishReport(partial, {
    from: '2026-11-01T00:00:00.000Z',
    to: '2026-12-01T00:00:00.000Z',
    by: ['group'],
  });
};

const phone = phoneBrowser();

const open = async (html: string, shot: string) => {
  const page = await phone.page();
  const requests: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith('data:') && r.url() !== 'about:blank') requests.push(r.url());
  });
  await page.setContent(html, { waitUntil: 'load' });
  const facts = await page.evaluate(() => ({
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    rows: [...document.querySelectorAll('tbody tr')].map((tr) => ({
      label: (tr.querySelector('th')?.firstChild?.textContent ?? '').trim(),
      bars: [...tr.querySelectorAll('.bar')].map((b) => {
        const box = b.getBoundingClientRect();
        const track = (b.parentElement as HTMLElement).getBoundingClientRect();
        return {
          cls: b.className,
          share: Math.round((box.width / track.width) * 100),
          text: b.nextElementSibling?.textContent,
        };
      }),
      dist: [...tr.querySelectorAll('.dist')].map((d) => d.textContent),
    })),
  }));
  await phone.screenshot(page, shot);
  await page.close();
  return { ...facts, requests };
};

describe.skipIf(!chromiumAvailable)('the SLA report page', () => {
  it('shows met % per group as bars of that width and breach minutes as p50 and p90, on a phone', async () => {
    const { overflow, rows, requests } = await open(reportHtml(reportWith(9, 4)), 'report-360.png');
    expect(overflow).toBe(0);
    expect(requests).toEqual([]);
    expect(rows.map((r) => r.label)).toEqual(['whole period', 'group=billing', 'group=support']);
    const firstResponse = rows.map((r) => r.bars[0]);
    expect(firstResponse.map((b) => b?.text)).toEqual(['65%', '90%', '40%']);
    // The bar's share of its track is the number (the label beside it takes the rest).
    const shares = firstResponse.map((b) => b?.share ?? 0);
    expect(shares[1]).toBeGreaterThan(shares[0] as number);
    expect(shares[0]).toBeGreaterThan(shares[2] as number);
    expect(rows[2]?.dist[0]).toBe('breach p50 95 · p90 95 min');
  });

  it("sets a what-if's proposed bars beside today's", async () => {
    const { overflow, rows } = await open(
      reportHtml(reportWith(10, 8), reportWith(9, 4)),
      'report-whatif-360.png',
    );
    expect(overflow).toBe(0);
    const support = rows.find((r) => r.label === 'group=support');
    expect(support?.bars.slice(0, 2).map((b) => [b.cls, b.text])).toEqual([
      ['bar was', '40%'],
      ['bar is', '80%'],
    ]);
  });
});
