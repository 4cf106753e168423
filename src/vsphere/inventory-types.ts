/** @module vsphere/inventory-types — the shape of a host inventory; snake_case fields map 1:1 to DB columns. */

export interface InventoryHost {
  moref: string;
  name: string;
  version: string;
  build: string;
  full_name: string;
  api_version: string;
}
export interface InventoryDatastore {
  moref: string;
  name: string;
  type: string;
  url: string;
  capacity_bytes: number;
  free_bytes: number;
  accessible: boolean;
}
export interface InventoryDisk {
  key: number;
  label: string;
  /** Datastore path, e.g. `[datastore1] vm/vm.vmdk`. */
  file_name: string;
  capacity_bytes: number;
  /** Datastore name. */
  datastore: string;
  thin: boolean | null;
}
export interface InventorySnapshot {
  moref: string;
  name: string;
  description: string;
  created_at: string;
  parent: string | null;
}
export interface InventoryVm {
  moref: string;
  name: string;
  power_state: 'poweredOn' | 'poweredOff' | 'suspended';
  guest_os: string;
  guest_id: string;
  num_cpu: number;
  memory_mb: number;
  uuid: string;
  instance_uuid: string;
  vmx_path: string;
  /** config.changeTrackingEnabled: CBT asked (in force from the VM's next stun/unstun cycle). */
  change_tracking_enabled: boolean;
  /** Datastore names. */
  datastores: string[];
  tools_status: string;
  ip_address: string | null;
  disks: InventoryDisk[];
  files: Array<{ name: string; type: string; size_bytes: number }>;
  snapshots: InventorySnapshot[];
  /** Network (port group) names. */
  portgroups: string[];
}
export interface Inventory {
  host: InventoryHost;
  datacenter: string;
  datastores: InventoryDatastore[];
  vms: InventoryVm[];
  portgroups: string[];
}
