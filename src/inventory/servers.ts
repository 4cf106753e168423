/**
 * @module inventory/servers: registering and editing ESXi servers. Every change of connection settings is
 * checked against the host first (log-in, certificate pinned on first use), so a saved server is one that
 * answered. Wrong password, unreachable host and a name already taken become field messages (an
 * InvalidInputError on `password`, `hostname`, `name`); `last_error` keeps a host failure as a stored message.
 */
import { z } from 'zod';
import {
  type EsxiServerInsert,
  type EsxiServerRow,
  getServerRow,
  insertServer,
  isServerNameTaken,
  updateServer,
} from '../db/esxi-servers.js';
import { PROTOCOLS } from '../db/schema.js';
import type { AppDeps } from '../deps.js';
import { codeOf, type FieldMessages, InvalidInputError, invalidField, messageOf } from '../errors.js';
import { storeMessage } from '../i18n/message.js';
import { VSphereError } from '../vsphere/index.js';
import { probeServer } from './connect.js';

const HOSTNAME =
  /^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$|^\d{1,3}(\.\d{1,3}){3}$|^\[?[0-9a-fA-F:]+\]?$/;

const fields = {
  name: z.string().trim().min(1).max(100),
  hostname: z.string().trim().regex(HOSTNAME, { error: 'servers.field.hostname' }),
  port: z.coerce.number().int().min(1).max(65535),
  protocol: z.enum(PROTOCOLS),
  username: z.string().trim().min(1).max(200),
  password: z.string().min(1).max(500),
  is_active: z.preprocess(
    (v) => (v === 'on' || v === 'true' ? true : v === 'false' ? false : v),
    z.boolean(),
  ),
};

/** Body of a create: the seed's ESXiServer fields; `password` is write-only. */
export const serverCreateSchema = z.object({
  name: fields.name,
  hostname: fields.hostname,
  port: fields.port.default(443),
  protocol: fields.protocol.default('https'),
  username: fields.username,
  password: fields.password,
  is_active: fields.is_active.default(true),
});

/** Body of an update: any subset; an empty password keeps the stored one. */
export const serverUpdateSchema = z.object({
  name: fields.name.optional(),
  hostname: fields.hostname.optional(),
  port: fields.port.optional(),
  protocol: fields.protocol.optional(),
  username: fields.username.optional(),
  password: z.string().max(500).optional(),
  is_active: fields.is_active.optional(),
});

export type ServerCreate = z.output<typeof serverCreateSchema>;
export type ServerUpdate = z.output<typeof serverUpdateSchema>;
type Deps = Pick<AppDeps, 'db' | 'config' | 'credentials' | 'logger'>;

/**
 * Registers a host after a successful log-in.
 * @returns the new server's id.
 * @throws InvalidInputError (400) with the field at fault: name taken, wrong password, unreachable host.
 */
export async function registerServer(deps: Deps, input: ServerCreate): Promise<number> {
  if (await isServerNameTaken(deps.db, input.name)) throw invalidField('name', 'servers.error.name_taken');
  const probe = await probeOrExplain(deps, input, null);
  const id = await insertServer(deps.db, {
    name: input.name,
    hostname: input.hostname,
    port: input.port,
    protocol: input.protocol,
    username: input.username,
    password_encrypted: deps.credentials.seal(input.password),
    is_active: input.is_active,
    ...probe,
    connection_status: 'connected',
  });
  deps.logger.info({ server: input.name, hostname: input.hostname }, 'ESXi server registered');
  return id;
}

/**
 * Changes a server's settings. Connection settings are checked first; a new address re-pins the certificate.
 * @returns false when the server does not exist.
 * @throws InvalidInputError (400) as `registerServer`.
 */
export async function editServer(deps: Deps, id: number, input: ServerUpdate): Promise<boolean> {
  const current = await getServerRow(deps.db, id);
  if (!current) return false;
  if (input.name && (await isServerNameTaken(deps.db, input.name, id))) {
    throw invalidField('name', 'servers.error.name_taken');
  }
  const next = {
    hostname: input.hostname ?? current.hostname,
    port: input.port ?? current.port,
    protocol: input.protocol ?? current.protocol,
    username: input.username ?? current.username,
    password: input.password ? input.password : deps.credentials.open(current.password_encrypted),
  };
  const values: Partial<EsxiServerInsert> = { name: input.name, is_active: input.is_active };
  const addressChanged =
    next.hostname !== current.hostname || next.port !== current.port || next.protocol !== current.protocol;
  if (addressChanged || next.username !== current.username || input.password) {
    const probe = await probeOrExplain(deps, next, addressChanged ? null : current.thumbprint);
    const { password, ...address } = next;
    Object.assign(values, {
      ...address,
      password_encrypted: deps.credentials.seal(password),
      ...probe,
      connection_status: 'connected',
      last_error: null,
    });
  }
  await updateServer(deps.db, id, values);
  return true;
}

async function probeOrExplain(deps: Deps, input: Parameters<typeof probeServer>[0], pinned: string | null) {
  try {
    return await probeServer(input, deps.config.vsphereTimeoutSeconds, pinned);
  } catch (err) {
    if (!(err instanceof VSphereError)) throw err;
    throw new InvalidInputError(explain(err), err.detail);
  }
}

/** Which form field a connection failure belongs to. */
function explain(err: VSphereError): FieldMessages {
  switch (err.code) {
    case 'InvalidLogin':
      return { password: [err.detail] };
    case 'Unreachable':
    case 'Timeout':
      return { hostname: [err.detail] };
    default:
      return { _: [err.detail] };
  }
}

/** A failure as kept in `esxi_servers.last_error`: its message and code (src/i18n/message.ts). */
export const serverError = (err: unknown): string => storeMessage(messageOf(err), codeOf(err));

/**
 * Logs in to a registered host with its stored credentials and pinned certificate, and records the outcome
 * on the server row (`connection_status`, `last_error`).
 * @returns the host's product name, version and build.
 * @throws VSphereError (InvalidLogin, Unreachable, CertificateMismatch, ...) after recording it.
 */
export async function testConnection(deps: Deps, server: EsxiServerRow) {
  const password = deps.credentials.open(server.password_encrypted);
  try {
    const about = await probeServer(
      { ...server, password },
      deps.config.vsphereTimeoutSeconds,
      server.thumbprint,
    );
    await updateServer(deps.db, server.id, { connection_status: 'connected', last_error: null });
    return about;
  } catch (err) {
    await updateServer(deps.db, server.id, { connection_status: 'error', last_error: serverError(err) });
    throw err;
  }
}
