/**
 * @module ovf/import-package: imports an OVF package to a host, the way ovftool and `govc import.ovf` do:
 * the `.mf` checked first (package-reader.ts: no VM is made from a tampered package), `CreateImportSpec`
 * (thin disks, the new name, networks mapped when asked; its `error`s refuse the package), `ImportVApp`, the
 * lease waited `ready`, each file the host asked for (`fileItem`) uploaded to the device URL whose `importKey`
 * is its `deviceId` (POST a disk's streamOptimized VMDK, PUT a file the lease creates) with progress reports
 * that also keep the lease alive, then `HttpNfcLeaseComplete`. On failure or cancel the lease is aborted and
 * the VM destroyed if the host kept it. Used by the `ovf_import` job and by verifications from an export.
 * Reference: vSphere API "OvfManager.CreateImportSpec", "ResourcePool.ImportVApp", "HttpNfcLease".
 */
import { pipeline, Transform } from 'node:stream';
import { msg } from '../i18n/message.js';
import type { ProgressUpdate } from '../jobs/types.js';
import type { VSphereClient } from '../vsphere/client.js';
import { toVSphereError } from '../vsphere/errors.js';
import { putUrl } from '../vsphere/http-transfer.js';
import {
  abortLease,
  completeLease,
  keepLeaseAlive,
  type LeaseInfo,
  leaseProgress,
  waitForLeaseReady,
} from '../vsphere/nfc-lease.js';
import { asMoRef, asRecord, type MoRef } from '../vsphere/normalize.js';
import { createImportSpec, type ImportFileItem, importVApp } from '../vsphere/ovf-import.js';
import { findPlacement } from '../vsphere/placement.js';
import { retrieveAll, retrieveOne } from '../vsphere/property-collector.js';
import { destroyVm } from '../vsphere/vm-ops.js';
import { OvfError } from './errors.js';
import { descriptorNetworks, type OvfPackage, openPackage } from './package-reader.js';

/** What {@link importPackage} imports, where, and whom it tells. */
export interface ImportPackageInput {
  /** The `.ova`, or the `.ovf` of a folder package. */
  packagePath: string;
  /** Datastore name on the host. */
  datastore: string;
  vmName: string;
  /** Connects every network of the descriptor to this host network (a verification's lab portgroup). */
  network?: MoRef;
  /** The host's name, for messages. */
  hostName: string;
  signal: AbortSignal;
  /** Percent span of the caller's job for the whole import (`from`..`to`), and its reporter. */
  progress: { from: number; to: number; report(update: ProgressUpdate): void };
  /** Called with the lease once ImportVApp made it, and with null once it is complete (record it). */
  onLease?: (lease: MoRef | null) => Promise<void>;
  /** Called with the VM ImportVApp created, as soon as it is known (record it). */
  onVm?: (vm: MoRef) => Promise<void>;
}

async function datastoreRef(client: VSphereClient, name: string): Promise<MoRef> {
  const found = (await retrieveAll(client, 'Datastore', ['name'])).find((d) => d.props.name === name);
  if (!found) throw new OvfError('no_datastore', 'ovf.import.no_datastore', { datastore: name });
  return found.ref;
}

/** The VM the lease imports into (`info.entity`). @throws OvfError `no_vm`. */
async function leaseEntity(client: VSphereClient, lease: MoRef): Promise<MoRef> {
  const props = await retrieveOne(client, lease, ['info']);
  const vm = asMoRef(asRecord(props.info).entity);
  if (!vm) throw new OvfError('no_vm', 'ovf.import.no_vm');
  return vm;
}

/** The media type of a disk posted to an import lease (govmomi nfc/lease.go, ovftool). */
const STREAM_VMDK = 'application/x-vnd.vmware-streamVmdk';

/** Uploads every file item to its device URL; progress from the bytes sent. */
async function uploadAll(
  client: VSphereClient,
  pkg: OvfPackage,
  items: ImportFileItem[],
  info: LeaseInfo,
  input: ImportPackageInput,
  sent: { bytes: number; total: number },
): Promise<void> {
  const { from, to, report } = input.progress;
  const percent = () => (100 * sent.bytes) / Math.max(1, sent.total);
  for (const item of items) {
    const device = info.devices.find((d) => d.importKey === item.deviceId);
    if (!device) throw new OvfError('no_device', 'ovf.import.no_device', { file: item.path });
    report({ step: msg('ovf.import.step.upload', { file: item.path }) });
    const base = sent.bytes;
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        sent.bytes += chunk.length;
        report({ progress: from + ((to - from) * percent()) / 100, bytes_done: sent.bytes });
        done(null, chunk);
      },
    });
    const body = pipeline(pkg.read(item.path, input.signal), counted, () => undefined);
    await putUrl(client, {
      url: device.url,
      file: item.path,
      body,
      size: pkg.size(item.path),
      method: item.create ? 'PUT' : 'POST',
      headers: item.create ? { Overwrite: 't' } : { 'Content-Type': STREAM_VMDK },
      signal: input.signal,
    });
    sent.bytes = base + pkg.size(item.path);
    await leaseProgress(client, info.ref, percent());
  }
}

/**
 * Imports a package as a new VM (powered off).
 * @returns the new VM's MoRef.
 * @throws OvfError (manifest checks of package-reader.ts, `spec_refused` with the host's reasons,
 *   `no_datastore`, `no_device`); VSphereError (ImportVApp refused, upload failed, lease error); the signal's
 *   reason when aborted. Nothing is left on the host then: the lease is aborted, the VM destroyed.
 */
export async function importPackage(client: VSphereClient, input: ImportPackageInput): Promise<MoRef> {
  const { from, report } = input.progress;
  report({ progress: from, step: msg('ovf.import.step.checking') });
  const pkg = await openPackage(input.packagePath, input.signal);
  input.signal.throwIfAborted();
  report({ step: msg('ovf.import.step.spec', { server: input.hostName }) });
  const placement = await findPlacement(client);
  const network = input.network;
  const spec = await createImportSpec(client, {
    descriptor: pkg.descriptor,
    pool: placement.pool,
    datastore: await datastoreRef(client, input.datastore),
    entityName: input.vmName,
    host: placement.host,
    networkMapping: network
      ? descriptorNetworks(pkg.descriptor).map((name) => ({ name, network }))
      : undefined,
  });
  if (spec.errors.length || !spec.importSpec)
    throw new OvfError('spec_refused', 'ovf.import.spec_refused', { reasons: spec.errors.join(' ; ') });
  input.signal.throwIfAborted();
  const lease = await importVApp(client, placement, spec.importSpec);
  let vm: MoRef | null = null;
  try {
    await input.onLease?.(lease);
    const info = await waitForLeaseReady(client, lease, input.signal);
    vm = await leaseEntity(client, lease);
    await input.onVm?.(vm);
    const sent = { bytes: 0, total: spec.fileItems.reduce((n, f) => n + pkg.size(f.path), 0) };
    report({ bytes_done: 0, bytes_total: sent.total });
    const alive = keepLeaseAlive(client, info, () => (100 * sent.bytes) / Math.max(1, sent.total));
    try {
      await uploadAll(client, pkg, spec.fileItems, info, input, sent);
    } finally {
      alive.stop();
    }
    input.signal.throwIfAborted();
    await completeLease(client, lease);
    await input.onLease?.(null);
    return vm;
  } catch (err) {
    await abortLease(client, lease);
    if (vm) await discardImportedVm(client, vm);
    await input.onLease?.(null).catch(() => undefined);
    throw err;
  }
}

/**
 * Destroys a VM an import left (ESXi removes it when its lease is aborted; this covers a host that kept it).
 * Never throws: a VM already gone is what is wanted.
 * @returns false when the VM is still there (the host refused or could not be reached).
 */
export async function discardImportedVm(client: VSphereClient, vm: MoRef): Promise<boolean> {
  try {
    await retrieveOne(client, vm, ['name']);
  } catch (err) {
    return toVSphereError(err).code === 'ManagedObjectNotFound';
  }
  try {
    await destroyVm(client, vm);
    return true;
  } catch (err) {
    return toVSphereError(err).code === 'ManagedObjectNotFound';
  }
}
