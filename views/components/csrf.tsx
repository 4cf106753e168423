/** @module views/components/csrf: the session's CSRF token in forms and in every htmx request. */
import { usePage } from '../page-context.js';

/** Attributes for <body>: `{ 'hx-headers': '{"X-CSRF-Token":"…"}' }`, or nothing before sign-in. */
export function CsrfHeaders(): Record<string, string> {
  const { csrfToken } = usePage();
  return csrfToken ? { 'hx-headers': JSON.stringify({ 'X-CSRF-Token': csrfToken }) } : {};
}

/** Hidden form field carrying the session's CSRF token. */
export function CsrfField() {
  const { csrfToken } = usePage();
  return csrfToken ? <input type="hidden" name="_csrf" value={csrfToken} /> : null;
}
