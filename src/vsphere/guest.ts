/** @module vsphere/guest — what the host knows of a VM's guest: power state, VMware Tools, heartbeat, IP address. */
import type { VSphereClient } from './client.js';
import { asString, type MoRef } from './normalize.js';
import { retrieveOne } from './property-collector.js';

/** A VM's guest state as reported by the host (VMware Tools fill the guest fields). */
export interface GuestState {
  /** `poweredOn`, `poweredOff` or `suspended`. */
  powerState: string;
  /** `guestToolsRunning`, `guestToolsNotRunning`, `guestToolsExecutingScripts`, or '' when unknown. */
  toolsRunningStatus: string;
  /** `toolsOk`, `toolsOld`, `toolsNotRunning`, `toolsNotInstalled`, or ''. */
  toolsStatus: string;
  /** Guest heartbeat: `green`, `yellow`, `red`, `gray` (no Tools), or ''. */
  heartbeat: string;
  /** Primary guest IP address, or null when the guest reported none. */
  ipAddress: string | null;
}

/**
 * Reads the guest state of a VM in one property-collector call.
 * @throws VSphereError `ManagedObjectNotFound` when the VM no longer exists.
 * Reference: vSphere API "VirtualMachine.guestHeartbeatStatus", "GuestInfo" (toolsRunningStatus, toolsStatus,
 *   ipAddress), "VirtualMachineRuntimeInfo.powerState".
 */
export async function readGuestState(client: VSphereClient, vm: MoRef): Promise<GuestState> {
  const p = await retrieveOne(client, vm, [
    'runtime.powerState',
    'guest.toolsRunningStatus',
    'guest.toolsStatus',
    'guestHeartbeatStatus',
    'guest.ipAddress',
  ]);
  const ip = asString(p['guest.ipAddress']);
  return {
    powerState: asString(p['runtime.powerState']),
    toolsRunningStatus: asString(p['guest.toolsRunningStatus']),
    toolsStatus: asString(p['guest.toolsStatus']),
    heartbeat: asString(p.guestHeartbeatStatus),
    ipAddress: ip || null,
  };
}

/** True when the guest has no VMware Tools at all, so its heartbeat can never be checked. */
export function toolsMissing(state: GuestState): boolean {
  return state.toolsStatus === 'toolsNotInstalled';
}

/** True when the guest answers: heartbeat green or Tools running, or an IP address reported. */
export function guestAlive(state: GuestState): boolean {
  return (
    state.powerState === 'poweredOn' &&
    (state.heartbeat === 'green' || state.toolsRunningStatus === 'guestToolsRunning' || !!state.ipAddress)
  );
}
