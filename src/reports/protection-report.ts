/**
 * @module reports/protection-report: the protection report: per present VM, its last good restore point
 * (completed, not found corrupt), its age, its repository, the active backup jobs that select it and whether its
 * RPO is met (src/backup-jobs/protection.ts defines both); VMs without a restore point first.
 */
import { type VmProtection, vmProtection } from '../backup-jobs/protection.js';
import type { Db } from '../db/client.js';
import { type ProtectionRow, protectionRows } from '../db/reports.js';
import { type Locale, type Translate, translator } from '../i18n/translate.js';
import { serverTimezone } from '../schedule/index.js';
import { formatAge, formatWhen } from './format.js';
import { buildPdf, type Pdf } from './pdf.js';

/** A column of the table: its header and its text for one VM. */
export interface ProtectionColumn {
  header: string;
  width: number;
  cell(row: ProtectionRow): string;
}

/** The RPO cell: met, missed, or nothing expected (no scheduled job selects the VM, or none has run yet). */
function rpoCell(t: Translate, p: VmProtection | undefined): string {
  if (!p) return t('reports.protection.no_job');
  if (p.rpo_met === null) return '—';
  return t(p.rpo_met ? 'reports.protection.rpo_met' : 'reports.protection.rpo_missed');
}

/** The table's columns. @param protection each VM's jobs and RPO, by VM id (absent: no active job selects it). */
export function protectionColumns(
  t: Translate,
  locale: Locale,
  timeZone: string,
  now: Date,
  protection: Map<number, VmProtection>,
): ProtectionColumn[] {
  return [
    { header: t('reports.protection.head.vm'), width: 120, cell: (r) => `${r.vm} (${r.host})` },
    {
      header: t('reports.protection.head.jobs'),
      width: 95,
      cell: (r) => protection.get(r.vm_id)?.jobs.join(', ') || t('reports.protection.no_job'),
    },
    { header: t('reports.protection.head.rpo'), width: 50, cell: (r) => rpoCell(t, protection.get(r.vm_id)) },
    {
      header: t('reports.protection.head.point'),
      width: 95,
      cell: (r) => (r.at ? formatWhen(r.at, locale, timeZone) : t('reports.protection.never')),
    },
    {
      header: t('reports.protection.head.age'),
      width: 60,
      cell: (r) => (r.at ? formatAge(now.getTime() - r.at.getTime(), locale) : '—'),
    },
    { header: t('reports.protection.head.repository'), width: 75, cell: (r) => r.repository ?? '—' },
  ];
}

function table(doc: Pdf, columns: ProtectionColumn[], rows: ProtectionRow[]): void {
  const line = (cells: string[], bold: boolean) => {
    if (doc.y > doc.page.height - 90) doc.addPage();
    const y = doc.y;
    let x = doc.page.margins.left;
    let bottom = y;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
    cells.forEach((cell, i) => {
      const width = columns[i]?.width ?? 100;
      doc.text(cell, x, y, { width: width - 6 });
      bottom = Math.max(bottom, doc.y);
      x += width;
    });
    doc.x = doc.page.margins.left;
    doc.y = bottom + 4;
  };
  line(
    columns.map((c) => c.header),
    true,
  );
  for (const r of rows)
    line(
      columns.map((c) => c.cell(r)),
      false,
    );
  doc.font('Helvetica').fontSize(10);
}

/**
 * The report's PDF. @param now the time ages are measured from; @param timeZone of the dates shown.
 * @returns the PDF bytes.
 */
export async function protectionReport(
  db: Db,
  locale: Locale,
  now = new Date(),
  timeZone = serverTimezone(),
): Promise<Buffer> {
  const t = translator(locale);
  const [rows, protection] = await Promise.all([protectionRows(db), vmProtection(db, now)]);
  const withPoint = rows.filter((r) => r.at).length;
  const subtitle = t('reports.protection.generated', { at: formatWhen(now, locale, timeZone) });
  return buildPdf(t, t('reports.protection.title'), subtitle, (doc) => {
    if (!rows.length) {
      doc.text(t('reports.protection.none'));
      return;
    }
    doc.text(
      t('reports.protection.summary', {
        vms: rows.length,
        protected: withPoint,
        unprotected: rows.length - withPoint,
      }),
    );
    doc.moveDown();
    table(doc, protectionColumns(t, locale, timeZone, now, protection), rows);
  });
}
