/** @module vsphere — public API of the vSphere layer (ESXi SOAP client, inventory, tasks, datastore HTTP). */
export {
  type ChangedAreasQuery,
  type DiskArea,
  queryChangedDiskAreas,
  queryDiskChangePart,
  readSnapshotDisks,
  type SnapshotDisk,
  setChangeTracking,
} from './cbt.js';
export { type ConnectOptions, type ServiceContent, VSphereClient } from './client.js';
export {
  type DatastoreFile,
  datastoreFileUrl,
  datastorePath,
  deleteDatastoreFile,
  deleteDatastoreFileIfExists,
  makeDatastoreDirectory,
  moveVirtualDisk,
  openDatastoreRead,
  putDatastoreFile,
} from './datastore-http.js';
export { toVSphereError, VSphereError, type VSphereErrorCode } from './errors.js';
export { type GuestState, guestAlive, readGuestState, toolsMissing } from './guest.js';
export { datastoreHttpError, openUrlRead, putUrl } from './http-transfer.js';
export {
  fetchInventory,
  type Inventory,
  type InventoryDatastore,
  type InventoryDisk,
  type InventoryHost,
  type InventorySnapshot,
  type InventoryVm,
} from './inventory.js';
export { addPortgroup, connectNicsToPortgroup, listPortgroups, vmNicNetworks } from './network.js';
export {
  abortLease,
  completeLease,
  keepLeaseAlive,
  type LeaseDevice,
  type LeaseInfo,
  leaseProgress,
  waitForLeaseReady,
} from './nfc-lease.js';
export { asArray, asBool, asIsoDate, asMoRef, asNumber, asString, type MoRef } from './normalize.js';
export {
  inventoryTraversal,
  type ObjectContent,
  type PropertyFilterSpec,
  retrieveAll,
  retrieveOne,
  retrieveProperties,
  traversalSpec,
} from './property-collector.js';
export { readSnapshotTree, type SnapshotNode, type SnapshotTree, snapshotSizes } from './snapshot-tree.js';
export { cancelTask, runTask, type WaitForTaskOptions, waitForTask } from './tasks.js';
export { fetchThumbprint, normalizeThumbprint } from './tls.js';
export {
  type ExportConfig,
  type ExportDisk,
  type ExportNic,
  exportVm,
  readExportConfig,
} from './vm-export.js';
export {
  createSnapshot,
  destroyVm,
  powerOff,
  powerOn,
  reconfigVm,
  registerVm,
  removeAllSnapshots,
  removeSnapshot,
  revertToSnapshot,
  type SnapshotSpec,
  snapshotRef,
  startCreateSnapshot,
  unregisterVm,
  type VmConfigSpec,
  vmRef,
} from './vm-ops.js';
export {
  addVirtualSwitch,
  type HostNetwork,
  listVirtualSwitches,
  type PortgroupInfo,
  readHostNetwork,
  removePortgroup,
  removeVirtualSwitch,
  type VirtualSwitchInfo,
} from './vswitch.js';
