/**
 * @module repository-jobs: the jobs an admin runs on a storage path's repository (verify, garbage
 * collection), how they start, and the weekly verify schedule. The repository format itself is src/repository/.
 */
export { repositoryGcJob } from './gc-job.js';
export { scheduleDueVerifies, startRepositoryVerifyScheduler } from './scheduler.js';
export { isRepository, type RepositoryJobType, startRepositoryJob } from './start.js';
export { repositoryVerifyJob } from './verify-job.js';
