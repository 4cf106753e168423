/**
 * @module surebackup/job: the `verification` job type for the durable runner (src/jobs): its handler
 * (src/surebackup/run.ts), its cleanup after a dead worker (src/surebackup/cleanup.ts), cancellable.
 */
import type { JobTypeDefinition } from '../jobs/types.js';
import { cleanupInterruptedVerification } from './cleanup.js';
import { runVerification } from './run.js';

/** The `verification` job type. */
export const verificationJob: JobTypeDefinition = {
  handler: runVerification,
  cancellable: true,
  cleanupInterrupted: cleanupInterruptedVerification,
};
