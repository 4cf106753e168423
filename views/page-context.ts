/** @module views/page-context: what every view may read about the request (translation, user, CSRF token). */
import { createContext, useContext } from 'hono/jsx';
import type { User } from '../src/db/users.js';
import type { Locale, Translate } from '../src/i18n/translate.js';

export interface PageContext {
  t: Translate;
  locale: Locale;
  user: User | null;
  csrfToken: string | null;
  /** Request path, to mark the current sidebar entry. */
  path: string;
  /** One-shot message carried across a redirect. */
  flash: { level: 'success' | 'error'; message: string } | null;
}

export const PageContextJsx = createContext<PageContext | null>(null);

/** The current request's page context. @throws Error when a view renders outside `render()`. */
export function usePage(): PageContext {
  const ctx = useContext(PageContextJsx);
  if (!ctx) throw new Error('view rendered without a PageContext');
  return ctx;
}
