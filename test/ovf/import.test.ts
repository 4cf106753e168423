import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vmBackupJob } from '../../src/backup/index.js';
import { createBackupJob } from '../../src/db/backups.js';
import { listServers } from '../../src/db/esxi-servers.js';
import { listVirtualMachines } from '../../src/db/inventory.js';
import { createOvfExport, getOvfExport } from '../../src/db/ovf-exports.js';
import { createOvfImport, getOvfImportByJob, setOvfImportHostObjects } from '../../src/db/ovf-imports.js';
import { syncInventory } from '../../src/inventory/sync.js';
import { ovfExportJob } from '../../src/ovf/export-job.js';
import { ovfImportJob } from '../../src/ovf/import-job.js';
import {
  type MoRef,
  openDatastoreRead,
  powerOff,
  retrieveAll,
  type VSphereClient,
} from '../../src/vsphere/index.js';
import { asArray, asRecord, asString } from '../../src/vsphere/normalize.js';
import { createImportSpec, importVApp } from '../../src/vsphere/ovf-import.js';
import { findPlacement } from '../../src/vsphere/placement.js';
import {
  addServer,
  addStoragePath,
  connect,
  putFile,
  removeStorageDirs,
  runJob,
  sha256,
} from '../backup/support.js';
import { adminHeaders, apiClient } from '../support/api-client.js';
import { type Simulator, startSimulator } from '../support/simulator.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const MiB = 1024 * 1024;
const VM = 'ha-host_VM0';
const VMX = `.encoding = "UTF-8"\nconfig.version = "8"\ndisplayName = "${VM}"\nscsi0:0.fileName = "disk1.vmdk"\nethernet0.present = "TRUE"\nethernet0.virtualDev = "vmxnet3"\nethernet0.networkName = "VM Network"\n`;
const DESCRIPTOR = '# Disk DescriptorFile\nversion=1\ncreateType="vmfs"\nRW 65536 VMFS "disk1-flat.vmdk"\n';

/** The configuration of a VM as the host reports it: CPUs, memory, disks (capacity, backing file), NICs. */
async function vmConfig(client: VSphereClient, name: string) {
  const vms = await retrieveAll(client, 'VirtualMachine', ['name', 'config.hardware']);
  const vm = vms.find((v) => v.props.name === name);
  if (!vm) return null;
  const hw = asRecord(vm.props['config.hardware']);
  const devices = asArray<Record<string, unknown>>(hw.device);
  return {
    ref: vm.ref,
    numCPU: Number(hw.numCPU),
    memoryMB: Number(hw.memoryMB),
    disks: devices
      .filter((d) => d._type === 'VirtualDisk')
      .map((d) => ({
        capacity: Number(d.capacityInKB) * 1024,
        file: asString(asRecord(d.backing).fileName),
      })),
    nics: devices
      .filter((d) => asString(d._type).startsWith('Virtual') && 'macAddress' in d)
      .map((d) => ({ type: d._type, network: asString(asRecord(d.backing).deviceName) })),
  };
}

async function readDisk(client: VSphereClient, sim: Simulator, fileName: string): Promise<Buffer> {
  const [, datastore, file] = /^\[(.+)\] (.+)$/.exec(fileName) ?? [];
  const { stream } = await openDatastoreRead(client, {
    datacenter: sim.datacenter,
    datastore: datastore as string,
    path: (file as string).replace(/\.vmdk$/, '-flat.vmdk'),
  });
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

describe('OVF import to a second host', () => {
  let source: Simulator;
  let target: Simulator;
  let t: TestApp;
  let targetId: number;
  let ovfExport: number;
  let ovaExport: number;
  let sourceConfig: Awaited<ReturnType<typeof vmConfig>>;
  const disk = Buffer.alloc(32 * MiB);
  randomBytes(4 * MiB).copy(disk, 0);
  randomBytes(2 * MiB).copy(disk, 20 * MiB);

  beforeAll(async () => {
    [source, target] = await Promise.all([
      startSimulator({ tls: true, diskMib: 32 }),
      startSimulator({ tls: true }),
    ]);
    t = await createTestApp();
    const client = await connect(source);
    await putFile(client, source, `${VM}/disk1-flat.vmdk`, disk);
    await putFile(client, source, `${VM}/disk1.vmdk`, DESCRIPTOR);
    await putFile(client, source, `${VM}/${VM}.vmx`, VMX);
    sourceConfig = await vmConfig(client, VM);
    await client.logout();
    const sourceId = await addServer(t.deps, source, 'source');
    targetId = await addServer(t.deps, target, 'target');
    await addStoragePath(t.deps);
    const vm = (await listVirtualMachines(t.deps.db, { esxi_server: sourceId })).rows.find(
      (r) => r.vm.name === VM,
    );
    const backup = await createBackupJob(t.deps.db, { virtual_machine_id: vm?.vm.id ?? 0 });
    expect((await runJob(vmBackupJob, t.deps, backup.job_id)).job.error).toBeNull();
    for (const format of ['ovf', 'ova'] as const) {
      const row = await createOvfExport(t.deps.db, { vm_backup_id: backup.id, format });
      expect((await runJob(ovfExportJob, t.deps, row.job_id)).job.error).toBeNull();
      if (format === 'ovf') ovfExport = row.id;
      else ovaExport = row.id;
    }
  }, 180_000);
  afterAll(async () => {
    await t?.close();
    removeStorageDirs();
    await Promise.all([source?.stop(), target?.stop()]);
  });

  async function importTo(exportId: number, vmName: string) {
    const row = await createOvfImport(t.deps.db, {
      ovf_export_id: exportId,
      esxi_server_id: targetId,
      datastore: target.datastores[0]?.name ?? '',
      vm_name: vmName,
    });
    const { job } = await runJob(ovfImportJob, t.deps, row.job_id);
    return { row: await getOvfImportByJob(t.deps.db, row.job_id), job };
  }

  it('registers the VM on the other host with its exported configuration and the source disk bytes', async () => {
    const { row, job } = await importTo(ovfExport, 'imported-ovf');
    expect(job.error).toBeNull();
    expect(job.status).toBe('COMPLETED');
    expect(row?.lease_moref).toBeNull();
    const client = await connect(target);
    try {
      const got = await vmConfig(client, 'imported-ovf');
      expect(got?.ref.value).toBe(row?.vm_moref);
      expect(got?.numCPU).toBe(sourceConfig?.numCPU);
      expect(got?.memoryMB).toBe(sourceConfig?.memoryMB);
      expect(got?.disks.map((d) => d.capacity)).toEqual([32 * MiB]);
      expect(got?.nics).toEqual([{ type: 'VirtualVmxnet3', network: 'VM Network' }]);
      const bytes = await readDisk(client, target, got?.disks[0]?.file ?? '');
      expect(sha256(bytes)).toBe(sha256(disk));
    } finally {
      await client.logout();
    }
  }, 120_000);

  it('imports a package exported straight from the host (ExportVm)', async () => {
    const OFF = 'ha-host_VM1';
    const client = await connect(source);
    try {
      const disk1 = Buffer.alloc(32 * MiB);
      randomBytes(3 * MiB).copy(disk1, 8 * MiB);
      await putFile(client, source, `${OFF}/disk1-flat.vmdk`, disk1);
      const off = (await vmConfig(client, OFF))?.ref as MoRef;
      await powerOff(client, off);
      const [sourceServer] = (await listServers(t.deps.db)).filter((s) => s.name === 'source');
      await syncInventory(t.deps, sourceServer?.id ?? 0);
      const vm = (await listVirtualMachines(t.deps.db, { esxi_server: sourceServer?.id })).rows.find(
        (r) => r.vm.name === OFF,
      );
      const exp = await createOvfExport(t.deps.db, { virtual_machine_id: vm?.vm.id ?? 0, format: 'ovf' });
      expect((await runJob(ovfExportJob, t.deps, exp.job_id)).job.error).toBeNull();
      const { job } = await importTo(exp.id, 'imported-host-export');
      expect(job.error).toBeNull();
      const target2 = await connect(target);
      try {
        const got = await vmConfig(target2, 'imported-host-export');
        expect(got?.disks.map((d) => d.capacity)).toEqual([32 * MiB]);
        expect(sha256(await readDisk(target2, target, got?.disks[0]?.file ?? ''))).toBe(sha256(disk1));
      } finally {
        await target2.logout();
      }
    } finally {
      await client.logout();
    }
  }, 120_000);

  it('imports an .ova too', async () => {
    const { job } = await importTo(ovaExport, 'imported-ova');
    expect(job.error).toBeNull();
    const client = await connect(target);
    try {
      const got = await vmConfig(client, 'imported-ova');
      expect(sha256(await readDisk(client, target, got?.disks[0]?.file ?? ''))).toBe(sha256(disk));
    } finally {
      await client.logout();
    }
  }, 120_000);

  it('refuses a tampered package before any VM is made', async () => {
    const exp = await getOvfExport(t.deps.db, ovfExport);
    const vmdk = path.join(exp.export_dir, `${VM}-disk1.vmdk`);
    const original = readFileSync(vmdk);
    const tampered = Buffer.from(original);
    tampered[tampered.length - 600] = (tampered[tampered.length - 600] ?? 0) ^ 0xff;
    writeFileSync(vmdk, tampered);
    try {
      const { row, job } = await importTo(ovfExport, 'imported-tampered');
      expect(job.status).toBe('FAILED');
      expect(job.error).toContain('manifest_mismatch');
      expect(row?.vm_moref).toBeNull();
      const client = await connect(target);
      try {
        expect(await vmConfig(client, 'imported-tampered')).toBeNull();
      } finally {
        await client.logout();
      }
    } finally {
      writeFileSync(vmdk, original);
    }
  }, 120_000);

  it('answers a bad request with a 400 naming each field', async () => {
    const api = apiClient(
      (url, init) => Promise.resolve(t.app.request(url, init)),
      await adminHeaders(t.deps.db),
    );
    const url = `/api/ovf-exports/${ovfExport}/import/`;
    const datastore = target.datastores[0]?.name ?? '';
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ esxi_server: 999_999, datastore, vm_name: 'x' }, 'esxi_server'],
      [{ esxi_server: targetId, datastore: 'nowhere', vm_name: 'x' }, 'datastore'],
      [{ esxi_server: targetId, datastore, vm_name: '' }, 'vm_name'],
      [{ esxi_server: targetId, datastore, vm_name: 'bad/name' }, 'vm_name'],
      [{ esxi_server: targetId, datastore, vm_name: 'ha-host_VM1' }, 'vm_name'],
    ];
    for (const [body, field] of cases) {
      const res = await api.call('POST', url, body);
      expect([res.status, Object.keys(res.body.errors as object)]).toEqual([400, [field]]);
    }
    const running = await createOvfExport(t.deps.db, {
      vm_backup_id: (await getOvfExport(t.deps.db, ovfExport)).vm_backup_id ?? 0,
      format: 'ovf',
    });
    const res = await api.call('POST', `/api/ovf-exports/${running.id}/import/`, {
      esxi_server: targetId,
      datastore,
      vm_name: 'x',
    });
    expect([res.status, Object.keys(res.body.errors as object)]).toEqual([400, ['_']]);
    const ok = await api.call('POST', url, { esxi_server: targetId, datastore, vm_name: 'queued-import' });
    expect([ok.status, ok.body.status, ok.body.progress_url]).toEqual([
      201,
      'PENDING',
      `/api/operations/${ok.body.job_id}/`,
    ]);
  });

  it('leaves no VM and no open lease when cancelled mid-upload', async () => {
    const row = await createOvfImport(t.deps.db, {
      ovf_export_id: ovfExport,
      esxi_server_id: targetId,
      datastore: target.datastores[0]?.name ?? '',
      vm_name: 'imported-cancelled',
    });
    let sawVm = false;
    const { job } = await runJob(ovfImportJob, t.deps, row.job_id, {
      onReport: (u, controller) => {
        if (u.step?.key === 'ovf.import.step.upload' && !controller.signal.aborted) {
          sawVm = true;
          controller.abort(new Error('cancelled'));
        }
      },
    });
    expect([sawVm, job.status]).toEqual([true, 'CANCELLED']);
    expect((await getOvfImportByJob(t.deps.db, row.job_id))?.lease_moref).toBeNull();
    const client = await connect(target);
    try {
      expect(await vmConfig(client, 'imported-cancelled')).toBeNull();
    } finally {
      await client.logout();
    }
  }, 120_000);

  it('aborts the lease and destroys the half-made VM a dead worker left', async () => {
    const datastore = target.datastores[0]?.name ?? '';
    const row = await createOvfImport(t.deps.db, {
      ovf_export_id: ovfExport,
      esxi_server_id: targetId,
      datastore,
      vm_name: 'imported-interrupted',
    });
    const exp = await getOvfExport(t.deps.db, ovfExport);
    const client = await connect(target);
    try {
      const placement = await findPlacement(client);
      const ds = (await retrieveAll(client, 'Datastore', ['name'])).find((d) => d.props.name === datastore);
      const spec = await createImportSpec(client, {
        descriptor: readFileSync(exp.package_path ?? '', 'utf8'),
        pool: placement.pool,
        datastore: ds?.ref as MoRef,
        entityName: 'imported-interrupted',
      });
      const lease = await importVApp(client, placement, spec.importSpec ?? {});
      const half = await vmConfig(client, 'imported-interrupted');
      await setOvfImportHostObjects(t.deps.db, row.id, {
        lease_moref: lease.value,
        vm_moref: half?.ref.value,
      });
      const [job] = await t.deps.db.query.jobs.findMany({ where: (j, { eq }) => eq(j.id, row.job_id) });
      await ovfImportJob.cleanupInterrupted?.(job as never, t.deps);
      expect(await vmConfig(client, 'imported-interrupted')).toBeNull();
      expect((await getOvfImportByJob(t.deps.db, row.job_id))?.lease_moref).toBeNull();
    } finally {
      await client.logout();
    }
  }, 120_000);
});
