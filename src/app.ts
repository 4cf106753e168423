/**
 * @module app: builds the Hono application from its dependencies: static files, health, sign-in, the pages
 * (signed-in users) and the REST API under `/api/` (token or session). `src/index.ts` serves it; tests call
 * `app.request()` on it directly.
 */
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { csrf } from 'hono/csrf';
import { secureHeaders } from 'hono/secure-headers';
import type { AppDeps } from './deps.js';
import { NotFoundError } from './errors.js';
import { authTokenApi } from './http/api/auth-token.js';
import { backupJobRunsApi } from './http/api/backup-job-runs.js';
import { backupJobsApi } from './http/api/backup-jobs.js';
import { backupVerificationsApi, verificationSchedulesApi } from './http/api/backup-verifications.js';
import { esxiServersApi } from './http/api/esxi-servers.js';
import { failoverEventsApi } from './http/api/failover-events.js';
import { datastoresApi, virtualMachinesApi } from './http/api/inventory.js';
import { metricsApi } from './http/api/metrics.js';
import { notificationChannelsApi } from './http/api/notification-channels.js';
import { notificationDeliveriesApi } from './http/api/notification-deliveries.js';
import { operationsApi } from './http/api/operations.js';
import { ovfExportsApi } from './http/api/ovf-exports.js';
import { ovfImportsApi } from './http/api/ovf-imports.js';
import { reportsApi } from './http/api/reports.js';
import { schemaApi } from './http/api/schema.js';
import { snapshotSchedulesApi } from './http/api/snapshot-schedules.js';
import { storagePathsApi } from './http/api/storage-paths.js';
import { restoresApi, vmBackupsApi } from './http/api/vm-backups.js';
import { vmReplicationsApi } from './http/api/vm-replications.js';
import { vmSnapshotsApi } from './http/api/vm-snapshots.js';
import type { AppEnv } from './http/context.js';
import { handleError, handleNotFound } from './http/errors.js';
import { requireApiAuth, requireLogin } from './http/middleware/auth.js';
import { sessionMiddleware } from './http/middleware/session.js';
import { authRoutes } from './http/routes/auth.js';
import { backupJobRoutes } from './http/routes/backup-jobs.js';
import { backupRoutes } from './http/routes/backups.js';
import { dashboardRoutes } from './http/routes/dashboard.js';
import { dbBackupFileRoutes } from './http/routes/db-backup/files.js';
import { dbBackupFlowRoutes } from './http/routes/db-backup/flow.js';
import { failoverRoutes } from './http/routes/failover.js';
import { inventoryRoutes } from './http/routes/inventory.js';
import { notificationRoutes } from './http/routes/notifications.js';
import { operationRoutes } from './http/routes/operations.js';
import { ovfExportRoutes } from './http/routes/ovf-exports.js';
import { ovfImportRoutes } from './http/routes/ovf-imports.js';
import { replicationRoutes } from './http/routes/replication.js';
import { scheduleRoutes } from './http/routes/schedules.js';
import { serverRoutes } from './http/routes/servers.js';
import { snapshotScheduleRoutes } from './http/routes/snapshot-schedules.js';
import { storagePathRoutes } from './http/routes/storage-paths.js';
import { surebackupRoutes } from './http/routes/surebackup.js';
import { userRoutes } from './http/routes/users.js';
import { msg } from './i18n/message.js';
import { pickLocale, translator } from './i18n/translate.js';
import { createMetrics, type Metrics } from './metrics/registry.js';
import { PUBLIC_DIR } from './paths.js';

/**
 * The application. @param deps database, settings, logger and credential sealer.
 * @param options.metrics the process' metrics (shared with its job runner); new ones by default.
 */
export function createApp(deps: AppDeps, options: { metrics?: Metrics } = {}) {
  const metrics = options.metrics ?? createMetrics(deps);
  const app = new Hono<AppEnv>({ strict: false });
  app.onError(handleError);
  app.notFound(handleNotFound);
  app.use(metrics.httpMiddleware);
  app.use(async (c, next) => {
    c.set('deps', deps);
    const locale = pickLocale(getCookie(c, 'lang'), c.req.header('Accept-Language'));
    c.set('locale', locale);
    c.set('t', translator(locale));
    await next();
  });
  app.use(
    '/static/*',
    serveStatic({ root: PUBLIC_DIR, rewriteRequestPath: (p) => p.replace(/^\/static/, '') }),
  );
  app.get('/healthz', (c) => c.json({ status: 'ok', database: deps.databaseKind }));
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
      },
    }),
  );

  app.route('/api/metrics', metricsApi(metrics)); // open (or METRICS_TOKEN): before the API's auth
  app.route('/api/schema', schemaApi); // the OpenAPI document and Swagger UI: open, they hold no data
  const api = new Hono<AppEnv>({ strict: false });
  api.route('/auth/token', authTokenApi);
  api.use(requireApiAuth);
  api.route('/esxi-servers', esxiServersApi);
  api.route('/virtual-machines', virtualMachinesApi);
  api.route('/virtual-machines', vmSnapshotsApi);
  api.route('/snapshot-schedules', snapshotSchedulesApi);
  api.route('/datastores', datastoresApi);
  api.route('/storage-paths', storagePathsApi);
  api.route('/operations', operationsApi);
  api.route('/vm-backups', vmBackupsApi);
  api.route('/restores', restoresApi);
  api.route('/ovf-exports', ovfExportsApi);
  api.route('/ovf-exports', ovfImportsApi);
  api.route('/backup-verifications', backupVerificationsApi);
  api.route('/verification-schedules', verificationSchedulesApi);
  api.route('/vm-replications', vmReplicationsApi);
  api.route('/failover-events', failoverEventsApi);
  api.route('/backup-jobs', backupJobsApi);
  api.route('/backup-job-runs', backupJobRunsApi);
  api.route('/notification-channels', notificationChannelsApi);
  api.route('/notification-deliveries', notificationDeliveriesApi);
  api.route('/reports', reportsApi);
  app.use('/api/*', sessionMiddleware);
  app.route('/api', api);
  const noRoute = () => {
    throw new NotFoundError(msg('error.no_route'));
  };
  app.all('/api', noRoute);
  app.all('/api/*', noRoute);

  app.use(csrf(), sessionMiddleware);
  app.route('/', authRoutes);
  app.use(requireLogin);
  app.route('/', dashboardRoutes);
  app.route('/', inventoryRoutes);
  app.route('/servers', serverRoutes);
  app.route('/storage-paths', storagePathRoutes);
  app.route('/operations', operationRoutes);
  app.route('/users', userRoutes);
  app.route('/schedules', scheduleRoutes);
  app.route('/backups', backupRoutes);
  app.route('/ovf-exports', ovfImportRoutes);
  app.route('/ovf-exports', ovfExportRoutes);
  app.route('/backup-jobs', backupJobRoutes);
  app.route('/surebackup', surebackupRoutes);
  app.route('/snapshot-schedules', snapshotScheduleRoutes);
  app.route('/notifications', notificationRoutes);
  app.route('/replication', replicationRoutes);
  app.route('/failover', failoverRoutes);
  app.route('/backup', dbBackupFlowRoutes); // the database backup (seed 004), not /backups (VMs)
  app.route('/db-backups', dbBackupFileRoutes);
  return app;
}
