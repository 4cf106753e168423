/** @module http/render: renders a view with the request's PageContext (translations, user, CSRF token). */
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { PageContextJsx } from '../../views/page-context.js';
import type { AppEnv } from './context.js';

function withPageContext(c: Context<AppEnv>, node: Child) {
  const page = {
    t: c.get('t'),
    locale: c.get('locale'),
    user: c.get('user'),
    csrfToken: c.get('csrfToken'),
    path: c.req.path,
    flash: c.get('flash'),
  };
  return <PageContextJsx.Provider value={page}>{node}</PageContextJsx.Provider>;
}

/**
 * Answers HTML for a page or an htmx fragment.
 * @param status HTTP status (200 unless a form failed validation: 400).
 */
export function render(
  c: Context<AppEnv>,
  node: Child,
  status: 200 | 400 | 403 | 404 | 409 | 500 | 502 = 200,
) {
  return c.html(withPageContext(c, node), status);
}

/** The HTML of a fragment as a string, for a fragment that is reused across requests. */
export async function renderToString(c: Context<AppEnv>, node: Child): Promise<string> {
  return String(await withPageContext(c, node).toString());
}

/** True for a request made by htmx (it sends `HX-Request: true`). */
export function isHtmx(c: Context): boolean {
  return c.req.header('HX-Request') === 'true';
}
