/**
 * @module test/api-contract/flows-storage: contract calls for the repositories of storage paths: encrypted
 * creation (master key once, wrong passphrase), verify and garbage collection starts (no job runner runs:
 * the jobs stay queued, so a second start is a 409).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import type { Contract } from './support.js';

/** Encrypted storage paths, verify and GC. */
export async function storageRepositoryFlow({ call, roles }: Contract): Promise<void> {
  const paths = '/api/storage-paths/';
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'ebm-contract-repo-')), 'repo');
  const body = { name: 'vault', path: dir, encrypted: true, passphrase: 'correct horse battery' };
  const vault = await call('POST', paths, { body, status: 201 });
  expect(vault.master_key).toMatch(/^[0-9a-f]{64}$/);
  expect(vault).not.toHaveProperty('passphrase');
  const wrong = await call('POST', paths, {
    body: { ...body, name: 'vault-2', passphrase: 'wrong passphrase' },
    status: 400,
  });
  expect(wrong.code).toBe('repository_wrong_passphrase');
  await call('PATCH', `${paths}{id}/`, { params: { id: vault.id }, body: { encrypted: false }, status: 400 });
  const plain = await call('POST', paths, {
    body: { name: 'empty', path: path.join(path.dirname(dir), 'empty') },
    status: 201,
  });
  await call('POST', `${paths}{id}/verify/`, { params: { id: plain.id }, status: 409 });
  await call('POST', `${paths}{id}/verify/`, { params: { id: vault.id }, as: roles.operator, status: 403 });
  const verify = await call('POST', `${paths}{id}/verify/`, { params: { id: vault.id }, status: 202 });
  expect(verify).toMatchObject({ type: 'repository_verify', status: 'PENDING', target_label: 'vault' });
  const again = await call('POST', `${paths}{id}/verify/`, { params: { id: vault.id }, status: 409 });
  expect(again).toMatchObject({ code: 'repository_job_active', operation: verify.id });
  const gc = await call('POST', `${paths}{id}/garbage_collect/`, { params: { id: vault.id }, status: 202 });
  expect(gc.type).toBe('repository_gc');
  await call('POST', `${paths}{id}/garbage_collect/`, { params: { id: 999_999 }, status: 404 });
}
