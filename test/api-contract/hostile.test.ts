/**
 * @module test/api-contract/hostile: malformed ids, bodies and query strings sent to every operation of the
 * OpenAPI document, as an admin. None may answer 5xx, every error answer is the common error format, and each
 * test ends with the data as they were (every table compared row by row, except sessions and token use times).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client.js';
import { type Simulator, startSimulator } from '../support/simulator.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { type Document, documentedOperations } from './validator.js';

type Json = Record<string, unknown>;

const BAD_IDS = [
  '99999999999999999999',
  '1.5',
  '-1',
  '0',
  'abc',
  '1e3',
  '0x10',
  "1'%20OR%20'1'='1",
  'x'.repeat(300),
];
const BAD_QUERY_VALUES = [
  'abc',
  '-1',
  '1.5',
  '99999999999999999999',
  '2147483648',
  '%ff',
  '1e999',
  'a'.repeat(2000),
  '[]',
];
const BAD_BODIES = ['{', 'null', '[]', '"text"', '12', '{"a":', '\u0000'];

/** A value of another type than the documented one, so that validation must refuse it. */
function wrongValue(schema: Json | undefined): unknown {
  const type = schema?.type;
  if (type === 'string' || schema?.enum) return { not: 'a string' };
  if (type === 'integer' || type === 'number') return 'not-a-number';
  if (type === 'boolean') return 'maybe';
  if (type === 'array') return 'not-an-array';
  return 12345;
}

/** Resolves a `$ref` inside the document. */
function resolve(doc: Document, schema: Json | undefined): Json | undefined {
  const ref = schema?.$ref;
  if (typeof ref !== 'string') return schema;
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<Json | undefined>((node, part) => node?.[part] as Json | undefined, doc as Json);
}

/** Every documented property of a body set to a value of the wrong type. */
function wrongBody(doc: Document, operation: Json): string {
  const content = (operation.requestBody as Json | undefined)?.content as Record<string, Json> | undefined;
  const schema = resolve(doc, content?.['application/json']?.schema as Json | undefined);
  const properties = (schema?.properties ?? {}) as Record<string, Json>;
  const body = Object.fromEntries(
    Object.entries(properties).map(([name, prop]) => [name, wrongValue(resolve(doc, prop))]),
  );
  return JSON.stringify(Object.keys(body).length ? body : { unexpected: { deeply: ['nested'] } });
}

describe('hostile input over every documented API operation', () => {
  let t: TestApp;
  let sim: Simulator;
  let doc: Document;
  let headers: Record<string, string>;
  let before: string;

  /** Every table's rows, sorted, without the columns that requests legitimately touch. */
  async function snapshot(): Promise<string> {
    const tables = (await t.database.db.execute(
      sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`,
    )) as unknown as Array<{ table_name: string }>;
    const dump: Record<string, unknown> = {};
    for (const { table_name: name } of tables) {
      if (name === 'sessions' || name.startsWith('__drizzle')) continue;
      const rows = (await t.database.db.execute(
        sql.raw(`select * from "${name}" order by 1`),
      )) as unknown as Json[];
      dump[name] = rows.map(({ last_used_at: _used, ...row }) => row);
    }
    return JSON.stringify(dump);
  }

  beforeAll(async () => {
    [t, sim] = await Promise.all([createTestApp(), startSimulator({ tls: true })]);
    t.deps.jobs = { wake() {}, cancelled() {}, isCancellable: () => true };
    doc = (await (await t.app.request('/api/schema/')).json()) as Document;
    headers = { ...(await t.apiUser('admin')).headers, 'Content-Type': 'application/json' };
    const api = apiClient(async (url, init) => t.app.request(url, init), headers);
    const { hostname, port, protocol, username, password } = sim;
    const server = await api.call('POST', '/api/esxi-servers/', {
      name: 'esx-hostile',
      ...{ hostname, port, protocol, username, password },
    });
    expect(server.status).toBe(201);
    before = await snapshot();
  });
  afterAll(async () => {
    await Promise.all([t?.close(), sim?.stop()]);
  });

  /** Sends one request and checks it is a 4xx (or a 2xx for a harmless read) in the error format. */
  async function send(method: string, url: string, body?: string, allowOk = false): Promise<number> {
    const res = await t.app.request(url, { method, headers, body });
    const text = await res.text();
    expect(res.status, `${method} ${url} ${body ?? ''}: ${text.slice(0, 300)}`).toBeLessThan(500);
    if (res.status >= 400) {
      const answer = JSON.parse(text) as Json;
      expect(answer, `${method} ${url}`).toMatchObject({ status: res.status });
      expect(typeof answer.code, `${method} ${url}: code`).toBe('string');
      expect(typeof answer.message, `${method} ${url}: message`).toBe('string');
    } else expect(allowOk, `${method} ${url} ${body ?? ''} answered ${res.status}`).toBe(true);
    return res.status;
  }

  it('answers 4xx to malformed path ids, never 5xx', async () => {
    let sent = 0;
    for (const op of documentedOperations(doc)) {
      const [method = '', path = ''] = op.split(' ');
      if (!path.includes('{')) continue;
      for (const bad of BAD_IDS) {
        const body = method === 'GET' || method === 'DELETE' ? undefined : '{}';
        await send(method, path.replace(/\{\w+\}/g, bad), body);
        sent++;
      }
    }
    expect(sent).toBeGreaterThan(100);
    expect(await snapshot()).toBe(before);
  });

  it('answers 4xx to malformed and wrongly typed bodies, never 5xx', async () => {
    let sent = 0;
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(item as Record<string, Json>)) {
        if (!operation.requestBody) continue;
        const url = path.replace(/\{\w+\}/g, '1');
        for (const body of [...BAD_BODIES, wrongBody(doc, operation)]) {
          await send(method.toUpperCase(), url, body);
          sent++;
        }
      }
    }
    expect(sent).toBeGreaterThan(40);
    expect(await snapshot()).toBe(before);
  });

  it('answers 4xx or a plain list to malformed query strings, never 5xx', async () => {
    let sent = 0;
    for (const [path, item] of Object.entries(doc.paths)) {
      const operation = (item as Record<string, Json>).get;
      const names = ((operation?.parameters ?? []) as Json[])
        .filter((p) => p.in === 'query')
        .map((p) => String(p.name));
      if (!operation || names.length === 0) continue;
      const url = path.replace(/\{\w+\}/g, '1');
      for (const name of names) {
        for (const value of BAD_QUERY_VALUES) {
          await send('GET', `${url}?${name}=${value}`, undefined, true);
          await send('GET', `${url}?${name}=${value}&${name}=1`, undefined, true);
          sent += 2;
        }
      }
    }
    expect(sent).toBeGreaterThan(50);
    expect(await snapshot()).toBe(before);
  });

  it('answers the JSON 404 for an API path that no route serves, even with a valid token', async () => {
    for (const url of ['/api/virtual-machines/1/no_such_action/', '/api/no-such-resource/', '/api/']) {
      const res = await t.app.request(url, { method: 'POST', headers, body: '{}' });
      const text = await res.text();
      expect(res.status, `${url}: ${text.slice(0, 200)}`).toBe(404);
      expect(JSON.parse(text)).toMatchObject({ status: 404, code: 'not_found' });
    }
  });
});
