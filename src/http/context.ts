/** @module http/context: what route handlers receive: the app's dependencies (src/deps.ts) and the request's user. */

import type { User } from '../db/users.js';
import type { AppDeps } from '../deps.js';
import type { Locale, Translate } from '../i18n/translate.js';

export type AppEnv = {
  Variables: {
    deps: AppDeps;
    user: User | null;
    csrfToken: string | null;
    /** Raw session id from the signed cookie, for sign-out. */
    sessionId: string | null;
    locale: Locale;
    t: Translate;
    flash: { level: 'success' | 'error'; message: string } | null;
  };
};
