/**
 * @module surebackup/services: the services a verification may check (seed section 3, "Services vérifiables")
 * and the TCP port of each: `ssh` 22, `http` 80, `https` 443, `mysql` 3306, `postgresql` 5432, `rdp` 3389, and
 * `custom_<port>` for any other port.
 */
import { z } from 'zod';
import type { TEST_TYPES } from '../db/schema.js';

export const SERVICE_PORTS = {
  ssh: 22,
  http: 80,
  https: 443,
  mysql: 3306,
  postgresql: 5432,
  rdp: 3389,
} as const;

/** Services checked by `boot_ping_services` and `full` when the request names none. */
export const DEFAULT_SERVICES = ['ssh'];

const CUSTOM = /^custom_(\d{1,5})$/;

/**
 * The TCP port of a service name.
 * @returns the port (1-65535), or null for an unknown name or an out-of-range custom port.
 */
export function servicePort(name: string): number | null {
  if (Object.hasOwn(SERVICE_PORTS, name)) return SERVICE_PORTS[name as keyof typeof SERVICE_PORTS];
  const m = CUSTOM.exec(name);
  const port = m ? Number(m[1]) : 0;
  return port >= 1 && port <= 65_535 ? port : null;
}

/** A service name in a request (API body or form): `ssh`, `http`, `https`, `mysql`, `postgresql`, `rdp` or `custom_<port>`. */
export const serviceName = z
  .string()
  .trim()
  .refine((s) => servicePort(s) !== null, { error: 'surebackup.field.service' });

type TestType = (typeof TEST_TYPES)[number];

/** Whether a test type pings the guest (`boot_ping` and above). */
export const pings = (type: TestType) => type !== 'boot';
/** Whether a test type checks services (`boot_ping_services`, `full`). */
export const checksServices = (type: TestType) => type === 'boot_ping_services' || type === 'full';

/**
 * The services a verification of this type checks: none for `boot`/`boot_ping`, else the requested ones
 * (deduplicated, in order) or {@link DEFAULT_SERVICES}.
 */
export function servicesFor(type: TestType, requested: readonly string[]): string[] {
  if (!checksServices(type)) return [];
  const unique = [...new Set(requested)];
  return unique.length ? unique : [...DEFAULT_SERVICES];
}
