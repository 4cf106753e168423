/** @module deps: the app's long-lived services (AppDeps) from its settings, database and logger. */
import type { Config } from './config.js';
import { createSecretBox, type SecretBox } from './crypto/secret-box.js';
import type { Database, Db } from './db/client.js';
import type { JobType } from './db/schema.js';
import type { Logger } from './logger.js';

/** Long-lived services shared by every request. */
export interface AppDeps {
  config: Config;
  db: Db;
  databaseKind: 'postgres' | 'pglite';
  logger: Logger;
  /** Seals ESXi credentials (AES-256-GCM). */
  credentials: SecretBox;
  /** Seals repository master keys (`storage_paths.repository_key_sealed`). */
  repositoryKeys: SecretBox;
  /** Seals notification channel secrets (`notification_channels.secrets_sealed`). */
  notificationSecrets: SecretBox;
  /** The durable job runner of this process (src/jobs/runner.ts); absent where none runs (some tests). */
  jobs?: JobsControl;
}

/** What routes may ask of the job runner. */
export interface JobsControl {
  /** Claims PENDING jobs now instead of at the next poll: call after enqueueing (after the commit). */
  wake(): void;
  /** A cancel was requested for this job: aborts it now if this process runs it (else its heartbeat will). */
  cancelled(id: number): void;
  /** Whether jobs of this type may be cancelled by a user. */
  isCancellable(type: JobType): boolean;
}

/** AppDeps without a job runner (the caller attaches one as `jobs` when it starts one). */
export function createDeps(config: Config, database: Pick<Database, 'db' | 'kind'>, logger: Logger): AppDeps {
  return {
    config,
    db: database.db,
    databaseKind: database.kind,
    logger,
    credentials: createSecretBox(config.appSecret, 'esxi-credentials'),
    repositoryKeys: createSecretBox(config.appSecret, 'repository-keys'),
    notificationSecrets: createSecretBox(config.appSecret, 'notification-secrets'),
  };
}
