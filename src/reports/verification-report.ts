/**
 * @module reports/verification-report: the SureBackup verification report over a period (seed 002 roadmap):
 * per VM, each verification with its type, result, boot time and the services checked; a failure adds its
 * error and its log.
 */
import type { Db } from '../db/client.js';
import { type VerificationReportRow, verificationReportRows } from '../db/reports.js';
import type { MessageKey } from '../i18n/messages.js';
import { type Locale, translator } from '../i18n/translate.js';
import { serverTimezone } from '../schedule/index.js';
import { renderLog } from '../surebackup/journal.js';
import { formatDay, formatWhen } from './format.js';
import { buildPdf, heading } from './pdf.js';

/** Log lines of a failure kept in the report (its last ones). */
const LOG_LINES = 40;

/**
 * The report's PDF. @param from start (inclusive); @param to end (exclusive); @param timeZone of the dates shown.
 * @returns the PDF bytes.
 */
export async function verificationReport(
  db: Db,
  period: { from: Date; to: Date },
  locale: Locale,
  timeZone = serverTimezone(),
): Promise<Buffer> {
  const t = translator(locale);
  const list = await verificationReportRows(db, period.from, period.to);
  const count = (s: string) => list.filter((r) => r.status === s).length;
  const lastDay = new Date(period.to.getTime() - 1);
  const subtitle = t('reports.verifications.period', {
    from: formatDay(period.from, timeZone),
    to: formatDay(lastDay, timeZone),
  });
  const byVm = new Map<string, VerificationReportRow[]>();
  for (const r of list) byVm.set(r.vm, [...(byVm.get(r.vm) ?? []), r]);
  return buildPdf(t, t('reports.verifications.title'), subtitle, (doc) => {
    const summary = {
      total: list.length,
      passed: count('passed'),
      warning: count('warning'),
      failed: count('failed'),
    };
    doc.text(list.length ? t('reports.verifications.summary', summary) : t('reports.verifications.none'));
    for (const [vm, rows] of byVm) {
      heading(doc, t('reports.verifications.vm', { vm, count: rows.length }));
      for (const r of rows) {
        const services = Object.entries(r.services_checked ?? {})
          .map(([name, ok]) => `${name} ${ok ? 'OK' : 'KO'}`)
          .join(', ');
        doc.text(
          t('reports.verifications.row', {
            id: r.id,
            at: formatWhen(r.at, locale, timeZone),
            type: t(`surebackup.type.${r.test_type}` as MessageKey),
            status: t(`surebackup.status.${r.status}` as MessageKey),
            boot:
              r.boot_time_seconds === null
                ? t('reports.verifications.no_boot')
                : t('reports.verifications.boot', { seconds: r.boot_time_seconds }),
            services: services || t('reports.verifications.no_services'),
          }),
        );
        if (r.status !== 'failed') continue;
        doc
          .fillColor('#a00')
          .text(t('reports.verifications.failure', { error: t.stored(r.error_message) || '?' }));
        const log = renderLog(t, r.detailed_log).split('\n').filter(Boolean).slice(-LOG_LINES);
        if (log.length) {
          doc.fillColor('#444').fontSize(8).text(t('reports.verifications.log'));
          doc.text(log.join('\n'), { indent: 10 });
          doc.fontSize(10);
        }
        doc.fillColor('black');
      }
    }
  });
}
