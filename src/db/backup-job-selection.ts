/**
 * @module db/backup-job-selection: the inventory rows a backup job's selection starts from: its explicit VMs
 * (present or not, so that a VM gone from its host shows as skipped) and the VMs present on its hosts.
 */
import { and, asc, eq, inArray, or } from 'drizzle-orm';
import type { Db } from './client.js';
import { esxi_servers, virtual_machines } from './schema.js';

export interface SelectionCandidate {
  id: number;
  name: string;
  esxi_server_id: number;
  server_name: string;
  power_state: string;
  is_present: boolean;
  change_tracking_enabled: boolean;
  /** Named in the job's explicit VMs (else found on one of its hosts). */
  explicit: boolean;
}

/** The VMs named by id, and those present on the hosts named, sorted by name. */
export async function selectionCandidates(
  db: Db,
  vmIds: number[],
  serverIds: number[],
): Promise<SelectionCandidate[]> {
  if (vmIds.length === 0 && serverIds.length === 0) return [];
  const rows = await db
    .select({
      id: virtual_machines.id,
      name: virtual_machines.name,
      esxi_server_id: virtual_machines.esxi_server_id,
      server_name: esxi_servers.name,
      power_state: virtual_machines.power_state,
      is_present: virtual_machines.is_present,
      change_tracking_enabled: virtual_machines.change_tracking_enabled,
    })
    .from(virtual_machines)
    .innerJoin(esxi_servers, eq(esxi_servers.id, virtual_machines.esxi_server_id))
    .where(
      or(
        vmIds.length ? inArray(virtual_machines.id, vmIds) : undefined,
        serverIds.length
          ? and(inArray(virtual_machines.esxi_server_id, serverIds), eq(virtual_machines.is_present, true))
          : undefined,
      ),
    )
    .orderBy(asc(virtual_machines.name), asc(virtual_machines.id));
  const explicit = new Set(vmIds);
  return rows.map((r) => ({ ...r, explicit: explicit.has(r.id) }));
}
