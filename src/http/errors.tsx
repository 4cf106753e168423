/** @module http/errors: the one error handler: JSON under /api, a page elsewhere; never a stack trace. */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ErrorPage } from '../../views/error-page.js';
import type { AppEnv } from './context.js';
import { hxTriggerValue } from './hx-trigger.js';
import { render } from './render.js';
import { ValidationError } from './validation.js';

/** `app.onError` handler. Unknown errors are logged with their stack and answered as a plain 500. */
export function handleError(err: Error, c: Context<AppEnv>) {
  let status = 500;
  let message: string;
  let errors: Record<string, string[]> | undefined;
  if (err instanceof ValidationError) {
    status = 400;
    message = err.message;
    errors = err.errors;
  } else if (err instanceof HTTPException) {
    if (err.res) return err.getResponse();
    status = err.status;
    message = err.message || 'Error';
  } else {
    c.get('deps')?.logger.error({ err, path: c.req.path, method: c.req.method }, 'unhandled error');
    message = c.get('t')?.('error.internal') ?? 'Internal error.';
  }
  if (c.req.path.startsWith('/api/')) {
    return c.json({ status, message, ...(errors ? { errors } : {}) }, status as 400);
  }
  if (c.req.header('HX-Request') === 'true') {
    c.header('HX-Trigger', hxTriggerValue({ toast: { level: 'error', message } }));
    c.header('HX-Reswap', 'none');
    return c.body(null, status as 400);
  }
  return render(c, <ErrorPage status={status} message={message} />, status as 400);
}

/** `app.notFound` handler. */
export function handleNotFound(c: Context<AppEnv>) {
  if (c.req.path.startsWith('/api/')) return c.json({ status: 404, message: 'Not found.' }, 404);
  return render(c, <ErrorPage status={404} message={c.get('t')('error.not_found')} />, 404);
}
