/**
 * @module test/api-contract/flows-snapshots: contract calls for a VM's snapshots and snapshot schedules. No job
 * runner runs: the operations stay queued; the snapshot that revert and delete name is taken on the host.
 */
import { expect } from 'vitest';
import { createSnapshot, VSphereClient, vmRef } from '../../src/vsphere/index.js';
import type { Contract } from './support.js';

/** Snapshots and snapshot schedules of VM `ids.vm`. */
export async function snapshotFlow(
  { call, roles, sim }: Contract,
  ids: { vm: { id: number } },
): Promise<void> {
  const vm = await call('GET', '/api/virtual-machines/{id}/', { params: ids.vm, status: 200 });
  const client = await VSphereClient.connect({ ...sim, thumbprint: sim.thumbprint });
  const made = await createSnapshot(client, vmRef(vm.moref), { name: 'contract' }).finally(() =>
    client.logout(),
  );

  const tree = '/api/virtual-machines/{id}/snapshots/';
  const listed = await call('GET', tree, { params: ids.vm, status: 200 });
  expect(listed.snapshots.map((s: { moref: string }) => s.moref)).toContain(made.value);
  await call('GET', tree, { params: { id: 999_999 }, status: 404 });
  await call('POST', tree, { params: ids.vm, body: { name: 'x' }, as: roles.viewer, status: 403 });
  await call('POST', tree, { params: ids.vm, body: { name: '' }, as: roles.operator, status: 400 });
  const create = await call('POST', tree, {
    params: ids.vm,
    body: { name: 'queued', memory: true },
    as: roles.operator,
    status: 202,
  });
  expect(create).toMatchObject({ type: 'snapshot_create', status: 'PENDING' });
  const revert = `${tree}{snapshot}/revert/`;
  const one = `${tree}{snapshot}/`;
  const params = { ...ids.vm, snapshot: made.value };
  await call('POST', revert, {
    params: { ...ids.vm, snapshot: 'snapshot-999999' },
    as: roles.operator,
    status: 404,
  });
  await call('POST', revert, { params: { ...ids.vm, snapshot: '%27--' }, as: roles.operator, status: 400 });
  await call('POST', revert, { params, as: roles.viewer, status: 403 });
  expect(await call('POST', revert, { params, as: roles.operator, status: 202 })).toMatchObject({
    type: 'snapshot_revert',
  });
  await call('DELETE', one, {
    params: { ...ids.vm, snapshot: 'snapshot-999999' },
    as: roles.operator,
    status: 404,
  });
  expect(await call('DELETE', one, { params, as: roles.operator, status: 202 })).toMatchObject({
    type: 'snapshot_remove',
  });

  const base = '/api/snapshot-schedules/';
  const body = {
    name: 'nightly',
    virtual_machine: ids.vm.id,
    schedule: { preset: 'daily', time: '22:00', timezone: 'Europe/Paris' },
    keep_last: 3,
  };
  await call('POST', base, { body, as: roles.viewer, status: 403 });
  await call('POST', base, { body: { ...body, keep_last: 0 }, as: roles.operator, status: 400 });
  await call('POST', base, { body: { ...body, virtual_machine: 999_999 }, as: roles.operator, status: 400 });
  const schedule = await call('POST', base, { body, as: roles.operator, status: 201 });
  expect(schedule).toMatchObject({
    schedule_description: 'tous les jours à 22:00 (Europe/Paris)',
    timezone: 'Europe/Paris',
  });
  expect(schedule.next_runs).toHaveLength(3);
  await call('GET', base, { status: 200 });
  await call('GET', base, { query: `virtual_machine=${ids.vm.id}&page_size=1`, status: 200 });
  await call('GET', base, { query: 'virtual_machine=abc', status: 400 });
  const detail = `${base}{id}/`;
  await call('GET', detail, { params: { id: schedule.id }, status: 200 });
  await call('GET', detail, { params: { id: 999_999 }, status: 404 });
  expect(
    await call('PATCH', detail, {
      params: { id: schedule.id },
      body: { is_active: false },
      as: roles.operator,
      status: 200,
    }),
  ).toMatchObject({ is_active: false });
  await call('PUT', detail, {
    params: { id: schedule.id },
    body: { keep_last: 'many' },
    as: roles.operator,
    status: 400,
  });
  expect(
    await call('PUT', detail, {
      params: { id: schedule.id },
      body: { keep_last: 5 },
      as: roles.operator,
      status: 200,
    }),
  ).toMatchObject({ keep_last: 5 });
  await call('DELETE', detail, { params: { id: schedule.id }, as: roles.operator, status: 204 });
  await call('DELETE', detail, { params: { id: schedule.id }, as: roles.operator, status: 404 });
}
