/**
 * @module http/openapi/paths/open: the endpoints that need no session: `POST /api/auth/token/` (a token for
 * a username and password), `GET /api/metrics` (Prometheus; a bearer token only when METRICS_TOKEN is set) and
 * `GET /api/schema/` (this document).
 */
import { z } from 'zod';
import { credentialsSchema } from '../../api/auth-token.js';
import type { DocumentBuilder } from '../builder.js';
import { METRICS_AUTH } from '../common.js';
import { endpoint } from '../endpoints.js';

/** Adds the open endpoints. */
export function openPaths(doc: DocumentBuilder): void {
  endpoint(doc, {
    method: 'post',
    path: '/api/auth/token/',
    tag: 'auth',
    summary: 'Get an API token',
    description:
      'Trades the username and password of an active user for a new API token, to send as `Authorization: Token <key>`. A wrong pair is a 400.',
    security: [],
    body: doc.request('Credentials', credentialsSchema),
    ok: {
      200: {
        description: 'A new token.',
        schema: doc.response('Token', z.object({ token: z.string().describe('The key, shown once.') })),
      },
    },
  });
  endpoint(doc, {
    method: 'get',
    path: '/api/metrics',
    tag: 'metrics',
    summary: 'Prometheus metrics',
    description:
      'Text exposition format 0.0.4 (the seed families, durations, bytes, lag, jobs, HTTP). Open unless the app runs with METRICS_TOKEN: then `Authorization: Bearer <token>` is required (401 otherwise).',
    security: [{}, { [METRICS_AUTH]: [] }],
    contentType: 'text/plain',
    ok: { 200: { description: 'The metrics.', schema: { type: 'string' } } },
  });
  endpoint(doc, {
    method: 'get',
    path: '/api/schema/',
    tag: 'schema',
    summary: 'This OpenAPI 3.1 document',
    description:
      'Open: it describes the API, it holds no data. Swagger UI reads it at /api/schema/swagger-ui/.',
    security: [],
    ok: { 200: { description: 'The document.', schema: { type: 'object' } } },
  });
}
