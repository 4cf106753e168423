/**
 * @module replication: VM replication between ESXi hosts (host-to-host streamed copies, replica `<vm>_replica`
 * registered powered off), its scheduler, the failover job (manual, test, automatic) and the source-host
 * monitor behind automatic failover. The queries live in src/db/replications.ts and failover-events.ts.
 * @see ../shared/seeds/002_f19a4346cdb00c94.txt section 2, ../shared/seeds/000_51d0a8809ce1434c.txt
 */
export { failoverJob } from './failover.js';
export { replicationJob } from './job.js';
export { monitorSources, startFailoverMonitor } from './monitor.js';
export { scheduleDueReplications, startReplicationScheduler } from './scheduler.js';
