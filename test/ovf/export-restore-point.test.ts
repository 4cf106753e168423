import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vmBackupJob } from '../../src/backup/index.js';
import { createBackupJob } from '../../src/db/backups.js';
import { listVirtualMachines } from '../../src/db/inventory.js';
import { createOvfExport, getOvfExport, listOvfExports } from '../../src/db/ovf-exports.js';
import { ovfExportJob } from '../../src/ovf/export-job.js';
import { partialDir } from '../../src/ovf/package-dir.js';
import {
  addServer,
  addStoragePath,
  connect,
  putFile,
  removeStorageDirs,
  runJob,
  sha256,
} from '../backup/support.js';
import { type Simulator, startSimulator } from '../support/simulator.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const MiB = 1024 * 1024;
const VM = 'ha-host_VM0';
const VMX = `.encoding = "UTF-8"\nconfig.version = "8"\ndisplayName = "${VM}"\nscsi0:0.fileName = "disk1.vmdk"\nethernet0.present = "TRUE"\nethernet0.virtualDev = "vmxnet3"\nethernet0.networkName = "VM Network"\n`;
const DESCRIPTOR = '# Disk DescriptorFile\nversion=1\ncreateType="vmfs"\nRW 131072 VMFS "disk1-flat.vmdk"\n';

/** A 64 MiB disk: random 4 MiB runs between zero runs (so that zero grains are skipped), text in between. */
function randomishDisk(): Buffer {
  const disk = Buffer.alloc(64 * MiB);
  for (let at = 0; at < disk.length; at += 12 * MiB) randomBytes(4 * MiB).copy(disk, at);
  Buffer.alloc(2 * MiB, 'ESXi Backup Manager ').copy(disk, 5 * MiB);
  return disk;
}

describe('OVF export of a restore point', () => {
  let sim: Simulator;
  let t: TestApp;
  let backupId: number;
  const disk = randomishDisk();

  beforeAll(async () => {
    sim = await startSimulator({ tls: true });
    t = await createTestApp();
    const client = await connect(sim);
    await putFile(client, sim, `${VM}/disk1-flat.vmdk`, disk);
    await putFile(client, sim, `${VM}/disk1.vmdk`, DESCRIPTOR);
    await putFile(client, sim, `${VM}/${VM}.vmx`, VMX);
    await client.logout();
    const serverId = await addServer(t.deps, sim, 'source');
    await addStoragePath(t.deps);
    const vm = (await listVirtualMachines(t.deps.db, { esxi_server: serverId })).rows.find(
      (r) => r.vm.name === VM,
    );
    const backup = await createBackupJob(t.deps.db, { virtual_machine_id: vm?.vm.id ?? 0 });
    const { job } = await runJob(vmBackupJob, t.deps, backup.job_id);
    expect(job.error).toBeNull();
    backupId = backup.id;
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    removeStorageDirs();
    await sim?.stop();
  });

  it('writes an .ovf, a .mf and a streamOptimized VMDK that qemu-img reads back to the source disk', async () => {
    const row = await createOvfExport(t.deps.db, { vm_backup_id: backupId, format: 'ovf' });
    const { job } = await runJob(ovfExportJob, t.deps, row.job_id);
    expect(job.error).toBeNull();
    expect(job.status).toBe('COMPLETED');
    const done = await getOvfExport(t.deps.db, row.id);
    expect(done.package_path).toBe(path.join(row.export_dir, `${VM}.ovf`));
    expect(done.files.map((f) => f.name)).toEqual([`${VM}.ovf`, `${VM}.mf`, `${VM}-disk1.vmdk`]);
    expect(readdirSync(row.export_dir).sort()).toEqual([`${VM}-disk1.vmdk`, `${VM}.mf`, `${VM}.ovf`]);
    expect(existsSync(partialDir(row))).toBe(false);
    for (const f of done.files) {
      const bytes = readFileSync(path.join(row.export_dir, f.name));
      expect([f.name, bytes.length, sha256(bytes)]).toEqual([f.name, f.size_bytes, f.sha256]);
    }
    expect(done.total_bytes).toBe(done.files.reduce((n, f) => n + f.size_bytes, 0));

    const mf = readFileSync(path.join(row.export_dir, `${VM}.mf`), 'utf8')
      .trim()
      .split('\n');
    expect(mf).toHaveLength(2);
    for (const line of mf) {
      const [, name, hex] = /^SHA256\((.+)\)= ([0-9a-f]{64})$/.exec(line) ?? [];
      expect(sha256(readFileSync(path.join(row.export_dir, name as string)))).toBe(hex);
    }
    const ovf = readFileSync(path.join(row.export_dir, `${VM}.ovf`), 'utf8');
    const vmdk = path.join(row.export_dir, `${VM}-disk1.vmdk`);
    expect(ovf).toContain(
      `<File ovf:href="${VM}-disk1.vmdk" ovf:id="file1" ovf:size="${done.files[2]?.size_bytes}"/>`,
    );
    expect(ovf).toContain(`ovf:capacity="${64 * MiB}"`);
    expect(ovf).toContain('<Network ovf:name="VM Network">');
    expect(ovf).toContain('<rasd:ResourceSubType>vmxnet3</rasd:ResourceSubType>');

    execFileSync('qemu-img', ['check', vmdk]);
    const raw = path.join(row.export_dir, '..', 'disk1.raw');
    execFileSync('qemu-img', ['convert', '-O', 'raw', vmdk, raw]);
    expect(sha256(readFileSync(raw))).toBe(sha256(disk));
    expect(readFileSync(vmdk).length).toBeLessThan(40 * MiB);
  }, 120_000);

  it('writes an .ova: a tar whose first member is the .ovf, then the .mf and the disk', async () => {
    const row = await createOvfExport(t.deps.db, { vm_backup_id: backupId, format: 'ova' });
    const { job } = await runJob(ovfExportJob, t.deps, row.job_id);
    expect(job.status).toBe('COMPLETED');
    const done = await getOvfExport(t.deps.db, row.id);
    expect(done.package_path).toBe(path.join(row.export_dir, `${VM}.ova`));
    expect(readdirSync(row.export_dir)).toEqual([`${VM}.ova`]);
    const ova = done.package_path as string;
    expect(done.files).toEqual([
      { name: `${VM}.ova`, size_bytes: readFileSync(ova).length, sha256: sha256(readFileSync(ova)) },
    ]);
    const members = execFileSync('tar', ['-tf', ova], { encoding: 'utf8' }).trim().split('\n');
    expect(members).toEqual([`${VM}.ovf`, `${VM}.mf`, `${VM}-disk1.vmdk`]);
    const out = path.join(row.export_dir, '..', `unpacked-${row.id}`);
    mkdirSync(out);
    execFileSync('tar', ['-xf', ova, '-C', out]);
    execFileSync('sha256sum', ['--check', '--quiet'], {
      cwd: out,
      input: readFileSync(path.join(out, `${VM}.mf`), 'utf8').replace(/^SHA256\((.+)\)= (\w+)$/gm, '$2  $1'),
    });
    execFileSync('qemu-img', ['check', path.join(out, `${VM}-disk1.vmdk`)]);
  }, 120_000);

  it('leaves no package and no partial folder when cancelled mid-export', async () => {
    const row = await createOvfExport(t.deps.db, { vm_backup_id: backupId, format: 'ovf' });
    let sawPartial = false;
    const { job } = await runJob(ovfExportJob, t.deps, row.job_id, {
      onReport: (u, controller) => {
        if ((u.progress ?? 0) > 20 && !controller.signal.aborted) {
          sawPartial = existsSync(partialDir(row));
          controller.abort(new Error('cancelled'));
        }
      },
    });
    expect(sawPartial).toBe(true);
    expect(job.status).toBe('CANCELLED');
    const after = await getOvfExport(t.deps.db, row.id);
    expect(after.package_path).toBeNull();
    expect(after.files).toEqual([]);
    expect(existsSync(partialDir(row))).toBe(false);
    expect(existsSync(row.export_dir)).toBe(false);
    const listed = await listOvfExports(t.deps.db, { status: 'COMPLETED' });
    expect(listed.rows.map((r) => r.id)).not.toContain(row.id);
  }, 120_000);

  it('removes the partial folder a dead worker left', async () => {
    const row = await createOvfExport(t.deps.db, { vm_backup_id: backupId, format: 'ova' });
    mkdirSync(partialDir(row), { recursive: true });
    writeFileSync(path.join(partialDir(row), `${VM}-disk1.vmdk`), 'half');
    const [job] = await t.deps.db.query.jobs.findMany({ where: (j, { eq }) => eq(j.id, row.job_id) });
    await ovfExportJob.cleanupInterrupted?.(job as never, t.deps);
    expect(existsSync(partialDir(row))).toBe(false);
  });
});
