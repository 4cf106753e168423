/**
 * @module test/api-contract/contract: every operation of the OpenAPI document is requested for real (app
 * in-process, real PostgreSQL, a simulated ESXi host) and each answer is checked against the document: its
 * status must be documented and its body must match the schema documented for that status. Finally every
 * documented operation must have been exercised.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupJobFlow } from './flows-backup-jobs.js';
import { backupFlow, surebackupFlow } from './flows-backups.js';
import { notificationFlow } from './flows-notifications.js';
import { ovfExportFlow } from './flows-ovf.js';
import { replicationFlow } from './flows-replication.js';
import { openFlow, serverFlow } from './flows-servers.js';
import { snapshotFlow } from './flows-snapshots.js';
import { storageRepositoryFlow } from './flows-storage.js';
import { type Contract, startContract } from './support.js';
import { type Document, documentedOperations } from './validator.js';

describe('the API answers as documented', () => {
  let contract: Contract;
  let ids: Awaited<ReturnType<typeof serverFlow>>;
  let backup: number;

  beforeAll(async () => {
    contract = await startContract();
  });
  afterAll(async () => {
    await contract?.close();
  });

  it('open endpoints, authentication and errors', async () => {
    await openFlow(contract);
  });

  it('ESXi servers, inventory, storage paths, with pagination', async () => {
    ids = await serverFlow(contract);
  });

  it('storage path repositories: encryption, verify and garbage collection', async () => {
    await storageRepositoryFlow(contract);
  });

  it('backups, restores and operations', async () => {
    backup = await backupFlow(contract, ids);
  });

  it('OVF exports', async () => {
    await ovfExportFlow(contract, ids);
  });

  it('backup jobs and their runs', async () => {
    await backupJobFlow(contract, ids);
  });

  it('SureBackup verifications and schedules', async () => {
    await surebackupFlow(contract, ids, backup);
  });

  it('replications, runs, failover events', async () => {
    await replicationFlow(contract, ids);
  });

  it('VM snapshots and snapshot schedules', async () => {
    await snapshotFlow(contract, ids);
  });

  it('notification channels, deliveries and PDF reports', async () => {
    await notificationFlow(contract);
  });

  it('exercised every documented operation', async () => {
    const doc = (await (await contract.t.app.request('/api/schema/')).json()) as Document;
    const missing = documentedOperations(doc).filter((op) => !contract.checker.exercised.has(op));
    expect(missing).toEqual([]);
  });

  it('rejects a body that strays from the document (the check itself works)', async () => {
    const res = await contract.t.app.request('/api/esxi-servers/', { headers: contract.roles.admin });
    const [server] = (await res.json()) as Array<Record<string, unknown>>;
    const tampered = new Response(JSON.stringify([{ ...server, password: 'leak' }]), {
      headers: { 'Content-Type': 'application/json' },
    });
    await expect(contract.checker.check('GET', '/api/esxi-servers/', tampered)).rejects.toThrow(
      /does not match the document/,
    );
  });
});
