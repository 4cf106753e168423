/**
 * @module surebackup/boot: waits for a powered-on verification VM to boot: heartbeat green, VMware Tools
 * running or a guest IP address; a guest without VMware Tools counts as booted once it stayed powered on through
 * a grace period (its heartbeat cannot be checked).
 */
import {
  type GuestState,
  guestAlive,
  type MoRef,
  readGuestState,
  toolsMissing,
  type VSphereClient,
} from '../vsphere/index.js';

export interface BootResult {
  booted: boolean;
  /** Seconds from power-on to the boot being seen. */
  seconds: number;
  /** How the boot was seen, or why it was not (for the log). */
  detail: string;
  state: GuestState;
}

/** Sleeps `ms`, or throws the signal's reason when aborted. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    signal.throwIfAborted();
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function aliveDetail(state: GuestState): string {
  if (state.heartbeat === 'green') return 'guest heartbeat green';
  if (state.toolsRunningStatus === 'guestToolsRunning') return 'VMware Tools running';
  return `guest IP address ${state.ipAddress}`;
}

/**
 * Polls the guest state until it boots, powers off, or the timeout passes.
 * @param opts.poweredOnAt when PowerOnVM_Task finished (ms since epoch); timeoutSeconds, graceSeconds: settings.
 * @returns the outcome; never throws for a guest that does not boot (only for vSphere errors and aborts).
 */
export async function waitForBoot(
  client: VSphereClient,
  vm: MoRef,
  opts: { poweredOnAt: number; timeoutSeconds: number; graceSeconds: number; signal: AbortSignal },
): Promise<BootResult> {
  const pollMs = Math.min(1000, Math.max(100, (opts.graceSeconds * 1000) / 4));
  for (;;) {
    opts.signal.throwIfAborted();
    const state = await readGuestState(client, vm);
    const elapsed = (Date.now() - opts.poweredOnAt) / 1000;
    const seconds = Math.round(elapsed);
    if (state.powerState !== 'poweredOn') {
      return { booted: false, seconds, detail: `the VM is ${state.powerState || 'not running'}`, state };
    }
    if (guestAlive(state)) return { booted: true, seconds, detail: aliveDetail(state), state };
    if (toolsMissing(state) && elapsed >= opts.graceSeconds) {
      const detail =
        `VMware Tools are not installed, so the guest heartbeat could not be checked; ` +
        `the VM stayed powered on for ${seconds} s`;
      return { booted: true, seconds, detail, state };
    }
    if (elapsed >= opts.timeoutSeconds) {
      const detail = `no guest heartbeat, no VMware Tools and no IP address within ${opts.timeoutSeconds} s`;
      return { booted: false, seconds, detail, state };
    }
    await pause(pollMs, opts.signal);
  }
}

/**
 * Waits for the guest to report an IP address.
 * @param seconds at most this long.
 * @returns the address, or null.
 */
export async function waitForIp(
  client: VSphereClient,
  vm: MoRef,
  seconds: number,
  signal: AbortSignal,
): Promise<string | null> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const { ipAddress } = await readGuestState(client, vm);
    if (ipAddress || Date.now() >= deadline) return ipAddress;
    await pause(Math.min(500, Math.max(50, deadline - Date.now())), signal);
  }
}
