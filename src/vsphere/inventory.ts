/** @module vsphere/inventory — one snapshot of a standalone ESXi host: host, datastores, networks and VMs. */
import type { VSphereClient } from './client.js';
import type {
  Inventory,
  InventoryDatastore,
  InventoryDisk,
  InventorySnapshot,
  InventoryVm,
} from './inventory-types.js';
import {
  asArray,
  asBool,
  asIsoDate,
  asMoRef,
  asNumber,
  asRecord,
  asString,
  type MoRef,
} from './normalize.js';
import { type ObjectContent, retrieveAll } from './property-collector.js';

export type * from './inventory-types.js';

const VM_PATHS = [
  'name',
  'runtime.powerState',
  'config.guestFullName',
  'config.guestId',
  'config.hardware.numCPU',
  'config.hardware.memoryMB',
  'config.uuid',
  'config.instanceUuid',
  'config.files.vmPathName',
  'config.changeTrackingEnabled',
  'config.hardware.device',
  'datastore',
  'network',
  'guest.toolsStatus',
  'guest.ipAddress',
  'layoutEx.file',
  'snapshot',
];

const num = (v: unknown) => asNumber(v) ?? 0;
const names = (refs: unknown, byRef: Map<string, string>) =>
  asArray(refs).flatMap((r) => {
    const ref = asMoRef(r);
    return ref ? [byRef.get(ref.value) ?? ref.value] : [];
  });

function flattenSnapshots(
  trees: unknown,
  parent: string | null,
  out: InventorySnapshot[],
): InventorySnapshot[] {
  for (const raw of asArray(trees)) {
    const t = asRecord(raw);
    const moref = asMoRef(t.snapshot)?.value ?? '';
    out.push({
      moref,
      name: asString(t.name),
      description: asString(t.description),
      created_at: asIsoDate(t.createTime) ?? '',
      parent,
    });
    flattenSnapshots(t.childSnapshotList, moref, out);
  }
  return out;
}

function toDisk(device: Record<string, unknown>, dsNames: Map<string, string>): InventoryDisk {
  const backing = asRecord(device.backing);
  const fileName = asString(backing.fileName);
  const dsRef = asMoRef(backing.datastore);
  const bracket = /^\[([^\]]+)\]/.exec(fileName)?.[1];
  const bytes = asNumber(device.capacityInBytes) ?? num(device.capacityInKB) * 1024;
  return {
    key: num(device.key),
    label: asString(asRecord(device.deviceInfo).label),
    file_name: fileName,
    capacity_bytes: bytes,
    datastore: (dsRef && dsNames.get(dsRef.value)) ?? bracket ?? '',
    thin: asBool(backing.thinProvisioned),
  };
}

function toVm(o: ObjectContent, dsNames: Map<string, string>, netNames: Map<string, string>): InventoryVm {
  const p = o.props;
  const power = asString(p['runtime.powerState']);
  return {
    moref: o.ref.value,
    name: asString(p.name),
    power_state: power === 'poweredOn' || power === 'suspended' ? power : 'poweredOff',
    guest_os: asString(p['config.guestFullName']),
    guest_id: asString(p['config.guestId']),
    num_cpu: num(p['config.hardware.numCPU']),
    memory_mb: num(p['config.hardware.memoryMB']),
    uuid: asString(p['config.uuid']),
    instance_uuid: asString(p['config.instanceUuid']),
    vmx_path: asString(p['config.files.vmPathName']),
    change_tracking_enabled: asBool(p['config.changeTrackingEnabled']) ?? false,
    datastores: names(p.datastore, dsNames),
    tools_status: asString(p['guest.toolsStatus']),
    ip_address: asString(p['guest.ipAddress']) || null,
    disks: asArray(p['config.hardware.device'])
      .map(asRecord)
      .filter((d) => d._type === 'VirtualDisk')
      .map((d) => toDisk(d, dsNames)),
    files: asArray(p['layoutEx.file']).map((raw) => {
      const f = asRecord(raw);
      return { name: asString(f.name), type: asString(f.type), size_bytes: num(f.size) };
    }),
    snapshots: flattenSnapshots(asRecord(p.snapshot).rootSnapshotList, null, []),
    portgroups: names(p.network, netNames),
  };
}

/**
 * Reads the whole inventory of a standalone ESXi host: one RetrievePropertiesEx per object kind
 * (host, datacenter, datastores, networks, VMs), issued in parallel; never one call per VM.
 * @returns the inventory with snake_case fields (they map 1:1 to database columns); sizes in bytes, memory in MiB.
 * @throws VSphereError (`Unreachable`, `NotAuthenticated` after a failed re-login, `Fault`).
 * Reference: vSphere API "PropertyCollector.RetrievePropertiesEx", "VirtualMachine", "HostSystem", "Datastore".
 */
export async function fetchInventory(client: VSphereClient): Promise<Inventory> {
  const [hosts, datacenters, datastores, networks, vms] = await Promise.all([
    retrieveAll(client, 'HostSystem', ['name', 'summary.config.product']),
    retrieveAll(client, 'Datacenter', ['name']),
    retrieveAll(client, 'Datastore', ['summary']),
    retrieveAll(client, 'Network', ['name']),
    retrieveAll(client, 'VirtualMachine', VM_PATHS),
  ]);
  const host = hosts[0];
  const product = asRecord(host?.props['summary.config.product']);
  const about = client.serviceContent.about;
  const dsList = datastores.map((o): InventoryDatastore => {
    const s = asRecord(o.props.summary);
    return {
      moref: o.ref.value,
      name: asString(s.name),
      type: asString(s.type),
      url: asString(s.url),
      capacity_bytes: num(s.capacity),
      free_bytes: num(s.freeSpace),
      accessible: asBool(s.accessible) ?? false,
    };
  });
  const dsNames = new Map(dsList.map((d) => [d.moref, d.name]));
  const netNames = new Map(networks.map((o) => [o.ref.value, asString(o.props.name)]));
  return {
    host: {
      moref: (host?.ref as MoRef | undefined)?.value ?? '',
      name: asString(host?.props.name),
      version: asString(product.version, about.version),
      build: asString(product.build, about.build),
      full_name: asString(product.fullName, about.fullName),
      api_version: asString(product.apiVersion, about.apiVersion),
    },
    datacenter: asString(datacenters[0]?.props.name),
    datastores: dsList,
    vms: vms.map((o) => toVm(o, dsNames, netNames)),
    portgroups: [...netNames.values()],
  };
}
