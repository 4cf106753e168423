/** @module http/openapi/schemas/esxi-servers: what `/api/esxi-servers/` answers (never the password). */
import { z } from 'zod';
import { CONNECTION_STATUSES, PROTOCOLS } from '../../../db/schema.js';
import { count, id, nullableTimestamp, timestamp } from './fields.js';

/** A registered ESXi host, as listed and returned by create, update and trust_certificate. */
export const esxiServerSchema = z.object({
  id,
  name: z.string(),
  hostname: z.string(),
  port: z.number().int().min(1).max(65_535),
  protocol: z.enum(PROTOCOLS),
  username: z.string(),
  is_active: z.boolean(),
  thumbprint: z.string().nullable().describe('SHA-256 fingerprint of the pinned certificate (HTTPS).'),
  version: z.string().nullable(),
  build: z.string().nullable(),
  full_name: z.string().nullable(),
  api_version: z.string().nullable(),
  datacenter: z.string().nullable(),
  connection_status: z.enum(CONNECTION_STATUSES),
  last_error: z.string().nullable().describe('The last failure, in the language of Accept-Language.'),
  last_error_code: z
    .string()
    .nullable()
    .describe('The stable code of `last_error` (`InvalidLogin`, `Unreachable`, ...), for scripts.'),
  last_sync_at: nullableTimestamp,
  created_at: timestamp,
  updated_at: timestamp,
  vm_count: count.describe('VMs present on the host.'),
});

/** `POST /api/esxi-servers/{id}/test_connection/`. */
export const connectionTestSchema = z.object({
  ok: z.literal(true),
  full_name: z.string(),
  version: z.string(),
  build: z.string(),
});

/** `POST /api/esxi-servers/{id}/sync/`: what the host has now. */
export const syncResultSchema = z.object({ vms: count, datastores: count });
