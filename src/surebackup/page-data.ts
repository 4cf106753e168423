/**
 * @module surebackup/page-data: what the SureBackup page needs besides the rows: its form schemas (HTML forms,
 * values as strings) and the choices of its selects (completed backups and OVF exports, active hosts and their
 * datastores, VMs).
 */
import { z } from 'zod';
import { listBackups } from '../db/backups.js';
import type { Db } from '../db/client.js';
import { listServers } from '../db/esxi-servers.js';
import { listDatastores, listVirtualMachines } from '../db/inventory.js';
import { listOvfExports } from '../db/ovf-exports.js';
import { TEST_TYPES, VERIFICATION_FREQUENCIES, VERIFICATION_SOURCES } from '../db/schema.js';
import { VM_PREFIX } from './cleanup.js';
import { serviceName } from './services.js';

const list = z.preprocess(
  (v) =>
    String(v ?? '')
      .split(/[\s,;]+/)
      .filter(Boolean),
  z.array(serviceName).max(32),
);

/** The "Verify now" form: `source` is `vm_backup:<id>` or `ovf_export:<id>`, made the request's one source. */
export const verifyForm = z
  .object({
    source: z.string().regex(/^(vm_backup|ovf_export):\d{1,10}$/),
    esxi_server: z.coerce.number().int().positive(),
    test_datastore: z.string().trim().max(200).default(''),
    test_network: z.string().trim().min(1).max(200),
    test_type: z.enum(TEST_TYPES),
    services: list,
  })
  .transform(({ source, ...rest }) => {
    const [kind, id] = source.split(':');
    return { ...rest, source, [kind === 'ovf_export' ? 'ovf_export' : 'vm_backup']: Number(id) };
  });

/** The "add a schedule" form. */
export const scheduleForm = z.object({
  name: z.string().trim().min(1).max(200),
  virtual_machine: z.preprocess(
    (v) => (v === '' || v === undefined ? null : v),
    z.coerce.number().int().positive().nullable(),
  ),
  esxi_server: z.coerce.number().int().positive(),
  frequency: z.enum(VERIFICATION_FREQUENCIES),
  source: z.enum(VERIFICATION_SOURCES).default('vm_backup'),
  test_type: z.enum(TEST_TYPES),
  test_network: z.string().trim().min(1).max(200),
  test_datastore: z.string().trim().max(200).default(''),
});

/** Active hosts, and the datastores of `serverId` (default: the first host), most free space first. */
export async function hostChoices(db: Db, serverId?: number) {
  const servers = (await listServers(db)).filter((s) => s.is_active);
  const chosen = serverId ?? servers[0]?.id;
  const datastores = chosen ? await listDatastores(db, chosen) : [];
  return {
    servers: servers.map((s) => ({ id: s.id, name: s.name })),
    datastores: datastores
      .map(({ datastore }) => ({ name: datastore.name, free_bytes: datastore.free_bytes }))
      .sort((a, b) => b.free_bytes - a.free_bytes),
  };
}

/** The choices of the "Verify now" dialog: completed backups and OVF exports (newest first) and hosts. */
export async function verifyChoices(db: Db, serverId?: number) {
  const [{ rows: backups }, { rows: exports }] = await Promise.all([
    listBackups(db, { status: 'COMPLETED' }),
    listOvfExports(db, { status: 'COMPLETED' }),
  ]);
  return {
    backups: backups.map((b) => ({ id: b.id, vm_name: b.vm_name, created_at: b.created_at })),
    exports: exports.map((e) => ({
      id: e.id,
      vm_name: e.vm_name,
      format: e.format,
      created_at: e.created_at,
    })),
    ...(await hostChoices(db, serverId)),
  };
}

/** The choices of the schedule form: present VMs and active hosts. */
export async function scheduleChoices(db: Db) {
  const [vms, hosts] = await Promise.all([listVirtualMachines(db), hostChoices(db)]);
  return {
    vms: vms.rows
      .filter(({ vm }) => vm.is_present && !vm.name.startsWith(VM_PREFIX))
      .map(({ vm, server_name }) => ({ id: vm.id, name: vm.name, server_name })),
    servers: hosts.servers,
  };
}
