/** @module http/context: what route handlers receive: the app's dependencies and the request's user. */
import type { Config } from '../config.js';
import type { SecretBox } from '../crypto/secret-box.js';
import type { Db } from '../db/client.js';
import type { JobType } from '../db/schema.js';
import type { User } from '../db/users.js';
import type { Locale, Translate } from '../i18n/translate.js';
import type { Logger } from '../logger.js';

/** Long-lived services shared by every request. */
export interface AppDeps {
  config: Config;
  db: Db;
  databaseKind: 'postgres' | 'pglite';
  logger: Logger;
  /** Seals ESXi credentials (AES-256-GCM). */
  credentials: SecretBox;
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

export type AppEnv = {
  Variables: {
    deps: AppDeps;
    user: User | null;
    csrfToken: string | null;
    /** Raw session id from the signed cookie, for sign-out. */
    sessionId: string | null;
    locale: Locale;
    t: Translate;
    flash: { level: 'success' | 'error'; message: string } | null;
  };
};
