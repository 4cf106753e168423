/**
 * @module test/support/api-client: the JSON API as tests call it: a caller with polling, an admin's token
 * headers made straight in the database, and a simulator registered as an ESXi server.
 */
import { expect } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { createApiToken, createUser } from '../../src/db/users.js';
import type { Simulator } from './simulator.js';

export type Json = Record<string, unknown>;

/** An API caller on an app: `fetch`-like `request(url, init)` (in-process `app.request` or a real server). */
export function apiClient(
  request: (url: string, init: RequestInit) => Promise<Response>,
  headers: Record<string, string>,
) {
  const call = async (method: string, url: string, body?: unknown) => {
    const res = await request(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Json & Json[] };
  };
  /** Polls `url` until `done(body)`; returns the last body. */
  const until = async (url: string, done: (s: Json) => boolean, timeout = 60_000) => {
    let state: Json = {};
    await expect
      .poll(
        async () => {
          state = (await call('GET', url)).body;
          return done(state);
        },
        { timeout, interval: 100 },
      )
      .toBe(true);
    return state;
  };
  return { call, until };
}

/** The process under test as a base URL (a child process that may be restarted on another port). */
export const fetchOn =
  (baseUrl: () => string) =>
  (url: string, init: RequestInit): Promise<Response> =>
    fetch(`${baseUrl()}${url}`, init);

/** Creates the admin `ops` with an API token. @returns the headers of an authenticated JSON call. */
export async function adminHeaders(db: Db): Promise<Record<string, string>> {
  const user = await createUser(db, { username: 'ops', password: 'ops-password', role: 'admin' });
  return { Authorization: `Token ${await createApiToken(db, user.id)}`, 'Content-Type': 'application/json' };
}

/** Registers `sim` as the ESXi server `name` through `POST /api/esxi-servers/`. @returns its id. */
export async function registerSimulator(
  api: ReturnType<typeof apiClient>,
  name: string,
  sim: Simulator,
): Promise<number> {
  const { hostname, port, protocol, username, password } = sim;
  const created = await api.call('POST', '/api/esxi-servers/', {
    name,
    hostname,
    port,
    protocol,
    username,
    password,
  });
  expect(created.status).toBe(201);
  return created.body.id as number;
}
