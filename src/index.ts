/**
 * @module index: the process: reads the settings, opens and migrates the database, creates the first admin
 * from ADMIN_* when asked, serves the app and starts the periodic inventory sync. Stops cleanly on SIGTERM.
 */
import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { warmBackupThreads } from './backup/index.js';
import { startSnapshotSweep } from './backup/periodic-sweep.js';
import { startBackupJobScheduler } from './backup-jobs/index.js';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/client.js';
import { migrate } from './db/migrate.js';
import { createFirstAdmin } from './db/users.js';
import { createDeps } from './deps.js';
import { startPeriodicSync } from './inventory/periodic-sync.js';
import { jobDefinitions, runnerOptionsFromConfig } from './jobs/definitions.js';
import { startJobRunner } from './jobs/runner.js';
import { startLabNetworkSweep } from './lab-network/index.js';
import { createLogger } from './logger.js';
import { createMetrics } from './metrics/registry.js';
import { startDeliveryLoop, startNotificationWatcher } from './notifications/index.js';
import { startFailoverMonitor, startReplicationScheduler } from './replication/index.js';
import { closeChunkPool } from './repository/pool.js';
import { startRepositoryVerifyScheduler } from './repository-jobs/index.js';
import { startSnapshotScheduler } from './snapshots/index.js';
import { ensureDefaultStoragePath } from './storage/storage-paths.js';
import { startVerificationScheduler } from './surebackup/scheduler.js';
import { closeWorkerPools } from './workers/pool.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const database = await openDatabase(config);
  await migrate(database);
  logger.info({ database: database.kind, location: database.location }, 'database ready');
  if (config.adminUsername && config.adminPassword) {
    const admin = await createFirstAdmin(database.db, config.adminUsername, config.adminPassword);
    if (admin) logger.info({ username: admin.username }, 'first admin created from ADMIN_USERNAME');
  }
  if (await ensureDefaultStoragePath(database.db, config.backupDir)) {
    logger.info({ path: config.backupDir }, 'storage path "default" created for BACKUP_DIR');
  }
  const deps = createDeps(config, database, logger);
  warmBackupThreads();
  const metrics = createMetrics(deps, { processMetrics: true });
  const jobRunner = startJobRunner(deps, jobDefinitions, {
    ...runnerOptionsFromConfig(config, database.kind),
    onJobFinished: metrics.jobFinished,
  });
  deps.jobs = jobRunner;
  const app = createApp(deps, { metrics });
  const stopSync = startPeriodicSync(deps, config.inventorySyncIntervalSeconds);
  const stopSweep = startSnapshotSweep(deps);
  const stopLabSweep = startLabNetworkSweep(deps, config.labNetworkSweepIntervalSeconds);
  const stopVerifications = startVerificationScheduler(deps);
  const stopReplication = startReplicationScheduler(deps, config.replicationSchedulerIntervalSeconds);
  const stopMonitor = startFailoverMonitor(deps, config.failoverMonitorIntervalSeconds);
  const stopRepositoryVerifies = startRepositoryVerifyScheduler(deps);
  const stopBackupJobs = startBackupJobScheduler(deps, config.backupJobSchedulerIntervalSeconds);
  const stopSnapshotSchedules = startSnapshotScheduler(deps);
  const deliveries = startDeliveryLoop(deps);
  const stopNotificationWatcher = startNotificationWatcher(deps);
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
    logger.info({ url: `http://${host}:${info.port}` }, 'listening');
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    stopSync();
    stopSweep();
    stopLabSweep();
    stopVerifications();
    stopReplication();
    stopMonitor();
    stopRepositoryVerifies();
    stopBackupJobs();
    stopSnapshotSchedules();
    stopNotificationWatcher();
    server.close();
    await deliveries.stop();
    await jobRunner.stop();
    await Promise.all([closeWorkerPools(), closeChunkPool()]);
    await database.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  if (err instanceof ConfigError || err?.name === 'DatabaseLockedError') {
    console.error(`esxi-backup-manager: ${err.message}`);
  } else {
    console.error('esxi-backup-manager: failed to start:', err);
  }
  process.exit(1);
});
