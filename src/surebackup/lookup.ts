/**
 * @module surebackup/lookup: a verification or a schedule named by a request, or a NotFoundError (404) for the
 * routes (API and page) to let through to `onError`.
 */
import type { Db } from '../db/client.js';
import { getSchedule, type ScheduleListItem } from '../db/verification-schedules.js';
import { getVerification, type VerificationListItem } from '../db/verifications.js';
import { NotFoundError } from '../errors.js';
import { msg } from '../i18n/message.js';

/** Verification `id`. @throws NotFoundError when there is none. */
export async function verificationById(db: Db, id: number): Promise<VerificationListItem> {
  const v = await getVerification(db, id);
  if (!v) throw new NotFoundError(msg('surebackup.error.not_found', { id }));
  return v;
}

/** Schedule `id`. @throws NotFoundError when there is none. */
export async function scheduleById(db: Db, id: number): Promise<ScheduleListItem> {
  const s = await getSchedule(db, id);
  if (!s) throw new NotFoundError(msg('surebackup.error.schedule_not_found', { id }));
  return s;
}
