/**
 * @module ovf/system: what the descriptor says of a VM. Exported from a restore point: the configuration the
 * index keeps (name, guest, CPUs, memory, disks) and the network adapters read from the backed-up `.vmx`
 * (`ethernetN.present`, `.networkName`, `.virtualDev`). Exported from its host: its live configuration
 * (vsphere/vm-export.ts `readExportConfig`).
 */
import type { Manifest } from '../backup/manifest.js';
import type { ExportConfig } from '../vsphere/vm-export.js';
import type { OvfDisk, OvfNic, OvfSystem } from './descriptor.js';

const LINE = /^\s*([A-Za-z0-9_.:]+)\s*=\s*"(.*)"\s*$/;

/** The NICs of a .vmx, in adapter order (absent or `present = "FALSE"` ones left out). */
export function vmxNics(vmx: string): OvfNic[] {
  const keys = new Map<string, string>();
  for (const line of vmx.split(/\r?\n/)) {
    const m = LINE.exec(line);
    if (m) keys.set((m[1] as string).toLowerCase(), m[2] as string);
  }
  const nics: Array<OvfNic & { n: number }> = [];
  for (const [key, value] of keys) {
    const m = /^ethernet(\d+)\.present$/.exec(key);
    if (!m || value.toLowerCase() !== 'true') continue;
    const n = Number(m[1]);
    nics.push({
      n,
      network: keys.get(`ethernet${n}.networkname`) || 'VM Network',
      adapter: keys.get(`ethernet${n}.virtualdev`) || 'e1000',
    });
  }
  return nics.sort((a, b) => a.n - b.n).map(({ network, adapter }) => ({ network, adapter }));
}

/**
 * The descriptor's view of the VM.
 * @param disks the package's VMDKs, in the order of `manifest.vm.disks`; vmx the .vmx text ('' when none).
 */
export function ovfSystem(manifest: Manifest, disks: OvfDisk[], vmx: string): OvfSystem {
  return {
    name: manifest.vm.name,
    guestId: manifest.vm.guest_id || 'otherGuest',
    guestOs: manifest.vm.guest_os,
    numCpu: manifest.vm.num_cpu || 1,
    memoryMb: manifest.vm.memory_mb || 1,
    disks,
    nics: vmxNics(vmx),
  };
}

/**
 * The descriptor's view of a VM read from its host.
 * @param disks the package's VMDKs, in the order of `config.disks`.
 */
export function liveOvfSystem(config: ExportConfig, disks: OvfDisk[]): OvfSystem {
  return {
    name: config.name,
    guestId: config.guestId,
    guestOs: config.guestOs,
    numCpu: config.numCpu,
    memoryMb: config.memoryMb,
    disks,
    nics: config.nics,
  };
}
