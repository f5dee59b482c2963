import {
  combineResults,
  type PartitionResult,
  type ReportRequest,
  type ReportSourcePort,
  reportPartition,
} from '@heed/app';
import type { ConfigSource, ReportPartition } from '@heed/aws';
import { parseReportQuery, type TenantConfig } from '@heed/contracts';
import { type Clock, validateTenantConfig } from '@heed/core';

/*
 * The report engine for periods too large for one answer (a tenant with millions of tickets): a
 * Step Functions state machine runs `plan` (the period's index partitions), a distributed map of
 * `fold` (one partition per iteration, its partial written to S3), then `combine` (the partials
 * merged into the report, written to S3). The folds are the ones the CLI and the HTTP answer run
 * in-process; only the fan-out differs.
 */

/** Where the engine keeps what a run made (S3 in AWS). */
export interface RunStore {
  put(key: string, body: string): Promise<void>;
  get(key: string): Promise<string>;
}

/** What a run was asked, as it travels through the state machine (JSON: instants as ISO text). */
export interface RunRequest {
  readonly tenantId: string;
  readonly from: string;
  readonly to: string;
  readonly by: readonly string[];
  readonly now: string;
  readonly config: TenantConfig;
  readonly proposed?: TenantConfig;
}

/** The state machine's input: the CLI's question. */
export interface PlanInput {
  readonly task: 'plan';
  readonly run: string;
  readonly tenantId: string;
  readonly from?: string;
  readonly to?: string;
  readonly by?: string;
  readonly proposed?: unknown;
}
export interface FoldInput {
  readonly task: 'fold';
  readonly run: string;
  /** Where the plan put the run's request (a configuration may be hundreds of KB; a state holds 256). */
  readonly requestKey: string;
  readonly partition: ReportPartition;
  /** The partition's place in the plan: its partial's name. */
  readonly index: number;
}
export interface CombineInput {
  readonly task: 'combine';
  readonly run: string;
  readonly requestKey: string;
  readonly results: readonly { readonly key: string }[];
}
export type EngineInput = PlanInput | FoldInput | CombineInput;

/** A run's question Heed cannot answer (bad period, bad configuration): the execution fails with it. */
export class InvalidRunError extends Error {
  override readonly name = 'InvalidRunError';
}

export interface EngineDeps {
  readonly source: ReportSourcePort;
  readonly configs: ConfigSource;
  readonly store: RunStore;
  readonly clock: Clock;
}

const requestOf = (r: RunRequest): ReportRequest => ({
  tenantId: r.tenantId,
  from: new Date(r.from),
  to: new Date(r.to),
  by: r.by as ReportRequest['by'],
  now: new Date(r.now),
  config: r.config,
  ...(r.proposed && { proposed: r.proposed }),
});

/** Where a run's objects live: `runs/<run>/…`. The run name is the execution's. */
export const runKey = (run: string, name: string): string => `runs/${run}/${name}`;

/** A run's request, read once per container (every fold of a run reads the same one). */
const requests = new Map<string, Promise<RunRequest>>();
const requestAt = (store: RunStore, key: string): Promise<RunRequest> => {
  let request = requests.get(key);
  if (!request) {
    request = store.get(key).then((text) => JSON.parse(text) as RunRequest);
    requests.set(key, request);
    request.catch(() => requests.delete(key));
  }
  return request;
};

export const engineTask = async (input: EngineInput, deps: EngineDeps): Promise<unknown> => {
  switch (input.task) {
    case 'plan': {
      const now = deps.clock.now();
      const query = parseReportQuery(input, now);
      if (!query.ok) throw new InvalidRunError(query.issues.map((i) => `${i.path}: ${i.message}`).join('; '));
      const proposed = input.proposed === undefined ? null : validateTenantConfig(input.proposed);
      if (proposed && !proposed.ok)
        throw new InvalidRunError(proposed.issues.map((i) => `proposed.${i.path}: ${i.message}`).join('; '));
      const request: RunRequest = {
        tenantId: input.tenantId,
        from: query.value.from.toISOString(),
        to: query.value.to.toISOString(),
        by: query.value.by,
        now: now.toISOString(),
        // Every fold of the run uses the configuration of this instant.
        config: await deps.configs.configOf(input.tenantId),
        ...(proposed?.ok && { proposed: proposed.value }),
      };
      const requestKey = runKey(input.run, 'request.json');
      await deps.store.put(requestKey, JSON.stringify(request));
      return {
        requestKey,
        partitions: deps.source.partitions(input.tenantId, query.value.from, query.value.to),
      };
    }
    case 'fold': {
      const request = await requestAt(deps.store, input.requestKey);
      const result = await reportPartition(deps.source, input.partition, requestOf(request));
      const key = runKey(input.run, `p/${input.index}.json`);
      await deps.store.put(key, JSON.stringify(result));
      return { key };
    }
    case 'combine': {
      const results = await Promise.all(
        input.results.map(async (r) => JSON.parse(await deps.store.get(r.key)) as PartitionResult),
      );
      const request = await requestAt(deps.store, input.requestKey);
      const combined = combineResults(results, requestOf(request));
      const key = runKey(input.run, 'report.json');
      await deps.store.put(key, JSON.stringify(request.proposed ? combined.whatIf : combined.report));
      return { key, tickets: combined.tickets };
    }
  }
};
