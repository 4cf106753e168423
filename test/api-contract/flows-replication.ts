/**
 * @module test/api-contract/flows-replication: contract calls for replications, their runs and failover
 * events. Runs stay queued (no job runner); a finished first run is stood in for by setting the replica's
 * MoRef in the database, so that a failover can be triggered.
 */
import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { vm_replications } from '../../src/db/schema.js';
import type { Contract } from './support.js';

interface Ids {
  source: number;
  destination: number;
  vm: { id: number };
  datastore: string;
}

/** Replications, runs, failover and events; deletes the destination server at the end. */
export async function replicationFlow({ t, call, roles }: Contract, ids: Ids): Promise<void> {
  const base = '/api/vm-replications/';
  const detail = `${base}{id}/`;
  const op = roles.operator;
  const body = {
    name: 'contract',
    virtual_machine: ids.vm.id,
    destination_server: ids.destination,
    destination_datastore: ids.datastore,
  };
  await call('POST', base, { body: { ...body, destination_server: ids.source }, as: op, status: 400 });
  const created = await call('POST', base, { body, as: op, status: 201 });
  await call('POST', base, { body, as: op, status: 409 });
  const params = { id: created.id };
  await call('GET', base, { status: 200 });
  await call('GET', base, { query: 'page=1', status: 200 });
  await call('GET', detail, { params, status: 200 });
  await call('PUT', detail, { params, body: { ...body, failover_mode: 'automatic' }, as: op, status: 200 });
  await call('PATCH', detail, { params, body: { replication_interval_minutes: 30 }, as: op, status: 200 });
  await call('PATCH', detail, { params, body: { replication_interval_minutes: 0 }, as: op, status: 400 });
  const check = await call('GET', `${detail}check_replica_exists/`, { params, status: 200 });
  expect(check.exists).toBe(false);

  const started = await call('POST', `${detail}start_replication/`, { params, as: op, status: 200 });
  const busy = await call('POST', `${detail}start_replication/`, { params, body: {}, as: op, status: 409 });
  expect(busy.replica_exists).toBeUndefined();
  await call('POST', `${detail}start_replication/`, {
    params,
    body: { existing_replica: 'keep' },
    as: op,
    status: 400,
  });
  const run = { run_id: started.replication_id };
  await call('GET', `${base}runs/{run_id}/progress/`, { params: run, status: 200 });
  await call('GET', `${base}runs/{run_id}/progress/`, { params: { run_id: 999_999 }, status: 404 });
  for (const bad of ['99999999999999999999', '1.5']) {
    const missing = await call('GET', `${base}runs/{run_id}/progress/`, {
      params: { run_id: bad },
      status: 404,
    });
    expect(missing.code).toBe('not_found');
    await call('POST', `${base}runs/{run_id}/cancel/`, { params: { run_id: bad }, as: op, status: 404 });
  }
  const cancelled = await call('POST', `${base}runs/{run_id}/cancel/`, { params: run, as: op, status: 200 });
  expect(cancelled.status).toBe('cancelled');
  expect((await call('POST', `${detail}pause/`, { params, as: op, status: 200 })).status).toBe('paused');
  await call('POST', `${detail}resume/`, { params, as: roles.viewer, status: 403 });
  expect((await call('POST', `${detail}resume/`, { params, as: op, status: 200 })).status).toBe('active');

  const failover = { reason: 'contract drill', test_mode: true };
  await call('POST', `${detail}trigger_failover/`, { params, body: failover, as: op, status: 409 });
  await t.deps.db
    .update(vm_replications)
    .set({ replica_vm_moref: 'vm-contract' })
    .where(eq(vm_replications.id, created.id));
  await call('POST', `${detail}trigger_failover/`, { params, body: { reason: '' }, as: op, status: 400 });
  const event = await call('POST', `${detail}trigger_failover/`, {
    params,
    body: failover,
    as: op,
    status: 201,
  });
  expect(event).toMatchObject({ failover_type: 'test', status: 'initiated', error_code: null });
  // A failover's job is not a replication run.
  await call('GET', `${base}runs/{run_id}/progress/`, { params: { run_id: event.job_id }, status: 404 });
  await call('GET', '/api/failover-events/', { query: `replication=${created.id}`, status: 200 });
  await call('GET', '/api/failover-events/', { query: 'replication=none', status: 400 });
  await call('GET', '/api/failover-events/{id}/', { params: { id: event.id }, status: 200 });
  await call('GET', '/api/failover-events/{id}/', { params: { id: 999_999 }, status: 404 });

  await call('DELETE', detail, { params, query: 'keep_replica=true', as: op, status: 409 });
  await call('POST', '/api/operations/{id}/cancel/', { params: { id: event.job_id }, as: op, status: 200 });
  await call('DELETE', detail, { params, query: 'keep_replica=true', as: op, status: 204 });
  await call('GET', detail, { params, status: 404 });
  await call('DELETE', '/api/esxi-servers/{id}/', { params: { id: ids.destination }, status: 204 });
}
