/**
 * @module http/errors: the one place where errors become answers: JSON under /api, a toast for htmx, a page
 * elsewhere; never a stack trace. Domain errors (src/errors.ts) carry their status, code and message key;
 * the message is rendered in the request's language (`Accept-Language`, French by default):
 * `{ "status": 400, "code": "invalid_input", "message": "Saisie invalide.", "errors": { "port": ["…"] } }`.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ErrorPage } from '../../views/error-page.js';
import { AppError, NotFoundError } from '../errors.js';
import { msg } from '../i18n/message.js';
import { translator } from '../i18n/translate.js';
import type { AppEnv } from './context.js';
import { hxTriggerValue } from './hx-trigger.js';
import { render } from './render.js';
import { renderFields } from './validation.js';

const isApiPath = (path: string) => path === '/api' || path.startsWith('/api/');

interface ErrorAnswer {
  status: number;
  code: string;
  message: string;
  errors?: Record<string, string[]>;
  [extra: string]: unknown;
}

function answerOf(err: Error, c: Context<AppEnv>): ErrorAnswer {
  const t = c.get('t') ?? translator('fr');
  if (err instanceof AppError) {
    return {
      ...err.extra,
      status: err.status,
      code: err.code,
      message: t.message(err.detail),
      ...(err.fields ? { errors: renderFields(t, err.fields) } : {}),
    };
  }
  if (err instanceof HTTPException) {
    // Hono's own (e.g. a body over the size limit, a malformed cookie)
    return { status: err.status, code: `http_${err.status}`, message: err.message || String(err.status) };
  }
  c.get('deps')?.logger.error({ err, path: c.req.path, method: c.req.method }, 'unhandled error');
  return { status: 500, code: 'internal', message: t('error.internal') };
}

/** `app.onError` handler. Errors that are not domain errors are logged with their stack and answered 500. */
export function handleError(err: Error, c: Context<AppEnv>) {
  if (err instanceof HTTPException && err.res) return err.getResponse();
  const answer = answerOf(err, c);
  const status = answer.status as 400;
  if (isApiPath(c.req.path)) return c.json(answer, status);
  if (c.req.header('HX-Request') === 'true') {
    c.header('HX-Trigger', hxTriggerValue({ toast: { level: 'error', message: answer.message } }));
    c.header('HX-Reswap', 'none');
    return c.body(null, status);
  }
  return render(c, <ErrorPage status={answer.status} message={answer.message} />, status);
}

/** `app.notFound` handler. */
export function handleNotFound(c: Context<AppEnv>) {
  return handleError(
    new NotFoundError(msg(c.req.path.startsWith('/api/') ? 'error.no_route' : 'error.not_found')),
    c,
  );
}
