/** @module vsphere/tls — trust-on-first-use for self-signed ESXi certificates: fingerprint fetch and pinned agents. */

import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { msg } from '../i18n/message.js';
import { toVSphereError, VSphereError } from './errors.js';

/** Normalises a fingerprint to uppercase colon-separated hex (`ab cd` / `abcd` / `AB:CD` -> `AB:CD`). */
export function normalizeThumbprint(thumbprint: string): string {
  const hex = thumbprint.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
  return (hex.match(/.{2}/g) ?? []).join(':');
}

function connectOptions(hostname: string, port: number): tls.ConnectionOptions {
  // SNI must not be an IP address.
  return {
    host: hostname,
    port,
    rejectUnauthorized: false,
    ...(net.isIP(hostname) ? {} : { servername: hostname }),
  };
}

/**
 * Connects to `hostname:port` over TLS without trusting anything and returns the server certificate's
 * SHA-256 fingerprint, e.g. `AB:CD:...` (uppercase hex, colon-separated), to show to the admin and store.
 * @param timeoutMs connect + handshake timeout in milliseconds (default 10 000).
 * @throws VSphereError `Unreachable` (refused, DNS, timeout) or `Fault` (TLS handshake failure).
 * Reference: vSphere Security guide, "ESXi certificate thumbprints" (SHA-256 since vSphere 6.7).
 */
export function fetchThumbprint(hostname: string, port: number, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect(connectOptions(hostname, port));
    socket.setTimeout(timeoutMs, () =>
      socket.destroy(Object.assign(new Error('TLS handshake timed out'), { code: 'ETIMEDOUT' })),
    );
    socket.once('secureConnect', () => {
      const fingerprint = socket.getPeerCertificate().fingerprint256;
      socket.end();
      if (fingerprint) resolve(normalizeThumbprint(fingerprint));
      else
        reject(new VSphereError('Fault', msg('vsphere.no_certificate', { target: `${hostname}:${port}` })));
    });
    socket.once('error', (err) => reject(toVSphereError(err, `${hostname}:${port}`)));
  });
}

/** Error for a presented certificate that does not match the stored one. */
export function certificateMismatch(hostname: string, port: number, expected: string, presented: string) {
  return new VSphereError(
    'CertificateMismatch',
    msg('vsphere.certificate_mismatch', { target: `${hostname}:${port}`, expected, presented }),
  );
}

/**
 * An https.Agent that accepts the (self-signed) certificate only if its SHA-256 fingerprint equals the pinned one.
 * The check runs after the handshake and before the socket is handed to the request, so no byte (password,
 * cookie) is sent to an unexpected server. With no pinned thumbprint any certificate is accepted and recorded
 * in `lastThumbprint` (trust on first use).
 */
export class PinnedAgent extends https.Agent {
  readonly pinned: string | null;
  lastThumbprint: string | null = null;

  constructor(thumbprint: string | null | undefined, options: https.AgentOptions = {}) {
    super({ keepAlive: true, ...options, rejectUnauthorized: false });
    this.pinned = thumbprint ? normalizeThumbprint(thumbprint) : null;
  }

  override createConnection(
    options: http.ClientRequestArgs,
    callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    const hostname = String(options.host ?? options.hostname ?? 'localhost');
    const port = Number(options.port ?? 443);
    const socket = tls.connect({ ...(options as tls.ConnectionOptions), ...connectOptions(hostname, port) });
    const done = callback ?? (() => {});
    const onError = (err: Error) => done(err, socket);
    socket.once('error', onError);
    socket.once('secureConnect', () => {
      socket.off('error', onError);
      const presented = normalizeThumbprint(socket.getPeerCertificate().fingerprint256 ?? '');
      this.lastThumbprint = presented;
      if (this.pinned && presented !== this.pinned) {
        const err = certificateMismatch(hostname, port, this.pinned, presented);
        socket.destroy();
        done(err, socket);
        return;
      }
      done(null, socket);
    });
    return undefined;
  }
}

/** Creates the agent for one client: pinned HTTPS, or a keep-alive HTTP agent for `protocol: 'http'` labs. */
export function createAgent(protocol: 'https' | 'http', thumbprint: string | null | undefined): http.Agent {
  return protocol === 'https' ? new PinnedAgent(thumbprint) : new http.Agent({ keepAlive: true });
}
