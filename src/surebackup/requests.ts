/**
 * @module surebackup/requests: a verification or schedule request as the API and the page make it: the seed's
 * rules (exactly one of `vm_backup` and `ovf_export`; OVF exports do not exist yet; HTTP checks only for `full`;
 * the test datastore on the test host) turned into 400s with one message per field.
 */
import type { z } from 'zod';
import { createVerification, VerificationRequestError, type VerificationRow } from '../db/verifications.js';
import type { AppDeps } from '../deps.js';
import { ValidationError } from '../http/validation.js';
import type { createVerificationSchema } from './api-shapes.js';

/** Runs `action`, turning a VerificationRequestError into a ValidationError (400) on its field. */
export async function asValidation<T>(action: Promise<T>): Promise<T> {
  try {
    return await action;
  } catch (err) {
    if (err instanceof VerificationRequestError)
      throw new ValidationError({ [err.field]: [err.message] }, err.message);
    throw err;
  }
}

/**
 * Queues a verification and wakes the runner.
 * @returns the new row.
 * @throws ValidationError (400): both or neither source (`_`), an OVF export (`ovf_export`), HTTP checks for
 *   another type than `full` (`http_checks`), an unknown or incomplete backup, an unknown host, a datastore that
 *   is not on the host (`test_datastore`, naming it).
 */
export async function requestVerification(
  deps: AppDeps,
  body: z.output<typeof createVerificationSchema>,
  userId: number | null,
): Promise<VerificationRow> {
  const hasBackup = body.vm_backup != null;
  const hasOvf = body.ovf_export != null;
  if (hasBackup === hasOvf) {
    const message = hasBackup
      ? 'Give either vm_backup or ovf_export, not both.'
      : 'Give the backup to verify: vm_backup (or ovf_export).';
    throw new ValidationError({ _: [message] }, message);
  }
  if (hasOvf) {
    const message = 'OVF exports are not available yet: verify a VM backup (vm_backup) instead.';
    throw new ValidationError({ ovf_export: [message] }, message);
  }
  if (body.http_checks.length && body.test_type !== 'full') {
    const message = 'HTTP checks are run by the full test type only.';
    throw new ValidationError({ http_checks: [message] }, message);
  }
  const row = await asValidation(
    createVerification(deps.db, {
      vm_backup_id: body.vm_backup as number,
      esxi_server_id: body.esxi_server,
      test_type: body.test_type,
      test_network: body.test_network,
      test_datastore: body.test_datastore,
      requested_services: body.services,
      http_checks: body.http_checks,
      created_by: userId,
    }),
  );
  deps.jobs?.wake();
  return row;
}
