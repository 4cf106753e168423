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
