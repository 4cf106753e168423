/**
 * @module surebackup/boot: waits for a powered-on verification VM to boot: heartbeat green, VMware Tools
 * running or a guest IP address; a guest without VMware Tools counts as booted once it stayed powered on through
 * a grace period (its heartbeat cannot be checked).
 */
import { type Message, msg } from '../i18n/message.js';
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
  detail: Message;
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

function aliveDetail(state: GuestState): Message {
  if (state.heartbeat === 'green') return msg('surebackup.boot.heartbeat');
  if (state.toolsRunningStatus === 'guestToolsRunning') return msg('surebackup.boot.tools_running');
  return msg('surebackup.boot.guest_ip', { ip: state.ipAddress ?? '' });
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
      const detail = state.powerState
        ? msg('surebackup.boot.power_state', { state: state.powerState })
        : msg('surebackup.boot.not_running');
      return { booted: false, seconds, detail, state };
    }
    if (guestAlive(state)) return { booted: true, seconds, detail: aliveDetail(state), state };
    if (toolsMissing(state) && elapsed >= opts.graceSeconds) {
      return { booted: true, seconds, detail: msg('surebackup.boot.no_tools', { seconds }), state };
    }
    if (elapsed >= opts.timeoutSeconds) {
      const detail = msg('surebackup.boot.timeout', { seconds: opts.timeoutSeconds });
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
