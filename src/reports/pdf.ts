/**
 * @module reports/pdf: a PDF document with pdfkit (A4, the standard Helvetica fonts, which cover French),
 * collected into a Buffer, with the report's title, a subtitle and page numbers in the footer.
 * @see https://pdfkit.org/docs/getting_started.html
 */
import PDFDocument from 'pdfkit';
import type { Translate } from '../i18n/translate.js';

export type Pdf = InstanceType<typeof PDFDocument>;

/**
 * Builds a PDF.
 * @param title the first heading and the document's metadata title; @param subtitle the line under it.
 * @param body writes the content.
 * @returns the PDF file's bytes.
 */
export async function buildPdf(
  t: Translate,
  title: string,
  subtitle: string,
  body: (doc: Pdf) => void,
): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    bufferPages: true,
    info: { Title: title, Creator: 'ESXi Backup Manager' },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.font('Helvetica-Bold').fontSize(18).text(title);
  doc.font('Helvetica').fontSize(10).fillColor('#555').text(subtitle).fillColor('black').moveDown();
  body(doc);
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font('Helvetica')
      .fontSize(8)
      .fillColor('#777')
      .text(`ESXi Backup Manager — ${t('reports.page', { page: i + 1 })}`, 50, doc.page.height - 35, {
        align: 'center',
      });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}

/** A heading of a section. */
export function heading(doc: Pdf, text: string): void {
  doc
    .moveDown(0.5)
    .font('Helvetica-Bold')
    .fontSize(12)
    .fillColor('black')
    .text(text)
    .font('Helvetica')
    .fontSize(10);
}
