/** @module vsphere/property-collector — RetrievePropertiesEx with paging, and the standalone-ESXi inventory traversal. */
import { msg } from '../i18n/message.js';
import type { VSphereClient } from './client.js';
import { VSphereError } from './errors.js';
import { asArray, asRecord, asString, type MoRef } from './normalize.js';

/** vim25 SelectionSpec: a reference to a named TraversalSpec. */
export interface SelectionSpec {
  name: string;
}

/** vim25 TraversalSpec, in wire form (xsi:type + fields in schema order: name, type, path, skip, selectSet). */
export interface TraversalSpec {
  attributes: { xsi_type: { type: 'TraversalSpec'; xmlns: 'urn:vim25' } };
  name: string;
  type: string;
  path: string;
  skip: boolean;
  selectSet?: SelectionSpec[];
}

/** vim25 PropertyFilterSpec (vSphere API reference: "PropertyFilterSpec"). */
export interface PropertyFilterSpec {
  propSet: Array<{ type: string; all?: boolean; pathSet?: string[] }>;
  objectSet: Array<{ obj: MoRef; skip?: boolean; selectSet?: Array<TraversalSpec | SelectionSpec> }>;
}

/** One retrieved object: its reference and the requested properties by path (normalised values). */
export interface ObjectContent {
  ref: MoRef;
  props: Record<string, unknown>;
}

/**
 * Builds a TraversalSpec with its fields in the order real ESXi requires.
 * @param name spec name, referenced by SelectionSpecs; type/path: managed object type and property to follow.
 * @param next names of the specs to apply to the objects reached.
 */
export function traversalSpec(name: string, type: string, path: string, next: string[] = []): TraversalSpec {
  const spec: TraversalSpec = {
    attributes: { xsi_type: { type: 'TraversalSpec', xmlns: 'urn:vim25' } },
    name,
    type,
    path,
    skip: false,
  };
  if (next.length) spec.selectSet = next.map((n) => ({ name: n }));
  return spec;
}

/**
 * Container-free traversal from the root folder to every datacenter, VM, datastore, network, compute resource
 * and host of a standalone ESXi host (also valid on vCenter). Use with `objectSet: [{obj: rootFolder, skip: true}]`.
 */
export function inventoryTraversal(): TraversalSpec[] {
  const folder = ['folderToChild', 'dcToVm', 'dcToDs', 'dcToHost', 'dcToNet', 'crToHost', 'vappToVm'];
  return [
    traversalSpec('folderToChild', 'Folder', 'childEntity', folder),
    traversalSpec('dcToVm', 'Datacenter', 'vmFolder', ['folderToChild']),
    traversalSpec('dcToDs', 'Datacenter', 'datastoreFolder', ['folderToChild']),
    traversalSpec('dcToHost', 'Datacenter', 'hostFolder', ['folderToChild']),
    traversalSpec('dcToNet', 'Datacenter', 'networkFolder', ['folderToChild']),
    traversalSpec('crToHost', 'ComputeResource', 'host'),
    traversalSpec('vappToVm', 'VirtualApp', 'vm'),
  ];
}

function toContents(result: unknown): { objects: ObjectContent[]; token: string | null } {
  const res = asRecord(result);
  const objects = asArray(res.objects).map((raw) => {
    const o = asRecord(raw);
    const props: Record<string, unknown> = {};
    for (const p of asArray(o.propSet)) {
      const { name, val } = asRecord(p);
      props[asString(name)] = val;
    }
    return { ref: o.obj as MoRef, props };
  });
  return { objects, token: res.token ? asString(res.token) : null };
}

/**
 * Retrieves properties, following `token` with ContinueRetrievePropertiesEx until the result is complete.
 * @param specs filter specs; options.maxObjects: page size hint for the server (default: server's choice).
 * @returns all objects, in server order; properties not set on an object are simply absent from `props`.
 * @throws VSphereError (e.g. `ManagedObjectNotFound` for a deleted starting object).
 * Reference: vSphere API "PropertyCollector.RetrievePropertiesEx", "ContinueRetrievePropertiesEx".
 */
export async function retrieveProperties(
  client: VSphereClient,
  specs: PropertyFilterSpec[],
  options: { maxObjects?: number } = {},
): Promise<ObjectContent[]> {
  const pc = client.serviceContent.propertyCollector;
  const retrieveOptions = options.maxObjects ? { maxObjects: options.maxObjects } : {};
  let page = toContents(
    await client.call('RetrievePropertiesEx', { _this: pc, specSet: specs, options: retrieveOptions }),
  );
  const all = [...page.objects];
  while (page.token) {
    page = toContents(await client.call('ContinueRetrievePropertiesEx', { _this: pc, token: page.token }));
    all.push(...page.objects);
  }
  return all;
}

/**
 * Retrieves `pathSet` of every object of `type` reachable from the root folder, in one round trip (plus paging).
 * @param type managed object type, e.g. `VirtualMachine`, `Datastore`, `HostSystem`.
 */
export function retrieveAll(
  client: VSphereClient,
  type: string,
  pathSet: string[],
): Promise<ObjectContent[]> {
  return retrieveProperties(client, [
    {
      propSet: [{ type, pathSet }],
      objectSet: [{ obj: client.serviceContent.rootFolder, skip: true, selectSet: inventoryTraversal() }],
    },
  ]);
}

/**
 * Retrieves `pathSet` of one object.
 * @returns the properties by path.
 * @throws VSphereError `ManagedObjectNotFound` when the object does not exist.
 */
export async function retrieveOne(
  client: VSphereClient,
  ref: MoRef,
  pathSet: string[],
): Promise<Record<string, unknown>> {
  const [found] = await retrieveProperties(client, [
    { propSet: [{ type: ref.type, pathSet }], objectSet: [{ obj: ref }] },
  ]);
  if (!found) {
    throw new VSphereError(
      'ManagedObjectNotFound',
      msg('vsphere.object_gone', { type: ref.type, id: ref.value }),
      {
        faultType: 'ManagedObjectNotFound',
      },
    );
  }
  return found.props;
}
