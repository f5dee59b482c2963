/*
 * Just enough of the Amazon States Language to run Heed's report state machine in a test, as
 * synthesized: Task states on a Lambda ARN (the payload is the state's input, or its Parameters),
 * Map states (ItemsPath, ItemSelector, ItemProcessor), ResultPath, Next and End, and the
 * JsonPath forms `$.a.b`, `$$.Map.Item.Value` and `$$.Map.Item.Index`. Bespoke because no Step
 * Functions emulator is reachable here (Step Functions Local is a download outside npm and
 * Debian); anything else in a definition is refused, so the test cannot pass on a construct it
 * does not understand. It also reports the largest state payload, which AWS caps at 256 KB.
 */

type Json = unknown;
interface State {
  readonly Type: string;
  readonly Next?: string;
  readonly End?: boolean;
  readonly Resource?: string;
  readonly Parameters?: Record<string, Json>;
  readonly ResultPath?: string;
  readonly ItemsPath?: string;
  readonly ItemSelector?: Record<string, Json>;
  readonly ItemProcessor?: { readonly StartAt: string; readonly States: Record<string, State> };
  readonly MaxConcurrency?: number;
  readonly Retry?: unknown;
  readonly ProcessorConfig?: unknown;
}
export interface Definition {
  readonly StartAt: string;
  readonly States: Record<string, State>;
  readonly TimeoutSeconds?: number;
}

const KNOWN = new Set([
  'Type',
  'Next',
  'End',
  'Resource',
  'Parameters',
  'ResultPath',
  'ItemsPath',
  'ItemSelector',
  'ItemProcessor',
  'MaxConcurrency',
  'Retry',
]);

export class UnsupportedStateError extends Error {
  override readonly name = 'UnsupportedStateError';
}

const read = (path: string, input: Json, context: Json): Json => {
  const [root, ...rest] = path.startsWith('$$.')
    ? ['$$', ...path.slice(3).split('.')]
    : path === '$'
      ? ['$']
      : ['$', ...path.slice(2).split('.')];
  let value = root === '$$' ? context : input;
  for (const key of rest) value = (value as Record<string, Json> | undefined)?.[key];
  if (value === undefined) throw new UnsupportedStateError(`${path} is not in the input`);
  return value;
};

const fill = (template: Record<string, Json>, input: Json, context: Json): Record<string, Json> =>
  Object.fromEntries(
    Object.entries(template).map(([k, v]) =>
      k.endsWith('.$') ? [k.slice(0, -2), read(String(v), input, context)] : [k, v],
    ),
  );

const place = (input: Json, resultPath: string | undefined, result: Json): Json => {
  if (resultPath === undefined || resultPath === '$') return result;
  if (!/^\$\.\w+$/.test(resultPath)) throw new UnsupportedStateError(`ResultPath ${resultPath}`);
  return { ...(input as object), [resultPath.slice(2)]: result };
};

export interface AslRun {
  readonly output: Json;
  /** The largest input or output of any state, in bytes of JSON. */
  readonly largestPayload: number;
  readonly tasks: number;
}

/** Runs `definition` on `input`, every Task invoking `lambda(resource, payload)`. */
export const runAsl = async (
  definition: Definition,
  input: Json,
  lambda: (resource: string, payload: Json) => Promise<Json>,
): Promise<AslRun> => {
  let largest = 0;
  let tasks = 0;
  const measure = (v: Json) => {
    largest = Math.max(largest, Buffer.byteLength(JSON.stringify(v) ?? ''));
  };
  const run = async (
    states: Record<string, State>,
    startAt: string,
    value: Json,
    context: Json,
  ): Promise<Json> => {
    let name: string | undefined = startAt;
    let current = value;
    while (name) {
      const state: State | undefined = states[name];
      if (!state) throw new UnsupportedStateError(`no state ${name}`);
      for (const key of Object.keys(state))
        if (!KNOWN.has(key)) throw new UnsupportedStateError(`${name}: ${key} is not understood here`);
      measure(current);
      let result: Json;
      if (state.Type === 'Task') {
        if (!state.Resource?.startsWith('arn:aws:lambda:'))
          throw new UnsupportedStateError(`${name}: ${state.Resource}`);
        tasks++;
        result = await lambda(
          state.Resource,
          state.Parameters ? fill(state.Parameters, current, context) : current,
        );
      } else if (state.Type === 'Map') {
        const items = read(state.ItemsPath ?? '$', current, context);
        if (!Array.isArray(items) || !state.ItemProcessor)
          throw new UnsupportedStateError(`${name}: no items or processor`);
        const processor = state.ItemProcessor;
        result = await Promise.all(
          items.map((item, index) => {
            const itemContext = { Map: { Item: { Value: item, Index: index } } };
            const itemInput = state.ItemSelector ? fill(state.ItemSelector, current, itemContext) : item;
            return run(processor.States, processor.StartAt, itemInput, itemContext);
          }),
        );
      } else throw new UnsupportedStateError(`${name}: type ${state.Type}`);
      measure(result);
      current = place(current, state.ResultPath, result);
      measure(current);
      name = state.End ? undefined : state.Next;
    }
    return current;
  };
  const output = await run(definition.States, definition.StartAt, input, {});
  return { output, largestPayload: largest, tasks };
};
