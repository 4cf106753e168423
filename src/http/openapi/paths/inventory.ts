/**
 * @module http/openapi/paths/inventory: `/api/virtual-machines/` and `/api/datastores/` (read-only), and a
 * VM's retention policy.
 */
import { datastoreFilters, vmFilters } from '../../api/inventory.js';
import { retentionSchema } from '../../api/vm-retention.js';
import type { DocumentBuilder } from '../builder.js';
import { endpoint, list } from '../endpoints.js';
import { datastoreSchema, virtualMachineSchema } from '../schemas/inventory.js';

/** Adds the inventory endpoints. */
export function inventoryPaths(doc: DocumentBuilder): void {
  const vm = doc.response('VirtualMachine', virtualMachineSchema);
  list(
    doc,
    {
      path: '/api/virtual-machines/',
      tag: 'inventory',
      summary: 'List the VMs present on their hosts',
      description: 'Sorted by name.',
      name: 'VirtualMachine',
      item: vm,
    },
    vmFilters,
  );
  endpoint(doc, {
    method: 'get',
    path: '/api/virtual-machines/{id}/',
    tag: 'inventory',
    summary: 'One VM',
    ok: { 200: { description: 'The VM.', schema: vm } },
  });
  const retention = '/api/virtual-machines/{id}/retention/';
  endpoint(doc, {
    method: 'put',
    path: retention,
    tag: 'inventory',
    summary: 'Set the retention policy of a VM',
    description:
      'Each option 0 to 10000, a missing one 0, at least one above 0 (400 otherwise, naming the field, or ' +
      '`_`). Applied after the VM’s next successful backup.',
    role: 'operator',
    body: doc.request('RetentionPolicyInput', retentionSchema),
    ok: { 200: { description: 'The VM with its new policy.', schema: vm } },
  });
  endpoint(doc, {
    method: 'delete',
    path: retention,
    tag: 'inventory',
    summary: 'Give a VM the default retention policy again',
    description: 'The default keeps the last BACKUP_RETENTION_COUNT restore points (`keep_last`).',
    role: 'operator',
    ok: { 200: { description: 'The VM with the default policy.', schema: vm } },
  });
  for (const [verb, on] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    endpoint(doc, {
      method: 'post',
      path: `/api/virtual-machines/{id}/${verb}_change_tracking/`,
      tag: 'inventory',
      summary: `${on ? 'Turn on' : 'Turn off'} Changed Block Tracking for a VM`,
      description:
        'ReconfigVM_Task with `changeTrackingEnabled` on the VM’s host, which applies it at the VM’s next ' +
        'stun/unstun cycle (the next backup’s snapshot). ' +
        (on
          ? 'The first backup after it still reads every area in use; the next ones only what changed. A VM ' +
            'with snapshots or an old virtual hardware version may be refused (502 with the host’s fault).'
          : 'Backups read the disks in full again.') +
        ' 409 `vm_gone` when the VM is no longer on its host.',
      role: 'operator',
      errors: [409, 502],
      ok: { 200: { description: 'The VM, with the flag the host now reports.', schema: vm } },
    });
  }
  list(
    doc,
    {
      path: '/api/datastores/',
      tag: 'inventory',
      summary: 'List the datastores',
      description: 'Sorted by server, then name.',
      name: 'Datastore',
      item: doc.response('Datastore', datastoreSchema),
    },
    datastoreFilters,
  );
}
