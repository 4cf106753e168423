import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreJob, vmBackupJob } from '../../src/backup/index.js';
import type { Manifest } from '../../src/backup/manifest.js';
import {
  createBackupJob,
  createRestoreJob,
  getBackup,
  getRestore,
  listBackups,
  setBackupResult,
} from '../../src/db/backups.js';
import { listVirtualMachines } from '../../src/db/inventory.js';
import { jobs, snapshot_ledger, vm_backups } from '../../src/db/schema.js';
import { insertStoragePath } from '../../src/db/storage-paths.js';
import { storedCode } from '../../src/i18n/message.js';
import { translator } from '../../src/i18n/translate.js';
import { JobAbortedError } from '../../src/jobs/execute.js';
import type { Index } from '../../src/repository/format.js';
import { prepareRepository } from '../../src/storage/repository-setup.js';
import { fetchInventory, type VSphereClient } from '../../src/vsphere/index.js';
import { type Simulator, startSimulator } from '../support/simulator.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import {
  addServer,
  addStoragePath,
  chunkBytes,
  chunkFileOf,
  connect,
  flipByte,
  putFile,
  removeStorageDirs,
  runJob,
  sha256,
} from './support.js';

const MiB = 1024 * 1024;
const VMX = (name: string) =>
  `.encoding = "UTF-8"\nconfig.version = "8"\ndisplayName = "${name}"\nnvram = "${name}.nvram"\nscsi0:0.fileName = "disk1.vmdk"\n`;
const DESCRIPTOR = '# Disk DescriptorFile\nversion=1\ncreateType="vmfs"\nRW 131072 VMFS "disk1-flat.vmdk"\n';

describe('VM backup and restore against two simulated hosts', () => {
  let src: Simulator;
  let dst: Simulator;
  let t: TestApp;
  let srcClient: VSphereClient;
  let srcId: number;
  let dstId: number;
  let storage: { id: number; path: string };
  const disk = randomBytes(64 * MiB);
  const vmId = async (name: string) =>
    (await listVirtualMachines(t.deps.db, { esxi_server: srcId })).rows.find((r) => r.vm.name === name)?.vm
      .id ?? 0;

  beforeAll(async () => {
    [src, dst] = await Promise.all([startSimulator({ tls: true }), startSimulator({ tls: true })]);
    t = await createTestApp();
    srcClient = await connect(src);
    for (const vm of ['ha-host_VM0', 'ha-host_VM1']) {
      await putFile(srcClient, src, `${vm}/disk1-flat.vmdk`, disk);
      await putFile(srcClient, src, `${vm}/disk1.vmdk`, DESCRIPTOR);
      await putFile(srcClient, src, `${vm}/${vm}.vmx`, VMX(vm));
      await putFile(srcClient, src, `${vm}/${vm}.nvram`, randomBytes(8192));
    }
    srcId = await addServer(t.deps, src, 'source');
    dstId = await addServer(t.deps, dst, 'destination');
    storage = await addStoragePath(t.deps);
  });
  afterAll(async () => {
    await srcClient?.logout();
    await t?.close();
    removeStorageDirs();
    await Promise.all([src?.stop(), dst?.stop()]);
  });

  const english = translator('en');
  /** Backs up ha-host_VM0. @returns the backup row, its finished job and the progress reports. */
  const backUp = async () => {
    const row = await createBackupJob(t.deps.db, { virtual_machine_id: await vmId('ha-host_VM0') });
    return { row, ...(await runJob(vmBackupJob, t.deps, row.job_id)) };
  };
  /** One completed backup, made by the first test that needs it, for the tests that restore it. */
  let completed: ReturnType<typeof backUp> | undefined;
  const completedBackupId = async () => {
    completed ??= backUp();
    const { row, job } = await completed;
    expect(job.status).toBe('COMPLETED');
    return row.id;
  };

  it('backs up a VM: identical files, manifest, snapshot removed, ledger closed', async () => {
    completed ??= backUp();
    const { row, job, reports } = await completed;
    expect(row.storage_path_id).toBe(storage.id);
    expect(job.error).toBeNull();
    expect(job.status).toBe('COMPLETED');
    const steps = reports.flatMap((r) => (r.step ? [english.message(r.step)] : []));
    expect(steps).toEqual(
      expect.arrayContaining([
        'Creating snapshot',
        'Copying disk1-flat.vmdk',
        'Writing the index',
        'Removing snapshot',
      ]),
    );
    expect(reports.some((r) => (r.bytes_done ?? 0) > 0 && (r.bytes_done ?? 0) < disk.length)).toBe(true);

    const backup = await getBackup(t.deps.db, row.id);
    const indexPath = backup?.index_path ?? '';
    expect(backup?.format).toBe('repository');
    expect(indexPath).toMatch(
      new RegExp(`^${storage.path}/\\.indexes/ha-host_VM0/\\d{8}T\\d{6}Z-job${row.job_id}\\.json$`),
    );
    expect(backup?.backup_dir).toBe(path.dirname(indexPath));
    expect(existsSync(path.join(storage.path, 'repository.json'))).toBe(true);
    const indexText = readFileSync(indexPath);
    expect(backup?.manifest_sha256).toBe(sha256(indexText));
    const index = JSON.parse(indexText.toString()) as Index;
    expect(index.files.map((f) => f.name).sort()).toEqual([
      'disk1-flat.vmdk',
      'disk1.vmdk',
      'ha-host_VM0.nvram',
      'ha-host_VM0.vmx',
    ]);
    expect(index.files.find((f) => f.name === 'disk1-flat.vmdk')).toMatchObject({
      size: disk.length,
      sha256: sha256(disk),
    });
    expect(index.files.find((f) => f.name === 'disk1-flat.vmdk')?.chunks).toHaveLength(16);
    expect(index.files.find((f) => f.name === 'ha-host_VM0.vmx')?.sha256).toBe(sha256(VMX('ha-host_VM0')));
    expect(index.vm).toMatchObject({
      name: 'ha-host_VM0',
      num_cpu: 1,
      memory_mb: 32,
      guest_id: 'otherGuest',
    });
    expect(index.vm.disks).toHaveLength(1);
    expect(index.source_host).toMatchObject({ name: 'source', hostname: '127.0.0.1', version: '6.5.0' });
    expect(index.snapshot.name).toBe(`ebm-backup-${row.job_id}`);
    expect(index.app_version).toBe('0.1.0');
    expect(index.job_id).toBe(row.job_id);
    expect(backup).toMatchObject({
      file_count: 4,
      size_bytes: index.logical_bytes,
      logical_bytes: index.logical_bytes,
      bytes_written: index.bytes_written,
      verification_state: 'unverified',
      status: 'COMPLETED',
    });
    expect(backup?.bytes_read).toBe(index.logical_bytes);
    expect(backup?.bytes_written).toBeGreaterThanOrEqual(disk.length);

    const vm = (await fetchInventory(srcClient)).vms.find((v) => v.name === 'ha-host_VM0');
    expect(vm?.snapshots).toEqual([]);
    const ledger = await t.deps.db
      .select()
      .from(snapshot_ledger)
      .where(eq(snapshot_ledger.job_id, row.job_id));
    expect(ledger).toHaveLength(1);
    expect(ledger[0]?.snapshot_moref).toMatch(/^snapshot-/);
    expect(ledger[0]?.removed_at).toBeInstanceOf(Date);
    expect((await listBackups(t.deps.db, { status: 'COMPLETED' })).rows.map((b) => b.id)).toContain(row.id);
  });

  it('restores it to a second host under a new name: identical files, VM registered and powered on', async () => {
    const restore = await createRestoreJob(t.deps.db, {
      vm_backup_id: await completedBackupId(),
      esxi_server_id: dstId,
      datastore: 'LocalDS_0',
      vm_name: 'restored-vm',
      power_on: true,
    });
    const { job, reports } = await runJob(restoreJob, t.deps, restore.job_id);
    expect(job.error).toBeNull();
    expect(job.status).toBe('COMPLETED');
    const steps = reports.flatMap((r) => (r.step ? [english.message(r.step)] : []));
    expect(steps).toEqual(expect.arrayContaining(['Uploading disk1-flat.vmdk', 'Registering VM']));
    // One pass: every chunk is checked as it is uploaded, not read once before.
    expect(steps).not.toContain('Verifying disk1-flat.vmdk');
    const folder = path.join(dst.datastores[0]?.path ?? '', 'restored-vm');
    expect(sha256(readFileSync(path.join(folder, 'disk1-flat.vmdk')))).toBe(sha256(disk));
    expect(readFileSync(path.join(folder, 'disk1.vmdk'), 'utf8')).toBe(DESCRIPTOR);
    expect(existsSync(path.join(folder, 'restored-vm.nvram'))).toBe(true);
    const vmx = readFileSync(path.join(folder, 'restored-vm.vmx'), 'utf8');
    expect(vmx).toContain('displayName = "restored-vm"');
    expect(vmx).toContain('nvram = "restored-vm.nvram"');
    expect(vmx).toContain('scsi0:0.fileName = "disk1.vmdk"');
    expect(vmx).not.toContain('ha-host_VM0');

    const client = await connect(dst);
    const vm = (await fetchInventory(client)).vms.find((v) => v.name === 'restored-vm');
    await client.logout();
    expect(vm).toMatchObject({
      power_state: 'poweredOn',
      vmx_path: '[LocalDS_0] restored-vm/restored-vm.vmx',
    });
    expect((await getRestore(t.deps.db, restore.id))?.vm_moref).toBe(vm?.moref);
    const { rows: dbVms } = await listVirtualMachines(t.deps.db, { esxi_server: dstId });
    expect(dbVms.map((r) => r.vm.name)).toContain('restored-vm');
  });

  it('backs up incrementally: unchanged writes under 1 %, 1 MiB changed writes about one chunk; each restores byte-identical', async () => {
    const firstId = await completedBackupId();
    const second = await backUp();
    expect(second.job.status).toBe('COMPLETED');
    const secondRow = await getBackup(t.deps.db, second.row.id);
    expect(secondRow?.bytes_read).toBe(secondRow?.logical_bytes);
    expect(secondRow?.bytes_written ?? Infinity).toBeLessThan(0.01 * disk.length);

    const changed = Buffer.from(disk);
    randomBytes(MiB).copy(changed, 21 * MiB + 12345);
    await putFile(srcClient, src, 'ha-host_VM0/disk1-flat.vmdk', changed);
    const third = await backUp();
    expect(third.job.status).toBe('COMPLETED');
    const thirdRow = await getBackup(t.deps.db, third.row.id);
    expect(thirdRow?.bytes_written ?? Infinity).toBeGreaterThan(0);
    expect(thirdRow?.bytes_written ?? Infinity).toBeLessThanOrEqual(2 * 4 * MiB);

    const cases: Array<[number, Buffer, string]> = [
      [firstId, disk, 'point-1'],
      [second.row.id, disk, 'point-2'],
      [third.row.id, changed, 'point-3'],
    ];
    for (const [id, expected, name] of cases) {
      const restore = await createRestoreJob(t.deps.db, {
        vm_backup_id: id,
        esxi_server_id: dstId,
        datastore: 'LocalDS_0',
        vm_name: name,
      });
      const { job } = await runJob(restoreJob, t.deps, restore.job_id);
      expect(job.error).toBeNull();
      const folder = path.join(dst.datastores[0]?.path ?? '', name);
      expect(sha256(readFileSync(path.join(folder, 'disk1-flat.vmdk')))).toBe(sha256(expected));
    }
    await putFile(srcClient, src, 'ha-host_VM0/disk1-flat.vmdk', disk);
  });

  it('shares chunks between two VMs with identical disks', async () => {
    await completedBackupId();
    const row = await createBackupJob(t.deps.db, { virtual_machine_id: await vmId('ha-host_VM1') });
    const { job } = await runJob(vmBackupJob, t.deps, row.job_id);
    expect(job.status).toBe('COMPLETED');
    const backup = await getBackup(t.deps.db, row.id);
    expect(backup?.bytes_written ?? Infinity).toBeLessThan(0.01 * disk.length);
    // One disk, the 1 MiB change of the incremental test (one or two chunks) and the small files.
    expect(chunkBytes(storage.path)).toBeLessThan(disk.length + 2 * 4 * MiB + MiB);
    expect(chunkBytes(storage.path)).toBeGreaterThanOrEqual(disk.length);
  });

  it('backs up into an encrypted repository and restores it byte-identical (keyed whole-file digest)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ebm-vault-'));
    const prepared = await prepareRepository(t.deps, {
      path: dir,
      encrypted: true,
      passphrase: 'un mot de passe',
    });
    const vault = await insertStoragePath(t.deps.db, { name: 'vault', path: dir, ...prepared.columns });
    try {
      const vm = await vmId('ha-host_VM0');
      const row = await createBackupJob(t.deps.db, { virtual_machine_id: vm, storage_path_id: vault.id });
      expect((await runJob(vmBackupJob, t.deps, row.job_id)).job.status).toBe('COMPLETED');
      const restore = await createRestoreJob(t.deps.db, {
        vm_backup_id: row.id,
        esxi_server_id: dstId,
        datastore: 'LocalDS_0',
        vm_name: 'vault-vm',
      });
      const { job } = await runJob(restoreJob, t.deps, restore.job_id);
      expect(job.error).toBeNull();
      const folder = path.join(dst.datastores[0]?.path ?? '', 'vault-vm');
      expect(sha256(readFileSync(path.join(folder, 'disk1-flat.vmdk')))).toBe(sha256(disk));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  /**
   * Restores backup `backupId` as `vmName` and expects it refused as corrupt (`english`: the error in
   * English) with nothing of it left on the destination: no folder, no VM.
   */
  const expectRefused = async (backupId: number, vmName: string, english: string, undo: () => void) => {
    const restore = await createRestoreJob(t.deps.db, {
      vm_backup_id: backupId,
      esxi_server_id: dstId,
      datastore: 'LocalDS_0',
      vm_name: vmName,
    });
    const { job } = await runJob(restoreJob, t.deps, restore.job_id);
    undo(); // the chunk is shared with the other restore points of this disk
    expect(job.status).toBe('FAILED');
    expect(storedCode(job.error)).toBe('corrupt_backup');
    expect(translator('en').stored(job.error)).toBe(english);
    expect(existsSync(path.join(dst.datastores[0]?.path ?? '', vmName))).toBe(false);
    const client = await connect(dst);
    expect((await fetchInventory(client)).vms.map((v) => v.name)).not.toContain(vmName);
    await client.logout();
    return job;
  };

  it('refuses a corrupt backup, naming the file, and leaves nothing on the destination', async () => {
    // A backup of its own: the one the restore test reads stays intact.
    const { row, job: backedUp } = await backUp();
    expect(backedUp.status).toBe('COMPLETED');
    const indexPath = (await getBackup(t.deps.db, row.id))?.index_path ?? '';
    const chunk = chunkFileOf(indexPath, 'disk1-flat.vmdk', 3);
    const digest = path.basename(chunk);
    const job = await expectRefused(
      row.id,
      'corrupt-vm',
      `disk1-flat.vmdk is corrupt: chunk ${digest} is missing or no longer matches its digest.`,
      flipByte(chunk),
    );
    expect(translator('fr').stored(job.error)).toBe(
      `disk1-flat.vmdk est corrompu : le bloc ${digest} est absent ou ne correspond plus à son empreinte.`,
    );
  });

  it('refuses a corrupt file found once most or all of it was uploaded, and removes what it sent', async () => {
    const { row, job: backedUp } = await backUp();
    expect(backedUp.status).toBe('COMPLETED');
    const indexPath = (await getBackup(t.deps.db, row.id))?.index_path ?? '';
    // The last chunk: every earlier byte of the disk was sent when it is found.
    const last = chunkFileOf(indexPath, 'disk1-flat.vmdk', disk.length / (4 * MiB) - 1);
    await expectRefused(
      row.id,
      'corrupt-last-vm',
      `disk1-flat.vmdk is corrupt: chunk ${path.basename(last)} is missing or no longer matches its digest.`,
      flipByte(last),
    );
    // Every chunk sound but the whole-file digest wrong: the host has taken the whole file when it is found.
    const original = readFileSync(indexPath);
    const index = JSON.parse(original.toString()) as Index;
    const file = index.files.find((f) => f.name === 'disk1-flat.vmdk');
    if (file) file.sha256 = sha256('not the disk');
    const text = Buffer.from(JSON.stringify(index));
    writeFileSync(indexPath, text);
    await t.deps.db
      .update(vm_backups)
      .set({ manifest_sha256: sha256(text) })
      .where(eq(vm_backups.id, row.id));
    await expectRefused(row.id, 'corrupt-whole-vm', 'disk1-flat.vmdk is corrupt: SHA-256 mismatch.', () =>
      writeFileSync(indexPath, original),
    );
  });

  it('still restores a directory backup made before repositories, and refuses it corrupt', async () => {
    const row = await createBackupJob(t.deps.db, { virtual_machine_id: await vmId('ha-host_VM0') });
    const dir = path.join(storage.path, 'ha-host_VM0', `20250101T000000Z-job${row.job_id}`);
    mkdirSync(dir, { recursive: true });
    const files = {
      'disk1-flat.vmdk': disk.subarray(0, 8 * MiB),
      'disk1.vmdk': Buffer.from(DESCRIPTOR),
      'ha-host_VM0.vmx': Buffer.from(VMX('ha-host_VM0')),
      'ha-host_VM0.nvram': randomBytes(8192),
    };
    const types = {
      'disk1-flat.vmdk': 'diskExtent',
      'disk1.vmdk': 'diskDescriptor',
      'ha-host_VM0.vmx': 'config',
      'ha-host_VM0.nvram': 'nvram',
    };
    for (const [name, data] of Object.entries(files)) writeFileSync(path.join(dir, name), data);
    // What a version before repositories wrote last into the directory.
    const manifest: Manifest = {
      format: 1,
      app_version: '0.1.0',
      vm: {
        name: 'ha-host_VM0',
        moref: 'vm-1',
        guest_id: 'otherGuest',
        guest_os: 'Other',
        num_cpu: 1,
        memory_mb: 32,
        vmx_path: '[LocalDS_0] ha-host_VM0/ha-host_VM0.vmx',
        disks: [],
      },
      source_host: { name: 'source', hostname: '127.0.0.1', version: '6.5.0' },
      snapshot: { name: 'x', moref: null, quiesced: false },
      started_at: new Date().toISOString(),
      finished_at: new Date().toISOString(),
      total_bytes: Object.values(files).reduce((sum, f) => sum + f.length, 0),
      files: Object.entries(files).map(([name, data]) => ({
        name,
        source: `[LocalDS_0] ha-host_VM0/${name}`,
        type: types[name as keyof typeof types],
        size_bytes: data.length,
        sha256: sha256(data),
      })),
    };
    const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
    writeFileSync(path.join(dir, 'manifest.json'), manifestText);
    const manifestSha = sha256(manifestText);
    await setBackupResult(t.deps.db, row.id, {
      backup_dir: dir,
      size_bytes: 8 * MiB,
      file_count: 3,
      manifest_sha256: manifestSha,
    });
    await t.deps.db.update(jobs).set({ status: 'COMPLETED' }).where(eq(jobs.id, row.job_id));
    expect((await getBackup(t.deps.db, row.id))?.format).toBe('directory');

    const restoreTo = async (name: string) => {
      const restore = await createRestoreJob(t.deps.db, {
        vm_backup_id: row.id,
        esxi_server_id: dstId,
        datastore: 'LocalDS_0',
        vm_name: name,
      });
      return (await runJob(restoreJob, t.deps, restore.job_id)).job;
    };
    expect((await restoreTo('legacy-vm')).error).toBeNull();
    const folder = path.join(dst.datastores[0]?.path ?? '', 'legacy-vm');
    expect(sha256(readFileSync(path.join(folder, 'disk1-flat.vmdk')))).toBe(sha256(files['disk1-flat.vmdk']));
    expect(readFileSync(path.join(folder, 'legacy-vm.vmx'), 'utf8')).toContain('displayName = "legacy-vm"');

    const bytes = readFileSync(path.join(dir, 'disk1-flat.vmdk'));
    bytes[12345] = (bytes[12345] ?? 0) ^ 0xff;
    writeFileSync(path.join(dir, 'disk1-flat.vmdk'), bytes);
    const failed = await restoreTo('legacy-corrupt');
    expect(failed.status).toBe('FAILED');
    expect(translator('en').stored(failed.error)).toBe('disk1-flat.vmdk is corrupt: SHA-256 mismatch.');
    expect(existsSync(path.join(dst.datastores[0]?.path ?? '', 'legacy-corrupt'))).toBe(false);
  });

  it('cancelled mid-copy: no partial directory, no snapshot, CANCELLED', async () => {
    const row = await createBackupJob(t.deps.db, { virtual_machine_id: await vmId('ha-host_VM1') });
    let abortedAt = 0;
    const { job } = await runJob(vmBackupJob, t.deps, row.job_id, {
      onReport: (u, c) => {
        if (!c.signal.aborted && (u.bytes_done ?? 0) > 0) {
          abortedAt = u.bytes_done ?? 0;
          c.abort(new JobAbortedError('cancel'));
        }
      },
    });
    expect(abortedAt).toBeGreaterThan(0);
    expect(abortedAt).toBeLessThan(disk.length);
    expect(job.status).toBe('CANCELLED');
    expect(storedCode(job.error)).toBe('cancelled');
    expect(translator('en').stored(job.error)).toBe('cancelled by the user');
    const indexes = path.join(storage.path, '.indexes', 'ha-host_VM1');
    const mine = existsSync(indexes)
      ? readdirSync(indexes).filter((f) => f.includes(`-job${row.job_id}`))
      : [];
    expect(mine).toEqual([]);
    expect(existsSync(path.join(storage.path, 'ha-host_VM1'))).toBe(false);
    expect((await getBackup(t.deps.db, row.id))?.backup_dir).toBeNull();
    const vm = (await fetchInventory(srcClient)).vms.find((v) => v.name === 'ha-host_VM1');
    expect(vm?.snapshots).toEqual([]);
    const [ledger] = await t.deps.db
      .select()
      .from(snapshot_ledger)
      .where(eq(snapshot_ledger.job_id, row.job_id));
    expect(ledger?.removed_at).toBeInstanceOf(Date);
  });

  it('refuses a backup request for an unknown VM or without a storage path, and a restore of an unfinished backup', async () => {
    await expect(createBackupJob(t.deps.db, { virtual_machine_id: 99999 })).rejects.toMatchObject({
      status: 400,
      fields: { virtual_machine: [{ key: 'backups.request.vm_unknown', params: { id: 99999 } }] },
    });
    await expect(
      createBackupJob(t.deps.db, { virtual_machine_id: await vmId('ha-host_VM1'), storage_path_id: 99999 }),
    ).rejects.toThrow(/Storage path 99999/);
    const pending = await createBackupJob(t.deps.db, { virtual_machine_id: await vmId('ha-host_VM1') });
    await expect(
      createRestoreJob(t.deps.db, {
        vm_backup_id: pending.id,
        esxi_server_id: dstId,
        datastore: 'LocalDS_0',
        vm_name: 'x',
      }),
    ).rejects.toThrow(/not complete \(pending\)/);
  });
});
