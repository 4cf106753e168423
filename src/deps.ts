/** @module deps: the app's long-lived services (AppDeps) from its settings, database and logger. */
import type { Config } from './config.js';
import { createSecretBox } from './crypto/secret-box.js';
import type { Database } from './db/client.js';
import type { AppDeps } from './http/context.js';
import type { Logger } from './logger.js';

/** AppDeps without a job runner (the caller attaches one as `jobs` when it starts one). */
export function createDeps(config: Config, database: Pick<Database, 'db' | 'kind'>, logger: Logger): AppDeps {
  return {
    config,
    db: database.db,
    databaseKind: database.kind,
    logger,
    credentials: createSecretBox(config.appSecret, 'esxi-credentials'),
  };
}
