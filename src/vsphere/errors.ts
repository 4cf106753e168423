/**
 * @module vsphere/errors — typed vSphere errors (domain errors: a stable code and a message key, see
 * src/errors.ts), and the mapper from raw SOAP/HTTP/socket errors.
 */

import { AppError } from '../errors.js';
import { type Message, msg } from '../i18n/message.js';
import type { MessageKey } from '../i18n/messages.js';
import { normalize } from './normalize.js';

/** Every failure the vSphere layer reports. */
export type VSphereErrorCode =
  | 'InvalidLogin'
  | 'NotAuthenticated'
  | 'ManagedObjectNotFound'
  | 'InvalidPowerState'
  | 'RestrictedVersion'
  | 'Unreachable'
  | 'CertificateMismatch'
  | 'TaskFailed'
  | 'Timeout'
  | 'Fault';

/** Extra details carried by a {@link VSphereError}. */
export interface VSphereErrorDetails {
  /** vim25 fault type name, e.g. `InvalidPowerState`, `FileNotFound`. */
  faultType?: string;
  /** HTTP status for datastore HTTP failures. */
  status?: number;
  cause?: unknown;
}

/**
 * An error from the vSphere layer: HTTP 502 for the API (409 for a changed certificate), its code stable.
 * @param message what happened, for an administrator (`vsphere.*` keys).
 */
export class VSphereError extends AppError {
  override readonly code: VSphereErrorCode;
  readonly faultType: string | undefined;
  /** HTTP status of a failed datastore HTTP request. */
  readonly httpStatus: number | undefined;

  constructor(code: VSphereErrorCode, message: Message, details: VSphereErrorDetails = {}) {
    super(
      code === 'CertificateMismatch' ? 409 : 502,
      code,
      message,
      undefined,
      undefined,
      details.cause === undefined ? undefined : { cause: details.cause },
    );
    this.name = 'VSphereError';
    this.code = code;
    this.faultType = details.faultType;
    this.httpStatus = details.status;
  }
}

const FAULT_MESSAGES: Partial<Record<VSphereErrorCode, MessageKey>> = {
  InvalidLogin: 'vsphere.invalid_login',
  NotAuthenticated: 'vsphere.not_authenticated',
  ManagedObjectNotFound: 'vsphere.object_not_found',
  RestrictedVersion: 'vsphere.restricted_version',
};

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ECONNABORTED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EPIPE',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

/** Maps a vim25 fault type name to our error code. */
export function codeForFault(faultType: string): VSphereErrorCode {
  switch (faultType) {
    case 'InvalidLogin':
    case 'NotAuthenticated':
    case 'ManagedObjectNotFound':
    case 'InvalidPowerState':
    case 'RestrictedVersion':
      return faultType;
    default:
      return 'Fault';
  }
}

/**
 * Builds the error for a vim25 fault (from a SOAP Fault or a task's `info.error`).
 * @param faultType vim25 fault type name (e.g. `InvalidPowerState`).
 * @param serverMessage the server's `faultstring` / `localizedMessage`, may be empty.
 * @param fallback code to use for fault types without a dedicated code (`Fault` or `TaskFailed`).
 * @param fault the normalised fault object, when known (used for InvalidPowerState details).
 * @returns a VSphereError; see vSphere API reference "MethodFault" and "LocalizedMethodFault".
 */
export function faultError(
  faultType: string,
  serverMessage: string,
  fallback: VSphereErrorCode = 'Fault',
  cause?: unknown,
  fault: Record<string, unknown> = {},
): VSphereError {
  const mapped = codeForFault(faultType);
  const code = mapped === 'Fault' ? fallback : mapped;
  // govmomi's simulator sends Go type names ("*types.X") as messages: useless to an admin.
  const text = serverMessage.startsWith('*types.') ? '' : serverMessage;
  const known = FAULT_MESSAGES[code];
  let message = known
    ? msg(known)
    : text
      ? msg('vsphere.fault_text', { fault: faultType, text })
      : msg('vsphere.fault', { fault: faultType });
  if (code === 'InvalidPowerState') {
    const { existingState: existing, requestedState: requested } = fault;
    message =
      typeof existing === 'string' && typeof requested === 'string'
        ? existing === requested
          ? msg('vsphere.power_already', { state: existing })
          : msg('vsphere.power_needed', { state: existing, requested })
        : msg('vsphere.power_wrong', { text: text || faultType });
  }
  return new VSphereError(code, message, { faultType, cause });
}

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null;

/** Extracts `{faultType, faultstring}` from a node-soap error carrying a parsed SOAP Fault. */
function soapFault(err: Rec): { faultType: string; text: string; detail: Rec } | null {
  const root = err.root;
  const fault =
    isRec(root) && isRec(root.Envelope) && isRec(root.Envelope.Body) ? root.Envelope.Body.Fault : null;
  if (!isRec(fault)) return null;
  const text = typeof fault.faultstring === 'string' ? fault.faultstring : '';
  let faultType = 'SystemError';
  let detail: Rec = {};
  if (isRec(fault.detail)) {
    const [key, val] = Object.entries(fault.detail).find(([k]) => k !== 'attributes') ?? [];
    const attrs = isRec(val) && isRec(val.attributes) ? val.attributes : {};
    const xsiType = Object.entries(attrs).find(([k]) => k === 'type' || k.endsWith(':type'))?.[1];
    if (typeof xsiType === 'string') faultType = xsiType.replace(/^.*:/, '');
    else if (key) faultType = key.replace(/Fault$/, '');
    const normalized = normalize(val);
    if (isRec(normalized)) detail = normalized;
  }
  return { faultType, text, detail };
}

/** Finds a VSphereError or a socket error code anywhere in an error's `cause` chain. */
function walkCauses(err: unknown): { vsphere?: VSphereError; netCode?: string } {
  for (let e: unknown = err, depth = 0; isRec(e) && depth < 8; e = e.cause, depth++) {
    if (e instanceof VSphereError) return { vsphere: e };
    if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return { netCode: e.code };
    if (Array.isArray(e.errors)) {
      for (const inner of e.errors) {
        const found = walkCauses(inner);
        if (found.vsphere || found.netCode) return found;
      }
    }
  }
  return {};
}

/**
 * Maps any error thrown while talking to a host (node-soap fault, axios/socket error, TLS pin failure)
 * to a {@link VSphereError}. Idempotent: a VSphereError is returned unchanged.
 * @param err the raw error.
 * @param target optional `host:port` used in network messages.
 * @returns the typed error (never throws).
 */
export function toVSphereError(err: unknown, target?: string): VSphereError {
  if (err instanceof VSphereError) return err;
  const { vsphere, netCode } = walkCauses(err);
  if (vsphere) return vsphere;
  const where = target ?? '';
  if (netCode) {
    const reason =
      netCode === 'ENOTFOUND' || netCode === 'EAI_AGAIN'
        ? msg('vsphere.reason.dns')
        : netCode === 'ECONNREFUSED'
          ? msg('vsphere.reason.refused')
          : netCode === 'ETIMEDOUT' ||
              netCode === 'ECONNABORTED' ||
              netCode === 'ERR_SOCKET_CONNECTION_TIMEOUT'
            ? msg('vsphere.reason.timeout')
            : msg('vsphere.reason.network', { code: netCode });
    return new VSphereError('Unreachable', msg('vsphere.unreachable', { target: where, reason }), {
      cause: err,
    });
  }
  if (isRec(err)) {
    const fault = soapFault(err);
    if (fault) return faultError(fault.faultType, fault.text, 'Fault', err, fault.detail);
    const response = err.response;
    if (isRec(response) && typeof response.status === 'number') {
      return new VSphereError(
        'Fault',
        msg('vsphere.not_vsphere', { target: where, status: response.status }),
        { status: response.status, cause: err },
      );
    }
  }
  const text = err instanceof Error ? err.message : String(err);
  return new VSphereError('Fault', msg('vsphere.unexpected', { target: where, detail: text }), {
    cause: err,
  });
}
