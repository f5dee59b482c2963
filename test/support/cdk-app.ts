import { readFileSync } from 'node:fs';
import { App, type Stack } from 'aws-cdk-lib';
import { buildApp, type HeedApp } from '../../infra/lib/app';

/** The context `npx cdk synth` reads (cdk.json). */
export const cdkContext = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'))
  .context as Record<string, unknown>;

/**
 * The whole deployment as `cdk synth` builds it, with `context` added. Bundling is skipped (the
 * bundle test builds the real one); everything else is real.
 */
export const synthesizedApp = (context: Record<string, unknown> = {}): HeedApp =>
  buildApp(new App({ context: { ...cdkContext, 'aws:cdk:bundling-stacks': [], ...context } }));

/** Every stack of the deployment. */
export const stacksOf = (heed: HeedApp): Stack[] => [
  heed.stateful,
  heed.intake,
  heed.delivery,
  heed.timers,
  heed.sla,
  heed.followUp,
  heed.ops,
  heed.reports,
];
