/**
 * @module ovf/host-export: an export of a powered-off VM straight from its host. `VirtualMachine.ExportVm`
 * gives an HttpNfcLease (its MoRef recorded on the row, so a crash cleanup can abort it); once `ready`, each
 * disk's device URL is downloaded into the partial package (progress from bytes); the descriptor comes from
 * the VM's live configuration; then HttpNfcLeaseComplete and the rename. HttpNfcLeaseProgress is kept up from
 * `ready` to the end (an OVA is built before completing), so the lease never times out. A failure or a cancel aborts the lease and removes the partial folder.
 * Reference: vSphere API "VirtualMachine.ExportVm", "HttpNfcLease"; vSphere Web Services SDK programming
 * guide, "Exporting a virtual machine" (the flow `govc export.ovf` and ovftool follow).
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { storageFull } from '../backup/space.js';
import { getServerRow } from '../db/esxi-servers.js';
import { getVirtualMachine } from '../db/inventory.js';
import { type OvfExportRow, setOvfExportLease } from '../db/ovf-exports.js';
import type { OvfPackageFile } from '../db/schema.js';
import { msg } from '../i18n/message.js';
import { connectToServer } from '../inventory/connect.js';
import type { JobContext } from '../jobs/types.js';
import { safeSegment } from '../repository/format.js';
import type { VSphereClient } from '../vsphere/client.js';
import { VSphereError } from '../vsphere/errors.js';
import {
  abortLease,
  completeLease,
  keepLeaseAlive,
  type LeaseDevice,
  type LeaseInfo,
  waitForLeaseReady,
} from '../vsphere/nfc-lease.js';
import type { MoRef } from '../vsphere/normalize.js';
import { type ExportConfig, exportVm, readExportConfig } from '../vsphere/vm-export.js';
import { vmRef } from '../vsphere/vm-ops.js';
import { OvfError } from './errors.js';
import { downloadDisk } from './host-download.js';
import { finishPackage, openPartial } from './package-dir.js';
import { liveOvfSystem } from './system.js';

/** The host's InvalidPowerState as the job's message; any other error unchanged. */
function powerRefusal(err: unknown, vm: string): unknown {
  const refused = err instanceof VSphereError && err.code === 'InvalidPowerState';
  return refused ? new OvfError('vm_not_off', 'ovf.error.vm_not_off', { vm }) : err;
}

/** Bytes to download from a lease: the device URLs' sizes when the host gives them all, else the capacities. */
function transferTotal(info: LeaseInfo, devices: LeaseDevice[], config: ExportConfig): number {
  if (devices.every((d) => d.fileSize !== null)) return devices.reduce((n, d) => n + (d.fileSize ?? 0), 0);
  return info.totalDiskCapacityBytes ?? config.disks.reduce((n, d) => n + d.capacityBytes, 0);
}

/**
 * Downloads every disk of a ready lease (job progress 5-95 %).
 * @param onPercent called with the transfer's percent (0-100), which the lease's keep-alive reports.
 * @returns the VMDKs in device order.
 */
async function downloadDisks(
  ctx: JobContext,
  client: VSphereClient,
  info: LeaseInfo,
  pkg: { dir: string; name: string; config: ExportConfig },
  onPercent: (percent: number) => void,
): Promise<OvfPackageFile[]> {
  const devices = info.devices.filter((d) => d.disk);
  if (devices.length !== pkg.config.disks.length)
    throw new OvfError('disk_count', 'ovf.error.disk_count', {
      urls: devices.length,
      disks: pkg.config.disks.length,
    });
  const total = Math.max(1, transferTotal(info, devices, pkg.config));
  const files: OvfPackageFile[] = [];
  let done = 0;
  for (const [i, device] of devices.entries()) {
    const name = `${pkg.name}-disk${i + 1}.vmdk`;
    const label = pkg.config.disks[i]?.label || name;
    ctx.report({ step: msg('ovf.step.download', { disk: label }), bytes_total: total });
    const target = { path: path.join(pkg.dir, name), name };
    const file = await downloadDisk(client, device, target, ctx.signal, (b) => {
      const percent = Math.min(100, (100 * (done + b)) / total);
      onPercent(percent);
      ctx.report({ progress: 5 + Math.floor(0.9 * percent), bytes_done: done + b });
    });
    done += file.size;
    files.push({ name, size_bytes: file.size, sha256: file.sha256 });
  }
  onPercent(100);
  return files;
}

/**
 * Runs ExportVm's lease to the finished package, keeping the lease alive until it is completed (an OVA is
 * built before that) or aborted on any failure.
 */
async function exportThroughLease(ctx: JobContext, row: OvfExportRow, client: VSphereClient, vm: MoRef) {
  const config = await readExportConfig(client, vm);
  const capacity = config.disks.reduce((n, d) => n + d.capacityBytes, 0);
  const dir = await openPartial(row, capacity);
  let lease: MoRef | null = null;
  let alive: { stop(): void } | null = null;
  try {
    ctx.report({ progress: 2, step: msg('ovf.step.lease') });
    const open = await exportVm(client, vm);
    lease = open;
    await setOvfExportLease(ctx.deps.db, row.id, open.value);
    const info = await waitForLeaseReady(client, open, ctx.signal);
    let percent = 0;
    alive = keepLeaseAlive(client, info, () => percent);
    const name = safeSegment(row.vm_name);
    const files = await downloadDisks(ctx, client, info, { dir, name, config }, (p) => {
      percent = p;
    });
    const disks = files.map((f, i) => ({
      fileName: f.name,
      fileSize: f.size_bytes,
      capacityBytes: config.disks[i]?.capacityBytes ?? 0,
      label: config.disks[i]?.label ?? '',
    }));
    const system = liveOvfSystem(config, disks);
    await finishPackage(ctx, row, { dir, name, system, disks: files }, async () => {
      alive?.stop();
      await completeLease(client, open);
      await setOvfExportLease(ctx.deps.db, row.id, null);
    });
  } catch (err) {
    alive?.stop();
    if (lease) {
      await abortLease(client, lease);
      await setOvfExportLease(ctx.deps.db, row.id, null);
    }
    await rm(dir, { recursive: true, force: true });
    throw storageFull(powerRefusal(err, config.name), path.dirname(row.export_dir));
  }
}

/**
 * Runs one export from the host. Progress: 0-2 % connecting, 2-5 % lease, 5-95 % disks (bytes), then descriptor,
 * manifest, OVA.
 * @throws OvfError `vm_gone`, `server_gone`, `vm_not_off` (the host's InvalidPowerState), `disk_count`,
 *   `transfer_broken`; BackupError `no_space` before writing, `storage_full` on ENOSPC; VSphereError; the
 *   abort reason when cancelled.
 */
export async function runHostExport(ctx: JobContext, row: OvfExportRow): Promise<void> {
  const { deps } = ctx;
  const vm = row.virtual_machine_id ? await getVirtualMachine(deps.db, row.virtual_machine_id) : null;
  if (!vm) throw new OvfError('vm_gone', 'ovf.error.vm_gone', { vm: row.vm_name });
  const server = row.esxi_server_id ? await getServerRow(deps.db, row.esxi_server_id) : null;
  if (!server) throw new OvfError('server_gone', 'ovf.error.server_gone', { vm: row.vm_name });
  ctx.report({ progress: 0, step: msg('step.connecting', { server: server.name }) });
  const client = await connectToServer(server, deps.credentials, deps.config.vsphereTimeoutSeconds);
  try {
    await exportThroughLease(ctx, row, client, vmRef(vm.vm.moref));
  } finally {
    await client.logout();
  }
}
