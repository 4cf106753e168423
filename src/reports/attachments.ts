/**
 * @module reports/attachments: the PDF files a daily summary carries when its channel asks for them: the
 * protection report and the verification report of the last 24 hours.
 */
import type { Db } from '../db/client.js';
import type { Locale } from '../i18n/translate.js';
import type { Attachment } from '../notifications/email.js';
import { protectionReport } from './protection-report.js';
import { verificationReport } from './verification-report.js';

/** @param at the summary's time (the end of the verification period). */
export async function reportAttachments(
  db: Db,
  reports: Array<'protection' | 'verifications'>,
  locale: Locale,
  at: Date,
): Promise<Attachment[]> {
  const out: Attachment[] = [];
  const day = at.toISOString().slice(0, 10);
  if (reports.includes('protection'))
    out.push({ filename: `protection-${day}.pdf`, content: await protectionReport(db, locale, at) });
  if (reports.includes('verifications')) {
    const period = { from: new Date(at.getTime() - 86_400_000), to: at };
    out.push({ filename: `verifications-${day}.pdf`, content: await verificationReport(db, period, locale) });
  }
  return out;
}
