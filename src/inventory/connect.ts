/**
 * @module inventory/connect: opens a vSphere session to a registered host with its stored credentials and
 * pinned certificate thumbprint.
 */
import type { SecretBox } from '../crypto/secret-box.js';
import type { EsxiServerRow } from '../db/esxi-servers.js';
import { fetchThumbprint, VSphereClient } from '../vsphere/index.js';

/**
 * Connects to a registered host.
 * @param timeoutSeconds per-call SOAP timeout (seconds).
 * @throws VSphereError (InvalidLogin, Unreachable, CertificateMismatch, ...).
 */
export function connectToServer(
  server: EsxiServerRow,
  credentials: SecretBox,
  timeoutSeconds: number,
): Promise<VSphereClient> {
  return VSphereClient.connect({
    hostname: server.hostname,
    port: server.port,
    protocol: server.protocol,
    username: server.username,
    password: credentials.open(server.password_encrypted),
    thumbprint: server.protocol === 'https' ? server.thumbprint : null,
    timeoutMs: timeoutSeconds * 1000,
  });
}

/**
 * Checks candidate connection settings before they are saved: fetches the certificate thumbprint (HTTPS),
 * pins it, logs in and reads the host's identity.
 * @param pinned a thumbprint already trusted for this host; a different presented one is refused.
 * @returns the thumbprint to store (null over HTTP) and the host's product name, version and build.
 * @throws VSphereError as `connectToServer`.
 */
export async function probeServer(
  input: { hostname: string; port: number; protocol: 'https' | 'http'; username: string; password: string },
  timeoutSeconds: number,
  pinned?: string | null,
): Promise<{
  thumbprint: string | null;
  full_name: string;
  version: string;
  build: string;
  api_version: string;
}> {
  const thumbprint =
    input.protocol === 'https' ? (pinned ?? (await fetchThumbprint(input.hostname, input.port))) : null;
  const client = await VSphereClient.connect({ ...input, thumbprint, timeoutMs: timeoutSeconds * 1000 });
  try {
    const about = client.serviceContent.about;
    return {
      thumbprint,
      full_name: about.fullName,
      version: about.version,
      build: about.build,
      api_version: about.apiVersion,
    };
  } finally {
    await client.logout().catch(() => {});
  }
}
