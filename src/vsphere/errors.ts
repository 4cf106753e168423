/** @module vsphere/errors — typed vSphere errors with admin-readable messages, and the mapper from raw SOAP/HTTP/socket errors. */

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

/** An error from the vSphere layer; `message` is plain English suitable to show an administrator. */
export class VSphereError extends Error {
  readonly code: VSphereErrorCode;
  readonly faultType: string | undefined;
  readonly status: number | undefined;

  constructor(code: VSphereErrorCode, message: string, details: VSphereErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'VSphereError';
    this.code = code;
    this.faultType = details.faultType;
    this.status = details.status;
  }
}

const FAULT_MESSAGES: Partial<Record<VSphereErrorCode, string>> = {
  InvalidLogin: 'The ESXi host rejected the user name or password.',
  NotAuthenticated: 'The session with the ESXi host is no longer valid (expired or logged out).',
  ManagedObjectNotFound: 'The object no longer exists on the ESXi host (it was deleted or unregistered).',
  RestrictedVersion:
    'The ESXi host runs with a free licence (vSphere Hypervisor), which forbids changes through the API ' +
    '(snapshots, power operations, registering VMs). Install a paid licence (e.g. vSphere Essentials) to back it up.',
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
  let message = FAULT_MESSAGES[code] ?? `The ESXi host reported ${faultType}${text ? `: ${text}` : ''}.`;
  if (code === 'InvalidPowerState') {
    const { existingState: existing, requestedState: requested } = fault;
    message =
      typeof existing === 'string' && typeof requested === 'string'
        ? existing === requested
          ? `The VM is already ${existing}.`
          : `The VM is ${existing}; this operation needs it ${requested}.`
        : `The VM is not in the power state this operation needs${text ? ` (${text})` : ''}.`;
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
  const where = target ? ` ${target}` : '';
  if (netCode) {
    const reason =
      netCode === 'ENOTFOUND' || netCode === 'EAI_AGAIN'
        ? 'the host name does not resolve (DNS)'
        : netCode === 'ECONNREFUSED'
          ? 'the connection was refused'
          : netCode === 'ETIMEDOUT' ||
              netCode === 'ECONNABORTED' ||
              netCode === 'ERR_SOCKET_CONNECTION_TIMEOUT'
            ? 'the connection timed out'
            : `the network failed (${netCode})`;
    return new VSphereError('Unreachable', `Cannot reach the ESXi host${where}: ${reason}.`, { cause: err });
  }
  if (isRec(err)) {
    const fault = soapFault(err);
    if (fault) return faultError(fault.faultType, fault.text, 'Fault', err, fault.detail);
    const response = err.response;
    if (isRec(response) && typeof response.status === 'number') {
      return new VSphereError(
        'Fault',
        `The ESXi host${where} answered HTTP ${response.status}; is this a vSphere endpoint?`,
        { status: response.status, cause: err },
      );
    }
  }
  const text = err instanceof Error ? err.message : String(err);
  return new VSphereError('Fault', `Unexpected error talking to the ESXi host${where}: ${text}`, {
    cause: err,
  });
}
