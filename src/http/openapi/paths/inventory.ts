/** @module http/openapi/paths/inventory: `/api/virtual-machines/` and `/api/datastores/` (read-only). */
import { datastoreFilters, vmFilters } from '../../api/inventory.js';
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
