/**
 * @module test/api-contract/flows-servers: contract calls for the open endpoints, ESXi servers, inventory and
 * storage paths. @returns the ids the later flows need.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import type { Contract } from './support.js';

/** Open endpoints, authentication, errors and pagination. */
export async function openFlow({ t, call }: Contract): Promise<void> {
  const { username, password } = await t.signIn('viewer');
  const json = { 'Content-Type': 'application/json' };
  await call('POST', '/api/auth/token/', { body: { username, password: 'wrong' }, as: json, status: 400 });
  const { token } = await call('POST', '/api/auth/token/', {
    body: { username, password },
    as: json,
    status: 200,
  });
  expect(token).toEqual(expect.any(String));
  await call('GET', '/api/metrics', { as: {}, status: 200 });
  await call('GET', '/api/schema/', { as: {}, status: 200 });
  const anonymous = await call('GET', '/api/esxi-servers/', { as: {}, status: 401 });
  expect(anonymous).toEqual({ status: 401, code: 'not_authenticated', message: expect.any(String) });
  await call('GET', '/api/esxi-servers/', { as: { Authorization: 'Token nope' }, status: 401 });
}

/** Servers (two registrations of the simulator: source and destination), inventory, storage paths. */
export async function serverFlow({ sim, call, roles }: Contract) {
  const fields = {
    hostname: sim.hostname,
    port: sim.port,
    protocol: sim.protocol,
    username: sim.username,
    password: sim.password,
  };
  const base = '/api/esxi-servers/';
  await call('POST', base, { body: { name: 'x', ...fields }, as: roles.viewer, status: 403 });
  const bad = await call('POST', base, { body: { name: '', ...fields, port: 70_000 }, status: 400 });
  expect(Object.keys(bad.errors).sort()).toEqual(['name', 'port']);
  const source = await call('POST', base, { body: { name: 'source', ...fields }, status: 201 });
  const destination = await call('POST', base, { body: { name: 'destination', ...fields }, status: 201 });
  const spare = await call('POST', base, { body: { name: 'spare', ...fields }, status: 201 });
  expect(await call('GET', base, { status: 200 })).toHaveLength(3);
  const page = await call('GET', base, { query: 'page=1&page_size=2', status: 200 });
  expect(page).toMatchObject({ count: 3, previous: null, results: [{}, {}] });
  expect(page.next).toMatch(/page=2/);
  const last = await call('GET', base, { query: 'page=2&page_size=2', as: roles.viewer, status: 200 });
  expect(last).toMatchObject({ count: 3, next: null, results: [{}] });
  expect(last.previous).toMatch(/page=1/);
  expect(await call('GET', base, { query: 'page=3&page_size=2', status: 404 })).toMatchObject({
    code: 'not_found',
    message: 'Page invalide.',
  });
  const badPage = await call('GET', base, { query: 'page=0&page_size=501', status: 400 });
  expect(Object.keys(badPage.errors).sort()).toEqual(['page', 'page_size']);
  const detail = `${base}{id}/`;
  const params = { id: source.id };
  await call('GET', detail, { params, status: 200 });
  await call('GET', detail, { params: { id: 999_999 }, status: 404 });
  await call('PUT', detail, { params: { id: spare.id }, body: { name: 'spare-2', ...fields }, status: 200 });
  await call('PATCH', detail, { params, body: { is_active: true }, status: 200 });
  await call('PATCH', detail, { params, body: { name: 'destination' }, status: 400 });
  await call('POST', `${detail}test_connection/`, { params, as: roles.operator, status: 200 });
  await call('POST', `${detail}test_connection/`, { params, as: roles.viewer, status: 403 });
  await call('POST', `${detail}sync/`, { params, as: roles.operator, status: 200 });
  await call('POST', `${detail}sync/`, { params: { id: destination.id }, status: 200 });
  await call('POST', `${detail}trust_certificate/`, { params, status: 200 });
  await call('DELETE', detail, { params: { id: spare.id }, status: 204 });

  const vms = await call('GET', '/api/virtual-machines/', { query: `esxi_server=${source.id}`, status: 200 });
  expect(vms.length).toBeGreaterThan(1);
  // Pages cut in SQL: the filter applies to the count and the rows, in the list's order.
  const vmPage = await call('GET', '/api/virtual-machines/', {
    query: `esxi_server=${source.id}&page=2&page_size=1`,
    status: 200,
  });
  expect(vmPage).toMatchObject({ count: vms.length, results: [{ id: vms[1].id }] });
  expect(vmPage.previous).toMatch(/page=1/);
  const lastVm = `esxi_server=${source.id}&page_size=1&page=`;
  expect(
    (await call('GET', '/api/virtual-machines/', { query: `${lastVm}${vms.length}`, status: 200 })).next,
  ).toBe(null);
  await call('GET', '/api/virtual-machines/', { query: `${lastVm}${vms.length + 1}`, status: 404 });
  const bogus = await call('GET', '/api/virtual-machines/', {
    query: 'power_state=on&esxi_server=x',
    status: 400,
  });
  expect(Object.keys(bogus.errors).sort()).toEqual(['esxi_server', 'power_state']);
  await call('GET', '/api/virtual-machines/{id}/', { params: { id: vms[0].id }, status: 200 });
  await call('GET', '/api/virtual-machines/{id}/', { params: { id: 999_999 }, status: 404 });
  expect(vms[0]).toMatchObject({ retention: { keep_last: 7, keep_daily: 0 }, retention_is_default: true });
  const retention = '/api/virtual-machines/{id}/retention/';
  const vm = { id: vms[0].id };
  const own = { keep_last: 3, keep_daily: 14 };
  await call('PUT', retention, { params: vm, body: own, as: roles.viewer, status: 403 });
  const set = await call('PUT', retention, { params: vm, body: own, as: roles.operator, status: 200 });
  expect(set).toMatchObject({ retention: { ...own, keep_weekly: 0 }, retention_is_default: false });
  const refused = await call('PUT', retention, {
    params: vm,
    body: { keep_last: 0, keep_daily: -1 },
    status: 400,
  });
  expect(Object.keys(refused.errors)).toEqual(['keep_daily']);
  await call('PUT', retention, { params: { id: 999_999 }, body: own, status: 404 });
  const reset = await call('DELETE', retention, { params: vm, as: roles.operator, status: 200 });
  expect(reset).toMatchObject({ retention: { keep_last: 7, keep_daily: 0 }, retention_is_default: true });
  await call('DELETE', retention, { params: { id: 999_999 }, status: 404 });
  const enable = '/api/virtual-machines/{id}/enable_change_tracking/';
  await call('POST', enable, { params: vm, as: roles.viewer, status: 403 });
  expect(await call('POST', enable, { params: vm, as: roles.operator, status: 200 })).toMatchObject({
    change_tracking_enabled: true,
  });
  await call('POST', enable, { params: { id: 999_999 }, status: 404 });
  const disable = '/api/virtual-machines/{id}/disable_change_tracking/';
  expect(await call('POST', disable, { params: vm, as: roles.operator, status: 200 })).toMatchObject({
    change_tracking_enabled: false,
  });
  const datastores = await call('GET', '/api/datastores/', {
    query: `esxi_server=${source.id}`,
    status: 200,
  });
  expect(datastores.length).toBeGreaterThan(0);

  const paths = '/api/storage-paths/';
  const dir = (name: string) => path.join(mkdtempSync(path.join(tmpdir(), 'ebm-contract-')), name);
  const storage = await call('POST', paths, { body: { name: 'local', path: dir('a') }, status: 201 });
  const other = await call('POST', paths, { body: { name: 'other', path: dir('b') }, status: 201 });
  await call('POST', paths, { body: { name: 'relative', path: 'backups' }, status: 400 });
  await call('GET', paths, { status: 200 });
  await call('GET', `${paths}{id}/`, { params: { id: storage.id }, status: 200 });
  await call('PUT', `${paths}{id}/`, {
    params: { id: other.id },
    body: { name: 'other-2', path: other.path },
    status: 200,
  });
  await call('PATCH', `${paths}{id}/`, {
    params: { id: storage.id },
    body: { description: 'contract' },
    status: 200,
  });
  await call('DELETE', `${paths}{id}/`, { params: { id: other.id }, status: 204 });
  await call('DELETE', `${paths}{id}/`, { params: { id: other.id }, status: 404 });
  return {
    source: source.id,
    destination: destination.id,
    vm: vms[0],
    datastore: datastores[0].name,
    storage: storage.id,
  };
}
