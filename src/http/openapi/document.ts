/**
 * @module http/openapi/document: the OpenAPI 3.1 document of the REST API, built once from the zod schemas
 * (the routes' request schemas and the response schemas of ./schemas) and served at `/api/schema/`.
 */
import { DocumentBuilder, type JsonSchema } from './builder.js';
import { apiSecurity, errorResponses, errorSchema, securitySchemes } from './common.js';
import { backupJobPaths } from './paths/backup-jobs.js';
import { backupPaths } from './paths/backups.js';
import { esxiServerPaths } from './paths/esxi-servers.js';
import { inventoryPaths } from './paths/inventory.js';
import { notificationPaths } from './paths/notifications.js';
import { openPaths } from './paths/open.js';
import { operationPaths } from './paths/operations.js';
import { ovfExportPaths } from './paths/ovf-exports.js';
import { ovfImportPaths } from './paths/ovf-imports.js';
import { replicationPaths } from './paths/replication.js';
import { snapshotPaths } from './paths/snapshots.js';
import { storagePathPaths } from './paths/storage-paths.js';
import { surebackupPaths } from './paths/surebackup.js';

const DESCRIPTION = `The REST API of ESXi Backup Manager: ESXi servers and their inventory, storage paths, backups and restores, operations (jobs), SureBackup verifications and schedules, replication and failover, notifications and PDF reports, metrics.

**Authentication.** Every endpoint but \`/api/auth/token/\`, \`/api/metrics\` and \`/api/schema/\` needs an API token (\`Authorization: Token <key>\`, from POST /api/auth/token/) or the session cookie of a signed-in user (then POST, PUT, PATCH and DELETE also need the \`X-CSRF-Token\` header). Viewers read; operators also run backups, restores, verifications and replications; admins also manage servers and storage paths.

**Errors.** Every error answer is \`{status, message, errors?}\`: \`errors\` maps a field (or \`_\`, the body as a whole) to its messages.

**Lists.** Every list answers a plain JSON array; with \`?page=\` or \`?page_size=\` it answers the page envelope \`{count, next, previous, results}\` instead.

**Paths** end with a slash, as in the seed; the same path without it works too.`;

const TAGS = [
  ['auth', 'API tokens'],
  ['esxi-servers', 'Registered ESXi hosts'],
  ['inventory', 'VMs and datastores of the hosts (refreshed by sync)'],
  ['storage-paths', 'Backup destinations'],
  ['backups', 'VM backups and restores'],
  ['backup-jobs', 'Backup jobs (selections of VMs on a schedule) and their runs'],
  ['ovf-exports', 'OVF/OVA packages of a powered-off VM from its host, or of a restore point'],
  ['operations', 'Durable jobs of every type, with progress and cancel'],
  ['surebackup', 'Backup verifications (SureBackup) and their schedules'],
  ['replication', 'VM replication, runs and failover events'],
  ['snapshots', 'VM snapshots (tree, create, revert, delete) and snapshot schedules'],
  ['notifications', 'Notification channels (e-mail, webhooks) and the outbox of deliveries'],
  ['reports', 'PDF reports (verifications, protection)'],
  ['metrics', 'Prometheus scrape endpoint'],
  ['schema', 'This document'],
] as const;

/** Registers every path of the API on `doc`. */
export function describeApi(doc: DocumentBuilder): void {
  openPaths(doc);
  esxiServerPaths(doc);
  inventoryPaths(doc);
  storagePathPaths(doc);
  backupPaths(doc);
  operationPaths(doc);
  surebackupPaths(doc);
  replicationPaths(doc);
  backupJobPaths(doc);
  snapshotPaths(doc);
  notificationPaths(doc);
  ovfExportPaths(doc);
  ovfImportPaths(doc);
}

let cached: JsonSchema | null = null;

/** The document (built on first use, then the same object). */
export function openApiDocument(): JsonSchema {
  if (cached) return cached;
  const doc = new DocumentBuilder();
  const errorRef = doc.response('Error', errorSchema, 'The one error format of the API.');
  describeApi(doc);
  cached = doc.build(
    {
      openapi: '3.1.0',
      info: { title: 'ESXi Backup Manager API', version: '1', description: DESCRIPTION },
      tags: TAGS.map(([name, description]) => ({ name, description })),
      security: apiSecurity,
    },
    { securitySchemes, responses: errorResponses(errorRef) },
  );
  return cached;
}
