/** @module test/support/simulator — starts govmomi ESXi simulator processes (test/simulator) for integration tests. */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BINARY = join(ROOT, 'test/simulator/bin/esxsim');
const BUILD = join(ROOT, 'test/simulator/build.sh');

export interface SimulatorOptions {
  /** Serve HTTPS with a fresh self-signed certificate (default true). */
  tls?: boolean;
  /** Accepted credentials (default `root` / `simulator-pass`); any other password is refused with InvalidLogin. */
  username?: string;
  password?: string;
  /** Port to listen on (default: a free one); reuse a stopped host's port to present a new certificate. */
  port?: number;
  /** Number of VMs on the host (default 2: `ha-host_VM0`, `ha-host_VM1`, powered on). */
  vms?: number;
  /** Refuse API writes (snapshots, power, register, reconfigure) with RestrictedVersion, like a free ESXi licence. */
  freeLicense?: boolean;
  /** Capacity of each VM's disk in MiB (default: the simulator's 1 MiB); the flat file is the test's to write. */
  diskMib?: number;
  /** CreateSnapshot_Task runs this long in the background, cancelable with CancelTask (default: within the call). */
  snapshotCreateMs?: number;
  /** `leaseTimeout` (seconds) of ExportVm's leases (default 300, as ESXi). */
  nfcLeaseTimeout?: number;
  /** Serve export device URLs at this many MiB/s (default: unthrottled), so a test can act mid-transfer. */
  nfcRateMib?: number;
}

/** One running simulated ESXi host (its own process). */
export interface Simulator {
  url: string;
  hostname: '127.0.0.1';
  port: number;
  protocol: 'https' | 'http';
  username: string;
  password: string;
  /** SHA-256 fingerprint of the certificate (`AB:CD:...`), null over HTTP. */
  thumbprint: string | null;
  /** Datacenter name as seen by datastore HTTP (`dcPath`). */
  datacenter: string;
  /** Datastores with their backing directory on this machine. */
  datastores: Array<{ name: string; path: string }>;
  vms: string[];
  pid: number;
  /** Graceful stop (SIGTERM) and wait for exit. */
  stop(): Promise<void>;
  /** SIGKILL: simulates a host failure. */
  kill(): void;
}

/** Builds the simulator binary if missing or outdated (fast no-op when up to date). */
export function buildSimulator(): void {
  execFileSync('bash', [BUILD], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (!existsSync(BINARY)) throw new Error(`simulator build did not produce ${BINARY}`);
}

/** Starts a simulated standalone ESXi host on 127.0.0.1 with a random port. */
export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  buildSimulator();
  const username = opts.username ?? 'root';
  const password = opts.password ?? 'simulator-pass';
  const tmp = mkdtempSync(join(tmpdir(), 'esxsim-'));
  const args = [
    '-listen',
    `127.0.0.1:${opts.port ?? 0}`,
    '-username',
    username,
    '-password',
    password,
    '-vms',
    String(opts.vms ?? 2),
  ];
  if (opts.tls ?? true) args.push('-tls');
  if (opts.freeLicense) args.push('-free-license');
  if (opts.diskMib) args.push('-disk-mib', String(opts.diskMib));
  if (opts.snapshotCreateMs) args.push('-snapshot-create-ms', String(opts.snapshotCreateMs));
  if (opts.nfcLeaseTimeout) args.push('-nfc-lease-timeout', String(opts.nfcLeaseTimeout));
  if (opts.nfcRateMib) args.push('-nfc-rate-mib', String(opts.nfcRateMib));
  const child = spawn(BINARY, args, {
    env: { ...process.env, TMPDIR: tmp },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Never leave an orphan host behind if the test process ends without calling stop().
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => {
    process.off('exit', killOnExit);
    rmSync(tmp, { recursive: true, force: true });
  });

  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    const timer = setTimeout(() => reject(new Error(`simulator did not start in 30s: ${stderr}`)), 30_000);
    rl.once('line', (l) => {
      clearTimeout(timer);
      resolve(l);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`simulator exited (${code}) before starting: ${stderr}`));
    });
  });
  const info = JSON.parse(line) as {
    url: string;
    port: number;
    protocol: 'https' | 'http';
    thumbprint?: string;
    datastores: Array<{ name: string; path: string }>;
    vms: string[];
  };
  child.stdout.resume();
  return {
    url: info.url,
    hostname: '127.0.0.1',
    port: info.port,
    protocol: info.protocol,
    username,
    password,
    thumbprint: info.thumbprint ?? null,
    datacenter: 'ha-datacenter',
    datastores: info.datastores,
    vms: info.vms,
    pid: child.pid ?? -1,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
