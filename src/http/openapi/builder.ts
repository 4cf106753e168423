/**
 * @module http/openapi/builder: a small OpenAPI 3.1 document builder on zod 4's own JSON Schema output
 * (`z.toJSONSchema`, draft 2020-12, the dialect of OpenAPI 3.1). Named schemas go to `components.schemas`:
 * request bodies as their input (defaults optional), responses as their output (objects closed with
 * `additionalProperties: false`, so that the contract test catches an undocumented field). Operations list
 * their query parameters from the same zod objects the routes parse.
 */
import { z } from 'zod';
import { tidy } from './tidy.js';

export type JsonSchema = Record<string, unknown>;
export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Registry = ReturnType<typeof newRegistry>;

const newRegistry = () => z.registry<{ id: string; description?: string }>();
const ref = (id: string): JsonSchema => ({ $ref: `#/components/schemas/${id}` });

/** One documented answer: a JSON schema (or none, for 204), or a reference to a shared response. */
export type ResponseSpec =
  | { description: string; schema?: JsonSchema; contentType?: string }
  | { $ref: string };

export interface OperationSpec {
  method: Method;
  /** OpenAPI path, `{id}` style, with the seed's trailing slash. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** Path parameters other than `{id}`: a description (a positive integer), or one with its own schema. */
  pathParams?: Record<string, string | { description: string; schema: JsonSchema }>;
  query?: z.ZodObject;
  body?: JsonSchema;
  bodyRequired?: boolean;
  /** Security requirements; omitted: the document's default (token or session). */
  security?: Array<Record<string, string[]>>;
  responses: Record<number, ResponseSpec>;
}

/** A path parameter's description and schema (by default a positive integer id). */
function pathParam(p: string | { description: string; schema: JsonSchema } | undefined) {
  if (typeof p === 'object') return p;
  return { description: p ?? 'Id.', schema: { type: 'integer', minimum: 1 } };
}

/** Collects named schemas and operations, then renders the document. */
export class DocumentBuilder {
  private readonly requests: Registry = newRegistry();
  private readonly responses: Registry = newRegistry();
  private readonly raw: Record<string, JsonSchema> = {};
  private readonly paths: Record<string, Record<string, unknown>> = {};

  /** Names a request body schema (rendered as its input). @returns its `$ref`. */
  request(id: string, schema: z.ZodType, description?: string): JsonSchema {
    this.requests.add(schema, { id, ...(description ? { description } : {}) });
    return ref(id);
  }

  /** Names a response schema (rendered as its output). @returns its `$ref`. */
  response(id: string, schema: z.ZodType, description?: string): JsonSchema {
    this.responses.add(schema, { id, ...(description ? { description } : {}) });
    return ref(id);
  }

  /** Names a schema written as JSON Schema (the page envelopes). @returns its `$ref`. */
  registerRaw(id: string, schema: JsonSchema): JsonSchema {
    this.raw[id] = schema;
    return ref(id);
  }

  /** Adds an operation. */
  operation(spec: OperationSpec): void {
    const parameters = [
      ...[...spec.path.matchAll(/\{(\w+)\}/g)].map(([, name = '']) => ({
        name,
        in: 'path',
        required: true,
        ...pathParam(spec.pathParams?.[name]),
      })),
      ...(spec.query ? queryParameters(spec.query) : []),
    ];
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(spec.responses)) {
      responses[status] =
        '$ref' in r || !r.schema
          ? r
          : {
              description: r.description,
              content: { [r.contentType ?? 'application/json']: { schema: r.schema } },
            };
    }
    this.paths[spec.path] ??= {};
    (this.paths[spec.path] as Record<string, unknown>)[spec.method] = {
      tags: [spec.tag],
      summary: spec.summary,
      ...(spec.description ? { description: spec.description } : {}),
      operationId: operationId(spec.method, spec.path),
      ...(parameters.length ? { parameters } : {}),
      ...(spec.body
        ? {
            requestBody: {
              required: spec.bodyRequired ?? true,
              content: { 'application/json': { schema: spec.body } },
            },
          }
        : {}),
      ...(spec.security ? { security: spec.security } : {}),
      responses,
    };
  }

  /** The document: `head` (openapi, info, servers, tags, security...) plus the paths and components. */
  build(head: JsonSchema, components: { securitySchemes: JsonSchema; responses: JsonSchema }): JsonSchema {
    const render = (registry: Registry, io: 'input' | 'output') =>
      z.toJSONSchema(registry, {
        target: 'draft-2020-12',
        io,
        unrepresentable: 'any',
        uri: (id) => `#/components/schemas/${id}`,
      }).schemas;
    const schemas = {
      ...render(this.requests, 'input'),
      ...render(this.responses, 'output'),
      ...this.raw,
    };
    return tidy({ ...head, paths: this.paths, components: { schemas, ...components } }) as JsonSchema;
  }
}

/** The parameters of a zod query object: one per key, required when `undefined` is refused. */
function queryParameters(query: z.ZodObject) {
  return Object.entries(query.shape).map(([name, field]) => {
    const { description, ...schema } = z.toJSONSchema(field as z.ZodType, {
      target: 'draft-2020-12',
      io: 'input',
      unrepresentable: 'any',
    }) as JsonSchema;
    const required = !(field as z.ZodType).safeParse(undefined).success;
    return { name, in: 'query', required, ...(description ? { description } : {}), schema };
  });
}

/** `get /api/esxi-servers/{id}/test_connection/` -> `get_esxi_servers_id_test_connection`. */
function operationId(method: Method, path: string): string {
  const words = path
    .replace(/^\/api\//, '')
    .split(/[^A-Za-z0-9_]+/)
    .filter(Boolean);
  return [method, ...words].join('_').replace(/-/g, '_');
}
