/** @module snapshots: a VM's snapshots (tree, create, revert, remove as durable jobs) and snapshot schedules. */
export { snapshotCreateJob } from './create-job.js';
export { BACKUP_SNAPSHOT_PREFIX, MOREF_PATTERN, type SnapshotView } from './host.js';
export { snapshotRemoveJob } from './remove-job.js';
export {
  type CreateSnapshotInput,
  createSnapshotSchema,
  requestCreate,
  requestOnSnapshot,
  vmSnapshots,
} from './requests.js';
export { snapshotRevertJob } from './revert-job.js';
export { runSnapshotSchedulerPass, slotStamp, startSnapshotScheduler } from './scheduler.js';
