/**
 * @module http/openapi/common: what every part of the document shares: the one error format (schema
 * `Error`, shared responses 400/401/403/404/409/502), the security schemes (API token, session cookie,
 * metrics bearer), and the list answer (the array, or the page envelope with `?page=`/`?page_size=`).
 */
import { z } from 'zod';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../api/pagination.js';
import type { DocumentBuilder, JsonSchema, ResponseSpec } from './builder.js';

/** The body of every error answer of the API. */
export const errorSchema = z.looseObject({
  status: z.number().int().describe('The HTTP status, repeated.'),
  code: z
    .string()
    .describe(
      'What went wrong, stable for scripts whatever the language: `invalid_input`, `not_found`, `forbidden`, ' +
        '`not_authenticated`, `csrf`, ... or the vSphere error code when the ESXi host refused or failed ' +
        '(`InvalidLogin`, `Unreachable`, `CertificateMismatch`, ...).',
    ),
  message: z
    .string()
    .describe('What went wrong, for a person, in the language of `Accept-Language` (French by default).'),
  errors: z
    .record(z.string(), z.array(z.string()))
    .optional()
    .describe(
      'Messages per field of the body or parameter (`_`: the body as a whole), in the same language.',
    ),
});

const ERRORS = {
  400: ['BadRequest', 'Bad input: a field, a parameter or the JSON body; `errors` names the fields.'],
  401: ['Unauthorized', 'No credentials, or an unknown token.'],
  403: ['Forbidden', 'The role is too low for this action, or the session request lacks its CSRF token.'],
  404: ['NotFound', 'No such object (or page past the last one).'],
  409: ['Conflict', 'The object is busy or conflicts with another one.'],
  500: [
    'InternalError',
    'An unexpected server error: logged on the server; the answer never carries a stack.',
  ],
  502: ['BadGateway', 'The ESXi host failed or could not be reached; `code` is the vSphere error.'],
} as const;
export type ErrorStatus = keyof typeof ERRORS;

/** A reference to the shared error response of `status`. */
export function error(status: ErrorStatus): ResponseSpec {
  return { $ref: `#/components/responses/${ERRORS[status][0]}` };
}

/** The shared error responses (components.responses), each `{status, message, errors?}`. */
export function errorResponses(errorRef: JsonSchema): JsonSchema {
  return Object.fromEntries(
    Object.values(ERRORS).map(([name, description]) => [
      name,
      { description, content: { 'application/json': { schema: errorRef } } },
    ]),
  );
}

export const TOKEN_AUTH = 'tokenAuth';
export const SESSION_AUTH = 'sessionCookie';
export const METRICS_AUTH = 'metricsBearer';

/** components.securitySchemes. */
export const securitySchemes = {
  [TOKEN_AUTH]: {
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
    description:
      'An API token, as DRF sends it: `Authorization: Token <key>` (the value includes the `Token ` prefix). Get one with POST /api/auth/token/.',
  },
  [SESSION_AUTH]: {
    type: 'apiKey',
    in: 'cookie',
    name: 'ebm_session',
    description:
      'The session of a user signed in to the web pages. POST, PUT, PATCH and DELETE also need the header `X-CSRF-Token` with the session CSRF token (else 403).',
  },
  [METRICS_AUTH]: {
    type: 'http',
    scheme: 'bearer',
    description: '`/api/metrics` only, and only when the app runs with METRICS_TOKEN set.',
  },
};

/** The default requirement: a token or a session. */
export const apiSecurity = [{ [TOKEN_AUTH]: [] }, { [SESSION_AUTH]: [] }];

/** The page envelope schema of `item`. */
export function pageOf(item: JsonSchema): JsonSchema {
  const link = { type: ['string', 'null'], format: 'uri' };
  return {
    type: 'object',
    properties: {
      count: { type: 'integer', minimum: 0, description: 'Items in the whole list.' },
      next: { ...link, description: 'URL of the next page, null on the last.' },
      previous: { ...link, description: 'URL of the previous page, null on the first.' },
      results: { type: 'array', items: item },
    },
    required: ['count', 'next', 'previous', 'results'],
    additionalProperties: false,
  };
}

/** A list answer: the whole array, or with `?page=`/`?page_size=` the envelope. */
export function listOf(doc: DocumentBuilder, name: string, item: JsonSchema): JsonSchema {
  const page = doc.registerRaw(`${name}Page`, pageOf(item));
  return { oneOf: [{ type: 'array', items: item }, page] };
}

export const paginationNote = `Without \`page\` and \`page_size\` the answer is the whole list as a JSON array (the seed's examples). With either, it is the page envelope \`{count, next, previous, results}\` (page_size ${DEFAULT_PAGE_SIZE} by default, at most ${MAX_PAGE_SIZE}); a page past the last is a 404.`;
