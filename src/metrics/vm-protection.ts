/**
 * @module metrics/vm-protection: per VM present in the inventory (labels `server`, `vm`), whether an active
 * backup job covers it (`esxi_vm_protected`, 1 or 0) and, where a scheduled job expects a restore point,
 * whether its RPO is met (`esxi_vm_rpo_met`, 1 or 0). Definitions: src/backup-jobs/protection.ts.
 */
import { vmProtection } from '../backup-jobs/index.js';
import type { Db } from '../db/client.js';
import { listVirtualMachines } from '../db/inventory.js';
import { type Collector, createFamily } from './collector.js';

/** The VM protection family's collector. */
export function vmProtectionCollector(): Collector {
  const family = createFamily();
  const protectedVm = family.gauge(
    'esxi_vm_protected',
    'Whether an active backup job selects the VM now (1) or none does (0).',
    ['server', 'vm'],
  );
  const rpoMet = family.gauge(
    'esxi_vm_rpo_met',
    'Whether the VM’s last good restore point is as new as its backup job’s schedule requires (1) or not (0); absent when no scheduled job expects one yet.',
    ['server', 'vm'],
  );
  return {
    name: 'vm_protection',
    metrics: family.metrics,
    async update(db: Db) {
      const [vms, protection] = await Promise.all([listVirtualMachines(db), vmProtection(db)]);
      protectedVm.reset();
      rpoMet.reset();
      for (const { vm, server_name } of vms.rows) {
        const labels = { server: server_name, vm: vm.name };
        const p = protection.get(vm.id);
        protectedVm.set(labels, p ? 1 : 0);
        if (p && p.rpo_met !== null) rpoMet.set(labels, p.rpo_met ? 1 : 0);
      }
    },
  };
}
