/**
 * @module surebackup/requests: a verification request as the API and the page make it: the seed's rules
 * (exactly one of `vm_backup` and `ovf_export`; HTTP checks only for `full`; the backup or export complete, the
 * host active, the test datastore on it) turned into 400s with one message per field.
 */
import type { HttpCheck, TEST_TYPES } from '../db/schema.js';
import { createVerification, refusedField, type VerificationRow } from '../db/verifications.js';
import type { AppDeps } from '../deps.js';

/** What is asked: the backup or the OVF export, where to boot it, and what to check. */
export interface VerificationRequest {
  vm_backup?: number | null;
  ovf_export?: number | null;
  esxi_server: number;
  test_type: (typeof TEST_TYPES)[number];
  test_network: string;
  /** '' picks the host's datastore with the most free space. */
  test_datastore: string;
  services: string[];
  http_checks: HttpCheck[];
}

/**
 * Queues a verification and wakes the runner.
 * @returns the new row.
 * @throws InvalidInputError (400): both or neither source (`_`), HTTP checks for another type than `full`
 *   (`http_checks`), an unknown or incomplete backup or export, an unknown or inactive host, a
 *   datastore that is not on the host (`test_datastore`, naming it).
 */
export async function requestVerification(
  deps: AppDeps,
  body: VerificationRequest,
  userId: number | null,
): Promise<VerificationRow> {
  const hasBackup = body.vm_backup != null;
  const hasOvf = body.ovf_export != null;
  if (hasBackup === hasOvf)
    throw refusedField('_', hasBackup ? 'surebackup.field.both_sources' : 'surebackup.field.no_source');
  if (body.http_checks.length && body.test_type !== 'full')
    throw refusedField('http_checks', 'surebackup.field.http_checks_full');
  const row = await createVerification(deps.db, {
    vm_backup_id: body.vm_backup,
    ovf_export_id: body.ovf_export,
    esxi_server_id: body.esxi_server,
    test_type: body.test_type,
    test_network: body.test_network,
    test_datastore: body.test_datastore,
    requested_services: body.services,
    http_checks: body.http_checks,
    created_by: userId,
  });
  deps.jobs?.wake();
  return row;
}
