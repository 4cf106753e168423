/**
 * @module test/support/english: finds English on a page that should be French: every fragment (12 characters
 * or more between placeholders) of the English catalog that no French message contains, and any stored
 * message left unrendered (`{"key":`).
 */
import { en, fr } from '../../src/i18n/messages.js';

const french = Object.values(fr);
const fragments = [
  ...new Set(
    Object.values(en).flatMap((text) =>
      text
        .split(/\{\w+\}/)
        .map((part) => part.trim())
        .filter((part) => part.length >= 12 && !french.some((f) => f.includes(part))),
    ),
  ),
];

/** The English catalog fragments and raw stored messages found in `text` (empty for a French page). */
export function englishIn(text: string): string[] {
  const found = fragments.filter((fragment) => text.includes(fragment));
  if (text.includes('{"key":')) found.push('{"key":');
  return found;
}
