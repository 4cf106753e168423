/**
 * @module test/api-contract/coverage: the document against the app: every route mounted under /api is
 * documented (a new undocumented endpoint fails here) and every documented operation has a route; the
 * document is OpenAPI 3.1 with the one error format; Swagger UI is served from local files under the CSP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { contractChecker, type Document, documentedOperations } from './validator.js';

/** Routes under /api that are pages, not API operations. */
const NOT_API = new Set(['GET /api/schema/swagger-ui']);

/** `GET /api/x/{id}/` and `GET /api/x/:id` alike become `GET /api/x/{}`. */
const normalise = (op: string) => op.replace(/\{\w+\}|:\w+/g, '{}').replace(/\/$/, '');

describe('the OpenAPI document', () => {
  let t: TestApp;
  let doc: Document;

  beforeAll(async () => {
    t = await createTestApp();
    doc = (await (await t.app.request('/api/schema/')).json()) as Document;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('documents every route mounted under /api, and nothing else', () => {
    const mounted = new Set(
      t.app.routes
        .filter((r) => r.path.startsWith('/api/') && r.method !== 'ALL')
        .map((r) => `${r.method} ${r.path}`)
        .filter((op) => !NOT_API.has(op))
        .map(normalise),
    );
    const documented = new Set(documentedOperations(doc).map(normalise));
    expect(
      [...mounted].filter((op) => !documented.has(op)),
      'routes missing from the document',
    ).toEqual([]);
    expect(
      [...documented].filter((op) => !mounted.has(op)),
      'documented operations without a route',
    ).toEqual([]);
    expect(documented.size).toBeGreaterThanOrEqual(57);
  });

  it('is OpenAPI 3.1 with the security schemes, one Error schema, and compilable schemas', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const components = doc.components as Record<string, Record<string, Record<string, unknown>>>;
    expect(Object.keys(components.securitySchemes ?? {})).toEqual([
      'tokenAuth',
      'sessionCookie',
      'metricsBearer',
    ]);
    for (const response of Object.values(components.responses ?? {}))
      expect(response).toMatchObject({
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      });
    const checker = contractChecker(doc);
    // An answer of each shared error shape validates: compiles every $ref on the way.
    const res = await t.app.request('/api/esxi-servers/');
    expect(await checker.check('GET', '/api/esxi-servers/', res)).toMatchObject({ status: 401 });
    for (const [path, item] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(item)) {
        expect(op.responses, `${method} ${path}`).toBeTruthy();
        if (path !== '/api/auth/token/' && path !== '/api/schema/' && path !== '/api/metrics')
          expect(Object.keys(op.responses), `${method} ${path}`).toContain('401');
      }
  });

  it('serves Swagger UI from local files, with its start-up script in a file (CSP script-src self)', async () => {
    const page = await t.app.request('/api/schema/swagger-ui/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBe(2);
    for (const [, attributes, body] of scripts) {
      expect(body?.trim(), 'no inline script').toBe('');
      expect(attributes).toMatch(/src="\/static\//);
    }
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string);
    expect(assets).toHaveLength(3);
    for (const asset of assets) expect((await t.app.request(asset)).status, asset).toBe(200);
    expect((await t.app.request('/api/schema/swagger-ui')).status).toBe(200);
  });
});
