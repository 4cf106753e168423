/**
 * @module test/api-contract/support: the contract test's context: the app on a real database with a
 * simulated ESXi host, users of each role, and `call`, which requests a documented path and checks the
 * answer against the document (status documented, body matching its schema).
 */
import { expect } from 'vitest';
import { type Simulator, startSimulator } from '../support/simulator.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { contractChecker, type Document } from './validator.js';

// biome-ignore lint/suspicious/noExplicitAny: answers are checked against the document, then read freely
type Body = any;

export interface CallOptions {
  /** Values of the path's `{name}` parameters. */
  params?: Record<string, string | number>;
  /** Query string without `?`. */
  query?: string;
  body?: unknown;
  /** Headers instead of the admin's. */
  as?: Record<string, string>;
  /** The expected status. */
  status?: number;
}

export interface Contract {
  t: TestApp;
  sim: Simulator;
  checker: ReturnType<typeof contractChecker>;
  roles: { admin: Record<string, string>; operator: Record<string, string>; viewer: Record<string, string> };
  /** Requests `method path` (a documented path) and checks the answer. @returns the parsed body. */
  call(method: string, path: string, options?: CallOptions): Promise<Body>;
  close(): Promise<void>;
}

/** Starts the app (without job runner: jobs stay queued, cancels are accepted) and one HTTPS host. */
export async function startContract(): Promise<Contract> {
  const [t, sim] = await Promise.all([createTestApp(), startSimulator({ tls: true })]);
  t.deps.jobs = { wake() {}, cancelled() {}, isCancellable: () => true };
  const doc = (await (await t.app.request('/api/schema/')).json()) as Document;
  const checker = contractChecker(doc);
  const roles = {
    admin: (await t.apiUser('admin')).headers,
    operator: (await t.apiUser('operator')).headers,
    viewer: (await t.apiUser('viewer')).headers,
  };
  return {
    t,
    sim,
    checker,
    roles,
    async call(method, path, options = {}) {
      const url =
        path.replace(/\{(\w+)\}/g, (_, name: string) => String(options.params?.[name] ?? '')) +
        (options.query ? `?${options.query}` : '');
      const res = await t.app.request(url, {
        method,
        headers: options.as ?? roles.admin,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      });
      const status = res.status;
      const body = await checker.check(method, path, res);
      if (options.status !== undefined)
        expect(status, `${method} ${url}: ${JSON.stringify(body)}`).toBe(options.status);
      return body;
    },
    async close() {
      await Promise.all([t.close(), sim.stop()]);
    },
  };
}
