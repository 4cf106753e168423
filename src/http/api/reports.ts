/**
 * @module http/api/reports: the PDF reports. `GET /api/reports/verifications.pdf?from=&to=&lang=`: the
 * verifications of the days `from` to `to` (YYYY-MM-DD, UTC, both included; default the last 30 days);
 * `GET /api/reports/protection.pdf?lang=`: each VM's last good restore point. `lang` (`fr`, `en`) defaults to
 * the request's language. Pages link here too (they share the session).
 */
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { NOTIFICATION_LANGUAGES } from '../../db/schema.js';
import { invalidField } from '../../errors.js';
import { protectionReport } from '../../reports/protection-report.js';
import { verificationReport } from '../../reports/verification-report.js';
import type { AppEnv } from '../context.js';
import { emptyAsMissing, enumFilter, parseQuery } from './query.js';

const DAY = 86_400_000;

/** Whether `YYYY-MM-DD` names a day of the calendar (2026-02-30 does not). */
function realDay(v: string): boolean {
  const at = Date.parse(`${v}T00:00:00Z`);
  return !Number.isNaN(at) && new Date(at).toISOString().slice(0, 10) === v;
}
const day = (description: string) =>
  emptyAsMissing(
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'notify.error.period' })
      .refine((v) => realDay(v), { error: 'notify.error.period' })
      .optional(),
  ).describe(description);

export const reportLanguageQuery = z.object({
  lang: enumFilter(NOTIFICATION_LANGUAGES, 'Language of the report (default: the request’s).'),
});
export const verificationReportQuery = reportLanguageQuery.extend({
  from: day('First day (YYYY-MM-DD, UTC); default 29 days before `to`.'),
  to: day('Last day, included (YYYY-MM-DD, UTC); default today.'),
});

const pdf = (c: Context<AppEnv>, bytes: Buffer, name: string) =>
  c.body(new Uint8Array(bytes), 200, {
    'content-type': 'application/pdf',
    'content-disposition': `attachment; filename="${name}"`,
  });

export const reportsApi = new Hono<AppEnv>()
  .get('/verifications.pdf', async (c) => {
    const q = parseQuery(c, verificationReportQuery);
    const today = new Date(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
    const to = new Date((q.to ? Date.parse(`${q.to}T00:00:00Z`) : today.getTime()) + DAY);
    const from = q.from ? new Date(`${q.from}T00:00:00Z`) : new Date(to.getTime() - 30 * DAY);
    if (from >= to || to.getTime() - from.getTime() > 3660 * DAY)
      throw invalidField('from', 'notify.error.period');
    const bytes = await verificationReport(c.get('deps').db, { from, to }, q.lang ?? c.get('locale'), 'UTC');
    const name = `verifications-${from.toISOString().slice(0, 10)}-${new Date(to.getTime() - DAY).toISOString().slice(0, 10)}.pdf`;
    return pdf(c, bytes, name);
  })
  .get('/protection.pdf', async (c) => {
    const q = parseQuery(c, reportLanguageQuery);
    const bytes = await protectionReport(c.get('deps').db, q.lang ?? c.get('locale'));
    return pdf(c, bytes, `protection-${new Date().toISOString().slice(0, 10)}.pdf`);
  });
