import { runReport } from '@heed/app';
import { ManualClock } from '@heed/core';
import { type EngineInput, engineTask, type RunStore } from '@heed/reports';
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { type Definition, runAsl } from '../support/asl';
import { synthesizedApp } from '../support/cdk-app';
import { memoryReportSource, oneRuleConfig } from '../support/memory-reports';

/**
 * The report state machine as synthesized, run by a small interpreter of the states it uses,
 * with its Lambda steps calling the engine's code in-process: the definition's paths and item
 * selector deliver what each step expects, the output holds the report's key where the CLI reads
 * it, and no state's payload comes near Step Functions' 256 KB, even for a year of partitions.
 */

const ENGINE_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:heed-report-engine';

const definitionOf = (stack: Stack): Definition => {
  const [machine] = Object.values(
    Template.fromStack(stack).findResources('AWS::StepFunctions::StateMachine'),
  ) as {
    Properties: { DefinitionString: { 'Fn::Join': [string, unknown[]] } };
  }[];
  const parts = machine?.Properties.DefinitionString['Fn::Join'][1] ?? [];
  return JSON.parse(parts.map((p) => (typeof p === 'string' ? p : ENGINE_ARN)).join('')) as Definition;
};

describe('the report state machine, as synthesized', () => {
  it('plans, folds each partition in the map and combines, into the report one process makes', async () => {
    const definition = definitionOf(synthesizedApp().reports);
    // Tickets over a year: 367 days are 1,468 partitions, most of them empty.
    const tickets: Record<string, readonly [string, number]> = {};
    for (let i = 0; i < 400; i++)
      tickets[`T-${i}`] = [new Date(Date.UTC(2026, 0, 1) + i * 21 * 3_600_000).toISOString(), (i * 37) % 180];
    const source = memoryReportSource(tickets);
    const objects = new Map<string, string>();
    const store: RunStore = {
      put: async (k, b) => void objects.set(k, b),
      get: async (k) => objects.get(k) ?? '',
    };
    // Configurations of some size (today's and the proposal): the plan keeps them in S3, out of the states.
    const big = (minutes: number) => {
      const base = oneRuleConfig(minutes);
      return {
        ...base,
        acknowledgement: {
          ...base.acknowledgement,
          templates: Object.fromEntries(
            ['en', 'de', 'fr', 'es', 'pt', 'ja', 'ko', 'zh', 'ar', 'it'].map((l) => [
              l,
              { subject: 'x'.repeat(200), text: `{{promise}} ${'y'.repeat(800)}` },
            ]),
          ),
        },
      };
    };
    const deps = {
      source,
      configs: { configOf: async () => big(60) },
      store,
      clock: new ManualClock('2027-01-05T00:00:00Z'),
    };
    const invoked: string[] = [];
    const run = await runAsl(
      definition,
      {
        task: 'plan',
        run: 'run-1',
        tenantId: 't',
        from: '2026-01-01',
        to: '2027-01-02',
        by: 'rule',
        proposed: big(90),
      },
      async (resource, payload) => {
        expect(resource).toBe(ENGINE_ARN);
        invoked.push((payload as EngineInput).task);
        return engineTask(payload as EngineInput, deps);
      },
    );
    expect(invoked.filter((t) => t === 'fold')).toHaveLength(367 * 4);
    expect([invoked[0], invoked.at(-1)]).toEqual(['plan', 'combine']);
    const key = (run.output as { report: { key: string } }).report.key;
    expect(key).toBe('runs/run-1/report.json');
    const inProcess = await runReport(source, {
      tenantId: 't',
      from: new Date('2026-01-01T00:00:00Z'),
      to: new Date('2027-01-03T00:00:00Z'),
      by: ['rule'],
      now: new Date('2027-01-05T00:00:00Z'),
      config: big(60),
      proposed: big(90),
    });
    expect(JSON.parse(objects.get(key) ?? '')).toEqual(inProcess.whatIf);
    expect(inProcess.tickets).toBe(400);
    // Step Functions refuses a state payload above 256 KB.
    console.log(`largest state payload ${run.largestPayload} bytes, ${run.tasks} Lambda steps`);
    expect(run.largestPayload).toBeLessThan(200 * 1024);
  });
});
