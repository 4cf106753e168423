/**
 * @module http/api/esxi-servers-json: the API's JSON of an ESXi server, built here only: its public columns
 * (never the password), `last_error` rendered in the request's language, and `last_error_code`, the stable
 * code of that error (`InvalidLogin`, `Unreachable`, `CertificateMismatch`, ...).
 */
import type { EsxiServer } from '../../db/esxi-servers.js';
import { storedCode } from '../../i18n/message.js';
import type { Translate } from '../../i18n/translate.js';

/** A server as `/api/esxi-servers/` answers it. */
export function serverJson(t: Translate, server: EsxiServer) {
  return {
    ...server,
    last_error: server.last_error === null ? null : t.stored(server.last_error),
    last_error_code: storedCode(server.last_error) ?? null,
  };
}
