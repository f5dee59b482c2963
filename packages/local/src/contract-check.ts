import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Invocable } from './lambda-context';

/**
 * Checks the local runtime's HTTP answers against the committed OpenAPI document
 * (`packages/contracts/schemas/openapi.json`): the status must be one the operation lists, the
 * content type its, and a JSON body must match the schema. With `HEED_CHECK_ANSWERS=1` (every
 * test run) an answer that does not is replaced by a 500 naming the violation, so no
 * end-to-end test can pass on an answer the document does not describe.
 */

type Operation = {
  readonly responses: Readonly<
    Record<string, { readonly content?: Readonly<Record<string, { readonly schema?: object }>> }>
  >;
};
type Document = {
  readonly paths: Readonly<Record<string, Readonly<Record<string, Operation>>>>;
  readonly components: { readonly schemas: Readonly<Record<string, object>> };
};

const DOC_ID = 'https://heed.dev/openapi.json';
/** A JSON pointer segment. */
const pointerSegment = (segment: string): string =>
  encodeURIComponent(segment.replace(/~/g, '~0').replace(/\//g, '~1'));

export const OPENAPI_PATH = new URL('../../contracts/schemas/openapi.json', import.meta.url);

export interface Answer {
  readonly statusCode?: number;
  readonly headers?: Readonly<Record<string, string | number | boolean>>;
  readonly body?: string;
}

export class AnswerChecker {
  private readonly doc: Document;
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(doc: Document = JSON.parse(readFileSync(OPENAPI_PATH, 'utf8')) as Document) {
    this.doc = doc;
    this.ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(this.ajv);
    // The whole document as one schema resource: its `#/components/…` refs resolve inside it.
    this.ajv.addSchema({ $id: DOC_ID, paths: doc.paths, components: doc.components });
  }

  /**
   * What is wrong with `answer` to `routeKey` (`GET /v1/tickets/{ticketId}`; an unknown route is
   * checked as the error answer a 404 is): empty when it is as documented.
   */
  problems(routeKey: string, answer: Answer): string[] {
    const [method = '', path = ''] = routeKey.split(' ');
    const operation = this.doc.paths[path]?.[method.toLowerCase()];
    const status = String(answer.statusCode ?? 200);
    const type =
      String(answer.headers?.['content-type'] ?? '')
        .split(';')[0]
        ?.trim() ?? '';
    const response = operation ? operation.responses[status] : undefined;
    if (operation && !response) return [`${routeKey} does not document status ${status}`];
    if (!operation && status !== '404') return [`${routeKey} is no documented route, and answered ${status}`];
    const media = response ? response.content?.[type] : { schema: {} };
    if (!media) return [`${routeKey} ${status} does not document content type "${type}"`];
    if (type !== 'application/json' || !media.schema) return [];
    // Where the schema is in the document (an unknown route answers the Error body).
    const pointer = operation
      ? `/paths/${pointerSegment(path)}/${method.toLowerCase()}/responses/${status}/content/${pointerSegment(type)}/schema`
      : '/components/schemas/Error';
    let body: unknown;
    try {
      body = JSON.parse(answer.body ?? '');
    } catch {
      return [`${routeKey} ${status} answered a body that is not JSON`];
    }
    const validate = this.validator(pointer);
    return validate(body)
      ? []
      : (validate.errors ?? []).map((e) => `${routeKey} ${status}: ${e.instancePath || '/'} ${e.message}`);
  }

  private validator(pointer: string): ValidateFunction {
    let v = this.compiled.get(pointer);
    if (!v) {
      v = this.ajv.compile({ $ref: `${DOC_ID}#${pointer}` });
      this.compiled.set(pointer, v);
    }
    return v;
  }
}

/**
 * The API with every answer checked (`HEED_CHECK_ANSWERS=1`): one the document does not describe
 * becomes a 500 `contract_violation` naming what is wrong, and is logged, so the test that
 * received it fails on it.
 */
export const checkedAnswers = (
  api: Invocable<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>,
  checker: AnswerChecker = new AnswerChecker(),
): Invocable<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> => {
  return async (event, context) => {
    const answer = await api(event, context);
    const routeKey =
      event.routeKey === '$default' ? `${event.requestContext.http.method} ${event.rawPath}` : event.routeKey;
    const problems = checker.problems(routeKey, answer);
    if (problems.length === 0) return answer;
    console.error(
      `answer outside the OpenAPI document: ${problems.join('; ')} (answered: ${answer.body?.slice(0, 600)})`,
    );
    return {
      statusCode: 500,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({
        error: 'contract_violation',
        message: 'the answer does not match the OpenAPI document',
        errors: problems.map((message) => ({ path: routeKey, message })),
        answer: { statusCode: answer.statusCode, body: answer.body?.slice(0, 2000) },
      }),
    };
  };
};
