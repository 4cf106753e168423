/**
 * @module i18n/messages: the UI's message catalog, French first (the seeds' language), English beside it,
 * assembled from one catalog file per feature under `catalog/`. Every UI string goes through here;
 * `{name}` placeholders are filled by `translate`.
 */
import * as backupJobs from './catalog/backup-jobs.js';
import * as backups from './catalog/backups.js';
import * as cbt from './catalog/cbt.js';
import * as core from './catalog/core.js';
import * as dbBackup from './catalog/db-backup.js';
import * as errors from './catalog/errors.js';
import * as inventory from './catalog/inventory.js';
import * as labNetwork from './catalog/lab-network.js';
import * as notify from './catalog/notify.js';
import * as notifyPage from './catalog/notify-page.js';
import * as operations from './catalog/operations.js';
import * as ovf from './catalog/ovf.js';
import * as ovfHost from './catalog/ovf-host.js';
import * as ovfImport from './catalog/ovf-import.js';
import * as replication from './catalog/replication.js';
import * as reports from './catalog/reports.js';
import * as repository from './catalog/repository.js';
import * as retention from './catalog/retention.js';
import * as schedule from './catalog/schedule.js';
import * as snapshots from './catalog/snapshots.js';
import * as steps from './catalog/steps.js';
import * as storage from './catalog/storage.js';
import * as surebackup from './catalog/surebackup.js';

export const fr = {
  ...core.fr,
  ...errors.fr,
  ...inventory.fr,
  ...backups.fr,
  ...cbt.fr,
  ...operations.fr,
  ...dbBackup.fr,
  ...replication.fr,
  ...repository.fr,
  ...retention.fr,
  ...schedule.fr,
  ...snapshots.fr,
  ...storage.fr,
  ...surebackup.fr,
  ...labNetwork.fr,
  ...notify.fr,
  ...notifyPage.fr,
  ...reports.fr,
  ...steps.fr,
  ...backupJobs.fr,
  ...ovf.fr,
  ...ovfImport.fr,
  ...ovfHost.fr,
} as const;

export type MessageKey = keyof typeof fr;

export const en: Record<MessageKey, string> = {
  ...core.en,
  ...errors.en,
  ...inventory.en,
  ...backups.en,
  ...cbt.en,
  ...operations.en,
  ...dbBackup.en,
  ...replication.en,
  ...repository.en,
  ...retention.en,
  ...schedule.en,
  ...snapshots.en,
  ...storage.en,
  ...surebackup.en,
  ...labNetwork.en,
  ...notify.en,
  ...notifyPage.en,
  ...reports.en,
  ...steps.en,
  ...backupJobs.en,
  ...ovf.en,
  ...ovfImport.en,
  ...ovfHost.en,
};

/** Whether a text is a catalog key (a zod schema's message may be one). */
export const isMessageKey = (text: string): text is MessageKey => Object.hasOwn(fr, text);
