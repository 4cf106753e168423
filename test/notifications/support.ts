/**
 * @module test/notifications/support: fixtures of the notification tests: a host, a VM, completed and failed
 * backups and verifications written straight into the test database (what jobs would have left), a
 * self-signed certificate made with openssl, and a waiter on the outbox.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { Db } from '../../src/db/client.js';
import {
  backup_verifications,
  esxi_servers,
  jobs,
  notification_deliveries,
  storage_paths,
  virtual_machines,
  vm_backups,
} from '../../src/db/schema.js';
import { storeMessage } from '../../src/i18n/message.js';

let seq = 0;

/** The one row an insert returned. */
function one<T>(rows: T[]): T {
  if (!rows[0]) throw new Error('no row returned');
  return rows[0];
}

/** A host, a VM on it, a storage path and a completed backup of the VM finished `hoursAgo` ago. */
export async function seedVm(db: Db, vmName: string, hoursAgo = 5) {
  const n = ++seq;
  const server = one(
    await db
      .insert(esxi_servers)
      .values({
        name: `esx-${vmName}-${n}`,
        hostname: '127.0.0.1',
        username: 'root',
        password_encrypted: 'x',
      })
      .returning(),
  );
  const vm = one(
    await db
      .insert(virtual_machines)
      .values({ esxi_server_id: server.id, moref: `vm-${n}`, name: vmName })
      .returning(),
  );
  const storage = one(
    await db
      .insert(storage_paths)
      .values({ name: `repo-${vmName}-${n}`, path: mkdtempSync(path.join(tmpdir(), 'ebm-notify-')) })
      .returning(),
  );
  const finished = new Date(Date.now() - hoursAgo * 3_600_000);
  const job = one(
    await db
      .insert(jobs)
      .values({ type: 'vm_backup', status: 'COMPLETED', target_label: vmName, finished_at: finished })
      .returning(),
  );
  const backup = one(
    await db
      .insert(vm_backups)
      .values({
        job_id: job.id,
        virtual_machine_id: vm.id,
        vm_name: vmName,
        esxi_server_id: server.id,
        storage_path_id: storage.id,
        backup_dir: '/nowhere',
      })
      .returning(),
  );
  return { server, vm, storage, backup };
}

/** A verification of `backupId` that ended `status` at `at`; a failure has the error `not_booted` (`detail`) and a log. */
export async function seedVerification(
  db: Db,
  backupId: number,
  serverId: number,
  status: 'passed' | 'failed' | 'warning',
  at = new Date(),
  detail = 'heartbeat gray after 600 s',
) {
  const v = one(
    await db
      .insert(backup_verifications)
      .values({
        vm_backup_id: backupId,
        esxi_server_id: serverId,
        test_type: 'boot_ping_services',
        status,
        vm_restored: true,
        vm_booted: status !== 'failed',
        boot_time_seconds: status === 'failed' ? null : 42,
        services_checked: status === 'failed' ? {} : { ssh: true, http: status === 'passed' },
        error_message:
          status === 'failed'
            ? storeMessage({ key: 'surebackup.error.not_booted', params: { detail } }, 'not_booted')
            : '',
        detailed_log: status === 'failed' ? `2026-12-01 10:00:00 - boot timed out after 600 s\n` : '',
        started_at: new Date(at.getTime() - 60_000),
        completed_at: at,
      })
      .returning(),
  );
  return v;
}

/** A self-signed certificate for localhost and 127.0.0.1: `{ key, cert }` in PEM. */
export function selfSignedCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'ebm-cert-'));
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
}

/** Waits until `check` holds for the deliveries of `channelId` (polling the outbox). */
export async function waitDeliveries(
  db: Db,
  channelId: number,
  check: (rows: Array<typeof notification_deliveries.$inferSelect>) => boolean,
  timeoutMs = 20_000,
) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const rows = await db
      .select()
      .from(notification_deliveries)
      .where(eq(notification_deliveries.channel_id, channelId));
    if (check(rows)) return rows;
    if (Date.now() > end) throw new Error(`deliveries of channel ${channelId}: ${JSON.stringify(rows)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
