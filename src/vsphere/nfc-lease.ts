/**
 * @module vsphere/nfc-lease — the HttpNfcLease that `VirtualMachine.ExportVm` and `ResourcePool.ImportVApp`
 * return: wait until it is `ready`, read its device URLs, report progress (which also renews it), keep it alive
 * during long transfers, and end it with `HttpNfcLeaseComplete` or `HttpNfcLeaseAbort`.
 * Reference: vSphere API "HttpNfcLease" managed object, "HttpNfcLeaseInfo", "HttpNfcLeaseDeviceUrl",
 * "HttpNfcLeaseState" (initializing, ready, done, error).
 */
import { msg } from '../i18n/message.js';
import type { VSphereClient } from './client.js';
import { faultError, toVSphereError, VSphereError } from './errors.js';
import { asArray, asBool, asNumber, asRecord, asString, type MoRef } from './normalize.js';
import { retrieveOne } from './property-collector.js';

/** One file of the lease (HttpNfcLeaseDeviceUrl): a disk to download on export, a target to upload on import. */
export interface LeaseDevice {
  /** Device key, e.g. `/vm-42/VirtualLsiLogicController0:0`. */
  key: string;
  /** On import: the `deviceId` of the matching OvfFileItem. */
  importKey: string | null;
  /** Absolute URL, the host's `*` replaced by the client's host. */
  url: string;
  targetId: string | null;
  disk: boolean;
  /** Bytes, when the host says (export). */
  fileSize: number | null;
}

/** A ready lease (HttpNfcLeaseInfo). */
export interface LeaseInfo {
  ref: MoRef;
  /** Seconds without progress after which the host ends the lease in `error`. */
  timeoutSeconds: number;
  /** Sum of the disks' capacities in bytes (export), when the host says. */
  totalDiskCapacityBytes: number | null;
  devices: LeaseDevice[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A device URL with its `*` host (ESXi's "this host") replaced by the client's scheme, host and port. */
export function leaseUrl(client: VSphereClient, url: string): string {
  const parsed = new URL(url.replace('://*', '://placeholder'));
  if (parsed.hostname !== 'placeholder') return url;
  return `${client.baseUrl}${parsed.pathname}${parsed.search}`;
}

function leaseInfo(client: VSphereClient, ref: MoRef, info: Record<string, unknown>): LeaseInfo {
  const kb = asNumber(info.totalDiskCapacityInKB);
  return {
    ref,
    timeoutSeconds: asNumber(info.leaseTimeout) ?? 300,
    totalDiskCapacityBytes: kb === null ? null : kb * 1024,
    devices: asArray(info.deviceUrl).map((raw) => {
      const d = asRecord(raw);
      return {
        key: asString(d.key),
        importKey: asString(d.importKey) || null,
        url: leaseUrl(client, asString(d.url)),
        targetId: asString(d.targetId) || null,
        disk: asBool(d.disk) ?? false,
        fileSize: asNumber(d.fileSize),
      };
    }),
  };
}

/**
 * Polls the lease's `state` (every 200 ms growing to 2 s) until `ready`.
 * @returns its info.
 * @throws VSphereError from the lease's `error` fault (e.g. `InvalidPowerState`), `Fault` when it is already
 *   `done`, `ManagedObjectNotFound` when gone; the signal's reason when aborted.
 */
export async function waitForLeaseReady(
  client: VSphereClient,
  lease: MoRef,
  signal?: AbortSignal,
): Promise<LeaseInfo> {
  let delay = 200;
  for (;;) {
    signal?.throwIfAborted();
    const props = await retrieveOne(client, lease, ['state', 'info', 'error']);
    const state = asString(props.state);
    if (state === 'ready') return leaseInfo(client, lease, asRecord(props.info));
    if (state === 'error') {
      const e = asRecord(props.error);
      const fault = asRecord(e.fault);
      throw faultError(asString(fault._type, 'SystemError'), asString(e.localizedMessage), 'Fault', e, fault);
    }
    if (state === 'done') {
      throw new VSphereError('Fault', msg('vsphere.lease_done', { lease: lease.value }));
    }
    await sleep(delay);
    delay = Math.min(delay * 2, 2_000);
  }
}

/**
 * Reports transfer progress (HttpNfcLeaseProgress), which also renews the lease's timeout.
 * @param percent 0-100 (clamped, rounded).
 * @throws VSphereError (e.g. `ManagedObjectNotFound` when the lease ended).
 */
export async function leaseProgress(client: VSphereClient, lease: MoRef, percent: number): Promise<void> {
  const value = Math.max(0, Math.min(100, Math.round(percent)));
  await client.call('HttpNfcLeaseProgress', { _this: lease, percent: value });
}

/**
 * Ends a lease whose transfers all succeeded (HttpNfcLeaseComplete): an import's VM becomes usable.
 * @throws VSphereError when the host refuses (lease timed out or aborted).
 */
export async function completeLease(client: VSphereClient, lease: MoRef): Promise<void> {
  await client.call('HttpNfcLeaseComplete', { _this: lease });
}

/**
 * Ends a lease in failure (HttpNfcLeaseAbort): the host releases the VM; on import it removes what it created.
 * Never throws: a lease already ended, gone or unreachable has nothing left to abort.
 * @returns false when the host refused or could not be reached.
 */
export async function abortLease(client: VSphereClient, lease: MoRef): Promise<boolean> {
  try {
    await client.call('HttpNfcLeaseAbort', { _this: lease });
    return true;
  } catch (err) {
    return toVSphereError(err).code === 'ManagedObjectNotFound';
  }
}

/**
 * Keeps a lease alive during transfers: reports `percent()` every `timeoutSeconds / 3` seconds (at most every
 * 60 s). A failed report is ignored here: the transfer itself fails when the lease ends.
 * @returns `stop()`, to call once the transfers end (before complete or abort).
 */
export function keepLeaseAlive(
  client: VSphereClient,
  info: Pick<LeaseInfo, 'ref' | 'timeoutSeconds'>,
  percent: () => number,
): { stop(): void } {
  const every = Math.max(1, Math.min(60, info.timeoutSeconds / 3)) * 1000;
  const timer = setInterval(() => {
    leaseProgress(client, info.ref, percent()).catch(() => undefined);
  }, every);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
