import { readFileSync } from 'node:fs';
import { SlaReportSchema, validateInboundEvent } from '@heed/contracts';
import { describe, expect, it } from 'vitest';

/*
 * docs/helpdesks.md: every recipe's body, rendered from a fixture of the values that product's
 * placeholders take, is an event intake accepts; ids are the product's own and never shared by
 * two recipes of one product.
 */

const page = readFileSync(new URL('../../docs/helpdesks.md', import.meta.url), 'utf8');
const recipes = [...page.matchAll(/<!-- recipe: (\w+) ([\w-]+) -->\n```json\n([\s\S]*?)\n```/g)].map((m) => ({
  product: m[1] as string,
  name: m[2] as string,
  body: m[3] as string,
}));
const fixture = (product: string): Record<string, string> =>
  JSON.parse(readFileSync(new URL(`../fixtures/recipes/${product}.json`, import.meta.url), 'utf8'));
/** What a placeholder looks like in each product: Liquid or smart values `{{…}}`, Zammad `#{…}`. */
const PLACEHOLDER = /\{\{.*?\}\}|#\{[^}]*\}/;

const render = (body: string, values: Record<string, string>): string => {
  let out = body;
  // Longest first: a token may contain a shorter one.
  for (const key of Object.keys(values).sort((a, b) => b.length - a.length))
    out = out.replaceAll(key, values[key] as string);
  return out;
};

describe('helpdesk recipes (docs/helpdesks.md)', () => {
  it('cover Zendesk, Freshdesk, Zammad and Jira: opened, agent and customer replies, solved', () => {
    for (const product of ['zendesk', 'freshdesk', 'zammad', 'jira'])
      expect(
        recipes.filter((r) => r.product === product).map((r) => r.name),
        product,
      ).toEqual(['opened', 'agent-replied', 'customer-replied', 'solved']);
  });

  it.each(recipes.map((r) => [`${r.product} ${r.name}`, r] as const))(
    '%s renders from its placeholders to an event intake accepts',
    (_, recipe) => {
      const rendered = render(recipe.body, fixture(recipe.product));
      expect(PLACEHOLDER.exec(rendered)?.[0], 'a placeholder without a fixture value').toBeUndefined();
      const event = JSON.parse(rendered) as Record<string, unknown>;
      const checked = validateInboundEvent(event, { now: new Date('2026-11-24T00:00:00Z') });
      expect(checked.ok ? [] : checked.issues).toEqual([]);
      // A retry renders the same body: the same id, a duplicate.
      expect(JSON.parse(render(recipe.body, fixture(recipe.product))).id).toBe(event.id);
    },
  );

  it("give each kind of change its own id, so one product's edits never collide", () => {
    // One comment or article is either the agent's or the customer's: those two may share its id.
    for (const product of ['zendesk', 'freshdesk', 'zammad', 'jira'])
      for (const reply of ['agent-replied', 'customer-replied']) {
        const ids = recipes
          .filter((r) => r.product === product && ['opened', reply, 'solved'].includes(r.name))
          .map((r) => JSON.parse(render(r.body, fixture(product))).id as string);
        expect(new Set(ids).size, `${product} ${reply}`).toBe(3);
      }
  });

  it("exclude Heed's own notes in every product's reply rule", () => {
    for (const heading of ['## Zendesk', '## Freshdesk', '## Zammad', '## Jira']) {
      const section = page.slice(page.indexOf(heading)).split('\n## ')[0] ?? '';
      expect(section, heading).toMatch(/[Dd]oes not contain[^*]*`heed-delivery:`/);
    }
  });
});

describe('the report contract in docs/reports.md', () => {
  it('shows an example the SlaReport schema accepts', () => {
    const reports = readFileSync(new URL('../../docs/reports.md', import.meta.url), 'utf8');
    const example = /```json\n([\s\S]*?)\n```/.exec(reports)?.[1] ?? '';
    const checked = SlaReportSchema.safeParse(JSON.parse(example));
    expect(checked.success, JSON.stringify(checked.error?.issues)).toBe(true);
  });
});
