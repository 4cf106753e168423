/** @module i18n/translate: picks the locale of a request and renders catalog messages in it. */
import { isMessage, type Message, type MessageParams, readStored } from './message.js';
import { en, fr, type MessageKey } from './messages.js';

export const LOCALES = ['fr', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
/** Renders a catalog key with its `{name}` parameters (a parameter may itself be a message). */
export interface Translate {
  (key: MessageKey, params?: MessageParams): string;
  /** A message in this language. */
  message(message: Message): string;
  /** A stored column (src/i18n/message.ts): its message in this language, an older row's text as stored. */
  stored(text: string | null | undefined): string;
}

const catalogs: Record<Locale, Record<MessageKey, string>> = { fr, en };

/**
 * The request's locale: the `lang` cookie when set, else the first of `fr`/`en` in Accept-Language
 * (by q-value), else French.
 */
export function pickLocale(cookie: string | undefined, acceptLanguage: string | undefined): Locale {
  if (cookie === 'fr' || cookie === 'en') return cookie;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.find((p) => p.trim().startsWith('q='));
      return { lang: tag.split('-')[0], q: q ? Number(q.trim().slice(2)) : 1 };
    })
    .filter((x) => x.lang === 'fr' || x.lang === 'en')
    .sort((a, b) => b.q - a.q);
  return (ranked[0]?.lang as Locale | undefined) ?? 'fr';
}

/** A translate function for one locale: `t('servers.synced', { vms: 3, datastores: 1 })`. */
export function translator(locale: Locale): Translate {
  const catalog = catalogs[locale];
  const t = ((key, params) => {
    const text = catalog[key] ?? key;
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (m, name: string) => {
      const value = params[name];
      if (value === undefined) return m;
      return isMessage(value) ? t(value.key, value.params) : String(value);
    });
  }) as Translate;
  t.message = (message) => t(message.key, message.params);
  t.stored = (text) => {
    const stored = readStored(text);
    if (!stored) return '';
    return 'key' in stored ? t(stored.key, stored.params) : stored.text;
  };
  return t;
}
