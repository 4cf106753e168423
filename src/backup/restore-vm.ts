/**
 * @module backup/restore-vm: the reusable core of a restore, shared by the `restore` job and SureBackup
 * verifications: on a connected host, checks the name is free, creates `<vm name>/` on the datastore, uploads a
 * backup's files (checked before or while they are sent) and registers the VM (Folder.RegisterVM_Task in the datacenter's vmFolder, the host's
 * root pool). On failure it unregisters what it registered and deletes the folder it created, then rethrows.
 */
import { msg } from '../i18n/message.js';
import type { ProgressUpdate } from '../jobs/types.js';
import {
  deleteDatastoreFileIfExists,
  type MoRef,
  makeDatastoreDirectory,
  registerVm,
  retrieveAll,
  toVSphereError,
  unregisterVm,
  type VSphereClient,
} from '../vsphere/index.js';
import { asString } from '../vsphere/normalize.js';
import { findPlacement } from '../vsphere/placement.js';
import { BackupError } from './errors.js';
import type { RestoreSource } from './restore-source.js';
import { uploadBackup } from './restore-upload.js';

export interface RestoreVmInput {
  /** The backup, opened by `openRestoreSource` (a file found corrupt fails the upload). */
  source: RestoreSource;
  datastore: string;
  /** Name of the new VM and of its folder on the datastore. */
  vmName: string;
  /** The host's name, for messages. */
  hostName: string;
  /** Rewrites every `ethernetN.networkName` of the .vmx to this portgroup (isolated test copies). */
  networkName?: string;
  signal: AbortSignal;
  /** Percent span of the caller's job for the upload (`from`..`to`), and its reporter. */
  progress: { from: number; to: number; report(update: ProgressUpdate): void };
  /** Called once the folder exists (record it, so that an interrupted run may remove it). */
  onFolderCreated?: () => Promise<void>;
  /** Called with the registered VM, and with null when it was unregistered again after a failure. */
  onRegistered?: (vm: MoRef | null) => Promise<void>;
}

/** Where a restored VM lives, for {@link discardRestoredVm}. */
export interface RestoredVm {
  vm: MoRef;
  /** Datacenter name (datastore HTTP `dcPath`). */
  datacenter: string;
  datastore: string;
  folder: string;
}

/**
 * Removes a restored VM: unregisters it (when given) and deletes its folder. A missing folder is not an error.
 * @throws VSphereError when the folder cannot be deleted.
 */
export async function discardRestoredVm(
  client: VSphereClient,
  target: Omit<RestoredVm, 'vm'> & { vm: MoRef | null },
): Promise<void> {
  if (target.vm) await unregisterVm(client, target.vm).catch(() => {});
  await deleteDatastoreFileIfExists(client, { ...target, path: target.folder });
}

/**
 * Restores a backup onto the connected host (see the module doc). Progress: `from`..`to` for the
 * upload (bytes), then `step.registering`.
 * @returns the registered VM and where its files are.
 * @throws BackupError (`vm_exists`, `folder_exists`) when the VM name or the folder already exists on the host; VSphereError; the abort reason when
 *   cancelled. Nothing of the run is left on the host then (a failed cleanup is only logged through `onWarn`).
 */
export async function restoreVm(
  client: VSphereClient,
  input: RestoreVmInput,
  onWarn: (message: string) => void = () => {},
): Promise<RestoredVm> {
  const { signal, vmName, datastore } = input;
  const placement = await findPlacement(client);
  const target = { datacenter: placement.datacenter, datastore, folder: vmName };
  const vms = await retrieveAll(client, 'VirtualMachine', ['name']);
  if (vms.some((v) => asString(v.props.name) === vmName)) {
    throw new BackupError('vm_exists', 'backups.error.vm_exists', { vm: vmName, server: input.hostName });
  }
  try {
    await makeDatastoreDirectory(client, { ...target, path: target.folder });
  } catch (err) {
    if (toVSphereError(err).faultType === 'FileAlreadyExists') {
      throw new BackupError('folder_exists', 'backups.error.folder_exists', { folder: vmName, datastore });
    }
    throw err;
  }
  let registered: MoRef | null = null;
  try {
    await input.onFolderCreated?.();
    const vmxPath = await uploadBackup(client, input.source, vmName, target, signal, input.progress, {
      networkName: input.networkName,
    });
    signal.throwIfAborted();
    input.progress.report({ progress: input.progress.to + 2, step: msg('step.registering') });
    registered = await registerVm(client, {
      folder: placement.vmFolder,
      pool: placement.pool,
      vmxPath,
      name: vmName,
    });
    await input.onRegistered?.(registered);
    return { vm: registered, ...target };
  } catch (err) {
    input.progress.report({ step: msg('step.cleanup') });
    await discardRestoredVm(client, { ...target, vm: registered }).catch((e: unknown) =>
      onWarn(`restore cleanup failed: ${(e as Error).message}`),
    );
    if (registered) await input.onRegistered?.(null).catch(() => {});
    throw err;
  }
}
