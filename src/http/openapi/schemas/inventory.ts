/** @module http/openapi/schemas/inventory: what `/api/virtual-machines/` and `/api/datastores/` answer. */
import { z } from 'zod';
import { count, id, timestamp } from './fields.js';

const disk = z.object({
  key: z.number().int(),
  label: z.string(),
  file_name: z.string(),
  capacity_bytes: count,
  datastore: z.string(),
  thin: z.boolean().nullable(),
});
const file = z.object({ name: z.string(), type: z.string(), size_bytes: count });
const snapshot = z.object({
  moref: z.string(),
  name: z.string(),
  description: z.string(),
  created_at: z.string(),
  parent: z.string().nullable(),
});

/** A VM's retention policy in force: Proxmox Backup Server's prune options, each a count (0: unused). */
export const retentionPolicySchema = z
  .object({
    keep_last: count.describe('The newest restore points kept.'),
    keep_hourly: count.describe('The newest point of each of the N newest hours that hold one.'),
    keep_daily: count.describe('Likewise per day.'),
    keep_weekly: count.describe('Likewise per ISO week (Monday to Sunday).'),
    keep_monthly: count.describe('Likewise per month.'),
    keep_yearly: count.describe('Likewise per year.'),
  })
  .describe(
    'Applied after each successful backup to the VM’s completed restore points, options in this order, a ' +
      'period already kept by an earlier option not counted again (PBS prune). The newest point that ' +
      'completed well (verification not `corrupt`) is never removed; failed or cancelled runs never count.',
  );

/** A VM of a host's inventory. */
export const virtualMachineSchema = z.object({
  id,
  esxi_server_id: id,
  esxi_server: id.describe('The same as esxi_server_id (the seed name).'),
  esxi_server_name: z.string(),
  moref: z.string().describe('vSphere managed object id (`vm-12`).'),
  name: z.string(),
  power_state: z.string().describe('poweredOn, poweredOff or suspended.'),
  guest_os: z.string(),
  guest_id: z.string(),
  num_cpu: count,
  memory_mb: count,
  uuid: z.string(),
  instance_uuid: z.string(),
  vmx_path: z.string(),
  change_tracking_enabled: z
    .boolean()
    .describe(
      'Changed Block Tracking asked (config.changeTrackingEnabled). The host applies it at the VM’s next ' +
        'snapshot: the next backup reads the areas in use, the ones after only what changed.',
    ),
  datastore: z.string(),
  tools_status: z.string(),
  ip_address: z.string().nullable(),
  disks: z.array(disk),
  files: z.array(file),
  snapshots: z.array(snapshot),
  is_present: z.boolean(),
  retention: retentionPolicySchema,
  retention_is_default: z
    .boolean()
    .describe('True when the VM has no policy of its own: `keep_last` = BACKUP_RETENTION_COUNT.'),
  updated_at: timestamp,
});

/** A datastore of a host. */
export const datastoreSchema = z.object({
  id,
  esxi_server_id: id,
  esxi_server: id,
  esxi_server_name: z.string(),
  moref: z.string(),
  name: z.string(),
  type: z.string(),
  url: z.string(),
  capacity_bytes: count,
  free_bytes: count,
  used_percent: z.number().min(0).max(100).describe('Used space, percent with one decimal.'),
  accessible: z.boolean(),
  updated_at: timestamp,
});
