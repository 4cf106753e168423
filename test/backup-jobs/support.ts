/** @module test/backup-jobs/support: a test app with a job runner, a simulated host and a storage path, and API helpers. */
import { expect } from 'vitest';
import { addServer, addStoragePath } from '../backup/support.js';
import { apiClient, type Json } from '../support/api-client.js';
import type { Simulator } from '../support/simulator.js';
import type { TestApp } from '../support/test-app.js';

export interface JobsWorld {
  call(method: string, url: string, body?: Json): Promise<{ status: number; body: Json & Json[] }>;
  until(url: string, done: (s: Json) => boolean, timeout?: number): Promise<Json>;
  serverId: number;
  storageId: number;
  /** VM ids of the inventory by name. */
  vms: Record<string, number>;
}

/** Registers `sim`, a storage path and an operator's API client on `t`. */
export async function jobsWorld(t: TestApp, sim: Simulator): Promise<JobsWorld> {
  const { headers } = await t.apiUser('operator');
  const api = apiClient((url, init) => Promise.resolve(t.app.request(url, init)), headers);
  const serverId = await addServer(t.deps, sim, 'esx-a');
  const storage = await addStoragePath(t.deps);
  const listed = (await api.call('GET', `/api/virtual-machines/?esxi_server=${serverId}`)).body as Json[];
  const vms = Object.fromEntries(listed.map((v) => [v.name as string, v.id as number]));
  return {
    call: (method, url, body) => api.call(method, url, body) as never,
    until: (url, done, timeout = 60_000) => api.until(url, done, timeout),
    serverId,
    storageId: storage.id,
    vms,
  };
}

export const runEnded = (run: Json) => run.status !== 'running';

/** Creates a job through the API (201 expected). @returns its JSON. */
export async function createJob(w: JobsWorld, body: Json): Promise<Json> {
  const res = await w.call('POST', '/api/backup-jobs/', { storage_path: w.storageId, ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** Starts a run now and waits for its end. @returns the run with its `vm_results`. */
export async function runToEnd(w: JobsWorld, jobId: number, timeout = 90_000): Promise<Json> {
  const started = await w.call('POST', `/api/backup-jobs/${jobId}/run/`);
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  return w.until(`/api/backup-job-runs/${started.body.id}/`, runEnded, timeout);
}
