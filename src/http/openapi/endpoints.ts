/**
 * @module http/openapi/endpoints: the two shapes every API path takes in the document: `endpoint` (one
 * operation with its success answer; the error answers it can give are added from what it has: 401 unless
 * open, 403 with a role, 404 with an `{id}`, 400 with a body or parameters, 500 always) and `list` (a paginated list with
 * its filters).
 */
import { z } from 'zod';
import type { Role } from '../../db/schema.js';
import { paginationQuery } from '../api/pagination.js';
import type { DocumentBuilder, JsonSchema, Method, ResponseSpec } from './builder.js';
import { type ErrorStatus, error, listOf, paginationNote } from './common.js';

export interface Endpoint {
  method: Method;
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** Lowest role allowed (viewers may read everything). */
  role?: Role;
  /** Security requirements instead of the default token-or-session; `[]`: open. */
  security?: Array<Record<string, string[]>>;
  pathParams?: Record<string, string | { description: string; schema: JsonSchema }>;
  query?: z.ZodObject;
  body?: JsonSchema;
  bodyRequired?: boolean;
  /** The success answers by status: a schema, or null for an empty body (204). */
  ok: Partial<Record<200 | 201 | 202 | 204, { description: string; schema: JsonSchema | null }>>;
  /** Error answers beyond the automatic ones. */
  errors?: ErrorStatus[];
  /** Answers written out instead of the shared ones (an error with more fields). */
  otherResponses?: Record<number, { description: string; schema: JsonSchema }>;
  /** Content type of the success answers (default application/json). */
  contentType?: string;
}

const ROLE_NOTE: Record<Role, string> = {
  viewer: 'Any signed-in role.',
  operator: 'Role: operator or admin.',
  admin: 'Role: admin.',
};

/** Adds one operation with its success and error answers. */
export function endpoint(doc: DocumentBuilder, e: Endpoint): void {
  const responses: Record<number, ResponseSpec> = {};
  for (const [status, r] of Object.entries(e.ok)) {
    responses[Number(status)] = r.schema
      ? { description: r.description, schema: r.schema, contentType: e.contentType }
      : { description: r.description };
  }
  const errors = new Set<ErrorStatus>(e.errors ?? []);
  if (e.body || e.query) errors.add(400);
  if (!e.security || e.security.some((s) => Object.keys(s).length > 0)) errors.add(401);
  if (e.role && e.role !== 'viewer') errors.add(403);
  if (e.path.includes('{')) errors.add(404);
  errors.add(500);
  for (const status of [...errors].sort()) responses[status] = error(status);
  Object.assign(responses, e.otherResponses);
  const notes = [e.description, e.role ? ROLE_NOTE[e.role] : undefined].filter(Boolean);
  doc.operation({
    method: e.method,
    path: e.path,
    tag: e.tag,
    summary: e.summary,
    ...(notes.length ? { description: notes.join('\n\n') } : {}),
    pathParams: e.pathParams,
    query: e.query,
    body: e.body,
    bodyRequired: e.bodyRequired,
    security: e.security,
    responses,
  });
}

/** Adds a list operation: `GET path` with its filters and the pagination parameters. */
export function list(
  doc: DocumentBuilder,
  e: { path: string; tag: string; summary: string; description?: string; name: string; item: JsonSchema },
  filters: z.ZodObject = z.object({}),
): void {
  endpoint(doc, {
    method: 'get',
    path: e.path,
    tag: e.tag,
    summary: e.summary,
    description: [e.description, paginationNote].filter(Boolean).join('\n\n'),
    query: filters.extend(paginationQuery.shape),
    ok: { 200: { description: 'The list (an array, or a page).', schema: listOf(doc, e.name, e.item) } },
    errors: [404],
  });
}
