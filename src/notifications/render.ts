/**
 * @module notifications/render: an event's content in a channel's language: subject, lines (failures first,
 * as the emitter ordered them), the absolute link under PUBLIC_URL, and the plain text of a mail or message.
 */
import type { NotificationContent } from '../db/schema.js';
import { type Locale, translator } from '../i18n/translate.js';

/** An event as one channel shows it. */
export interface RenderedNotification {
  subject: string;
  lines: string[];
  link: string | null;
  /** `subject`, the lines and the link, one per line. */
  text: string;
  /** The words of the link (`Ouvrir dans ESXi Backup Manager`). */
  linkLabel: string;
}

/**
 * Renders an event. @param publicUrl the app's base URL (no trailing slash), from `PUBLIC_URL`.
 */
export function renderContent(
  content: NotificationContent,
  locale: Locale,
  publicUrl: string,
): RenderedNotification {
  const t = translator(locale);
  const subject = t.message(content.title);
  const lines = content.lines.map((line) => t.message(line));
  const link = content.link ? `${publicUrl}${content.link}` : null;
  const linkLabel = t('notify.open_link');
  const text = [...lines, ...(link ? ['', t('notify.open_link_line', { link })] : [])].join('\n');
  return { subject, lines, link, text, linkLabel };
}
