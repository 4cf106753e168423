/**
 * @module test/api-contract/validator: checks real answers against the OpenAPI document: the status must be
 * documented for that operation, and the body must match the documented schema (JSON Schema 2020-12, the
 * dialect of OpenAPI 3.1, with ajv; `$ref`s resolve inside the document). Records which operations were
 * exercised, so that the contract test can require every one of them.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import formatsPlugin from 'ajv-formats';

type Json = Record<string, unknown>;
type Operation = { responses: Record<string, Json> };
export type Document = Json & { paths: Record<string, Record<string, Operation>>; components: Json };

const pointer = (...parts: string[]) =>
  parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

/** The document's operations as `METHOD /path/`. */
export function documentedOperations(doc: Document): string[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
  );
}

/** A checker of answers against `doc`. */
export function contractChecker(doc: Document) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  (formatsPlugin as unknown as (a: Ajv2020) => void)(ajv);
  ajv.addSchema(doc, 'openapi');
  const compiled = new Map<string, ValidateFunction>();
  const exercised = new Set<string>();

  /** The documented answer of an operation for a status (shared responses resolved). */
  function documented(method: string, path: string, status: number): { ref: string; answer: Json } {
    const operation = doc.paths[path]?.[method.toLowerCase()];
    if (!operation) throw new Error(`${method} ${path} is not documented`);
    const answer = operation.responses[String(status)];
    if (!answer) {
      const known = Object.keys(operation.responses).join(', ');
      throw new Error(`${method} ${path} answered ${status}, not documented (documented: ${known})`);
    }
    const shared = typeof answer.$ref === 'string' ? answer.$ref.replace(/^#\//, '') : null;
    if (shared) {
      const name = shared.split('/').pop() as string;
      const target = (doc.components.responses as Record<string, Json>)[name] as Json;
      return { ref: shared, answer: target };
    }
    return { ref: pointer('paths', path, method.toLowerCase(), 'responses', String(status)), answer };
  }

  return {
    exercised,
    /**
     * Checks one answer. @param path the documented path (`/api/x/{id}/`).
     * @throws when the status is undocumented or the body does not match.
     */
    async check(method: string, path: string, res: Response): Promise<unknown> {
      exercised.add(`${method.toUpperCase()} ${path}`);
      const { ref, answer } = documented(method, path, res.status);
      const content = answer.content as Record<string, Json> | undefined;
      const text = await res.text();
      if (!content) {
        if (text !== '') throw new Error(`${method} ${path} ${res.status}: expected no body, got ${text}`);
        return null;
      }
      const [mediaType] = Object.keys(content) as [string];
      const got = res.headers.get('content-type') ?? '';
      if (got.split(';')[0] !== mediaType.split(';')[0])
        throw new Error(`${method} ${path} ${res.status}: content-type ${got}, documented ${mediaType}`);
      const body = mediaType.startsWith('application/json') ? JSON.parse(text) : text;
      const key = `openapi#/${ref}/content/${pointer(mediaType)}/schema`;
      let validate = compiled.get(key);
      if (!validate) {
        validate = ajv.compile({ $ref: key });
        compiled.set(key, validate);
      }
      if (!validate(body)) {
        const errors = ajv.errorsText(validate.errors, { separator: '\n  ' });
        throw new Error(
          `${method} ${path} ${res.status} does not match the document:\n  ${errors}\n${text.slice(0, 2000)}`,
        );
      }
      return body;
    },
  };
}
