/**
 * @module replication/cycle: one replication cycle against the two hosts. Snapshots the source VM (recorded
 * in the snapshot ledger first), streams the files as they were at the snapshot straight to the destination
 * datastore, and either registers a new replica `<vm>_replica` (its .vmx rewritten, powered off, annotated)
 * or refreshes the disks of the existing one (kept registered, powered off). A refresh lands in a staging
 * folder inside the replica's folder and replaces the replica's disks (VirtualDiskManager.MoveVirtualDisk_Task)
 * only once every file has been copied and verified, so a cycle that fails or is cancelled leaves the last
 * good replica whole. The snapshot is always removed, and the staging folder too.
 */
import { Readable } from 'node:stream';
import { parseDatastorePath, selectBackupFiles } from '../backup/file-selection.js';
import { removeLedgerSnapshot } from '../backup/snapshot-sweep.js';
import { rewriteVmx } from '../backup/vmx.js';
import {
  markSnapshotRemoved,
  recordSnapshot,
  setSnapshotError,
  setSnapshotMoref,
} from '../db/snapshot-ledger.js';
import { ConflictError } from '../errors.js';
import { msg } from '../i18n/message.js';
import type { JobContext } from '../jobs/types.js';
import {
  createSnapshot,
  type DatastoreFile,
  deleteDatastoreFileIfExists,
  type MoRef,
  makeDatastoreDirectory,
  moveVirtualDisk,
  openDatastoreRead,
  putDatastoreFile,
  registerVm,
  toVSphereError,
  type VSphereClient,
  vmRef,
} from '../vsphere/index.js';
import { findPlacement } from '../vsphere/placement.js';
import { readVmLayout } from '../vsphere/vm-files.js';
import { type CopyItem, copyFilesBetweenHosts } from './copy-files.js';
import { ensureReplicaNics, markAsReplica } from './replica.js';

/** What a cycle needs to know. `replica` is the existing replica to refresh, or null to create one. */
export interface CycleInput {
  source: { client: VSphereClient; serverId: number; name: string };
  dest: { client: VSphereClient; datastore: string; datacenter: string };
  vm: { moref: string; name: string };
  replicaName: string;
  replica: MoRef | null;
  /** The disks (descriptor file names, sorted) the replica was made with; null when not recorded. */
  replicatedDisks: string[] | null;
  replicationId: number;
}

/** The replica's MoRef, the bytes copied and the disks (descriptor file names, sorted) it now has. */
export interface CycleResult {
  replica: MoRef;
  bytes: number;
  disks: string[];
}

/**
 * Refuses a refresh when the source VM's disks are not the replica's: a refresh carries disk contents, not
 * hardware, so an added disk would land in the folder without being attached to the replica.
 * @throws ConflictError `disks_changed` naming the disks on both sides and what to do.
 */
function checkSameDisks(vmName: string, now: string[], replicated: string[] | null): void {
  if (!replicated || now.join('\n') === replicated.join('\n')) return;
  const list = (disks: string[]) => disks.join(', ') || msg('replication.disks_none');
  throw new ConflictError(
    'disks_changed',
    msg('replication.error.disks_changed', { vm: vmName, now: list(now), replica: list(replicated) }),
  );
}

/** Where a refresh run by job `jobId` stages the new disks: a folder inside the replica's folder. */
export function stagingFolder(replicaName: string, jobId: number): string {
  return `${replicaName}/ebm-refresh-${jobId}`;
}

/** Creates a datastore folder; one that already exists is fine. */
async function ensureFolder(client: VSphereClient, folder: DatastoreFile): Promise<void> {
  try {
    await makeDatastoreDirectory(client, folder);
  } catch (err) {
    if (toVSphereError(err).faultType !== 'FileAlreadyExists') throw toVSphereError(err);
  }
}

async function readText(
  client: VSphereClient,
  file: { datacenter: string; datastore: string; path: string },
) {
  const { stream } = await openDatastoreRead(client, file);
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function putBytes(
  client: VSphereClient,
  file: { datacenter: string; datastore: string; path: string },
  data: Buffer,
) {
  await putDatastoreFile(client, { ...file, body: Readable.from([data]), size: data.length });
}

/**
 * Runs one cycle (see the module doc). Progress: 0-5 % snapshot, 5-95 % copy (bytes), then register.
 * @param onFolderWritten called before the first write on the destination: into a new replica's folder or
 *   into the staging folder of a refresh (an interrupted run's cleanup removes them).
 * @returns the replica and the bytes copied.
 * @throws VSphereError (hosts, copy, verification), or the abort reason; the snapshot is removed either way.
 */
export async function runCycle(
  ctx: JobContext,
  input: CycleInput,
  onFolderWritten: () => Promise<void>,
): Promise<CycleResult> {
  const { deps, signal, job } = ctx;
  const src = input.source.client;
  const ref = vmRef(input.vm.moref);
  const onDest = (path: string) => ({
    datacenter: input.dest.datacenter,
    datastore: input.dest.datastore,
    path,
  });
  // A refresh writes into a staging folder; a new replica into its own folder.
  const folder = input.replica ? stagingFolder(input.replicaName, job.id) : input.replicaName;
  ctx.report({ progress: 2, step: msg('step.snapshot') });
  let ledger = await recordSnapshot(deps.db, {
    esxi_server_id: input.source.serverId,
    vm_moref: input.vm.moref,
    snapshot_name: `ebm-replication-${job.id}`,
    job_id: job.id,
  });
  try {
    const snap = await createSnapshot(src, ref, {
      name: ledger.snapshot_name,
      description: `ESXi Backup Manager, replication job ${job.id}`,
    });
    await setSnapshotMoref(deps.db, ledger.id, snap.value);
    ledger = { ...ledger, snapshot_moref: snap.value };
    signal.throwIfAborted();
    const layout = await readVmLayout(src, ref);
    const files = selectBackupFiles(layout, snap.value);
    const { datacenter } = await findPlacement(src);
    const to = (name: string) => onDest(`${folder}/${name}`);
    const from = (f: (typeof files)[number]) => ({ datacenter, datastore: f.datastore, path: f.path });
    const disks = files.filter((f) => f.type !== 'config' && f.type !== 'nvram');
    const descriptors = disks
      .filter((f) => f.type === 'diskDescriptor')
      .map((f) => f.fileName)
      .sort();
    if (input.replica) checkSameDisks(input.vm.name, descriptors, input.replicatedDisks);
    const items: CopyItem[] = disks.map((f) => ({
      from: from(f),
      to: to(f.fileName),
      expectedBytes: f.expectedBytes,
    }));
    const nvram = files.find((f) => f.type === 'nvram');
    await onFolderWritten();
    await ensureFolder(input.dest.client, onDest(folder));
    if (!input.replica) {
      if (nvram)
        items.push({
          from: from(nvram),
          to: to(`${input.replicaName}.nvram`),
          expectedBytes: nvram.expectedBytes,
        });
    }
    const copied = await copyFilesBetweenHosts(src, input.dest.client, items, signal, {
      from: 5,
      to: 95,
      report: ctx.report,
    });
    let bytes = copied.reduce((sum, f) => sum + f.bytes, 0);
    let replica = input.replica;
    if (replica) {
      ctx.report({ progress: 96, step: msg('replication.step.replacing_disks') });
      for (const name of descriptors) {
        await moveVirtualDisk(input.dest.client, to(name), onDest(`${input.replicaName}/${name}`));
      }
    } else {
      ctx.report({ progress: 96, step: msg('step.registering') });
      const vmx = files.find((f) => f.type === 'config');
      const where = parseDatastorePath(layout.vmxPath);
      const original = vmx
        ? await readText(src, from(vmx))
        : where
          ? await readText(src, { datacenter, ...where })
          : '';
      const names = new Set(files.map((f) => f.fileName));
      const text = Buffer.from(rewriteVmx(original, input.replicaName, names, { identity: 'moved' }), 'utf8');
      await putBytes(input.dest.client, to(`${input.replicaName}.vmx`), text);
      await putBytes(input.dest.client, to('vmware.log'), Buffer.alloc(0));
      bytes += text.length;
      const placement = await findPlacement(input.dest.client);
      replica = await registerVm(input.dest.client, {
        folder: placement.vmFolder,
        pool: placement.pool,
        vmxPath: `[${input.dest.datastore}] ${input.replicaName}/${input.replicaName}.vmx`,
        name: input.replicaName,
      });
      await ensureReplicaNics({ client: src, vm: ref }, { client: input.dest.client, vm: replica });
      await markAsReplica(input.dest.client, replica, {
        vmName: input.vm.name,
        sourceHost: input.source.name,
        replicationId: input.replicationId,
      });
    }
    return { replica, bytes, disks: descriptors };
  } finally {
    if (input.replica) {
      await deleteDatastoreFileIfExists(input.dest.client, onDest(folder)).catch((err) =>
        deps.logger.warn(
          { job: job.id, error: (err as Error).message },
          'replication staging folder removal failed',
        ),
      );
    }
    ctx.report({ step: msg('step.remove_snapshot') });
    try {
      await removeLedgerSnapshot(src, ledger);
      await markSnapshotRemoved(deps.db, ledger.id);
    } catch (err) {
      await setSnapshotError(deps.db, ledger.id, err).catch(() => {});
      deps.logger.warn({ job: job.id, error: (err as Error).message }, 'replication snapshot removal failed');
    }
  }
}
