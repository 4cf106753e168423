/**
 * @module replication/settings: the fields of a replication as the API (JSON) and the page (form) send them,
 * and the rules they must follow: the VM and servers exist, the source is the VM's host, source and
 * destination differ, the datastore is one of the destination's, one replication per (VM, destination),
 * and nothing that names the replica changes once it exists.
 * @see ../shared/seeds/002_f19a4346cdb00c94.txt section 2 and section 5 (constraints)
 */
import { z } from 'zod';
import { getServerRow } from '../db/esxi-servers.js';
import { getVirtualMachine, listDatastores } from '../db/inventory.js';
import {
  insertReplication,
  type ReplicationRow,
  type ReplicationView,
  updateReplication,
} from '../db/replications.js';
import { FAILOVER_MODES } from '../db/schema.js';
import type { AppDeps } from '../deps.js';
import { ConflictError, InvalidInputError, invalidField } from '../errors.js';
import { msg } from '../i18n/message.js';

const fields = (num: typeof z.number | typeof z.coerce.number, bool: z.ZodType<boolean>) => ({
  name: z.string().trim().min(1).max(200),
  virtual_machine: num().int().positive(),
  source_server: num().int().positive().nullish(),
  destination_server: num().int().positive(),
  destination_datastore: z.string().trim().min(1).max(200),
  replication_interval_minutes: num().int().min(1).max(10_080).default(15),
  failover_mode: z.enum(FAILOVER_MODES).default('manual'),
  auto_failover_threshold_minutes: num().int().min(1).max(1440).default(5),
  is_active: bool.default(true),
});

/** JSON body of POST/PUT (PATCH: `.partial()`). */
export const replicationJson = z.object(fields(z.number, z.boolean()));
/** HTML form (numbers as text, a checkbox `on`). */
export const replicationForm = z.object({
  ...fields(
    z.coerce.number,
    z.preprocess((v) => v === 'on' || v === 'true', z.boolean()),
  ),
  source_server: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce.number().int().positive().optional(),
  ),
});

export type ReplicationInput = z.output<typeof replicationJson>;

const isUniqueViolation = (err: unknown) =>
  (err as { code?: string })?.code === '23505' ||
  (err as { cause?: { code?: string } })?.cause?.code === '23505';

async function check(deps: Pick<AppDeps, 'db'>, input: ReplicationInput) {
  const found = await getVirtualMachine(deps.db, input.virtual_machine);
  if (!found)
    throw invalidField('virtual_machine', 'replication.error.vm_missing', { id: input.virtual_machine });
  const { vm, server_name } = found;
  if (input.source_server && input.source_server !== vm.esxi_server_id) {
    throw invalidField('source_server', 'replication.error.wrong_source', {
      vm: vm.name,
      server: server_name,
    });
  }
  const dest = await getServerRow(deps.db, input.destination_server);
  if (!dest)
    throw invalidField('destination_server', 'replication.error.server_missing', {
      id: input.destination_server,
    });
  if (dest.id === vm.esxi_server_id) {
    const same = msg('replication.error.same_server');
    throw new InvalidInputError({ destination_server: [same] }, same);
  }
  const datastores = (await listDatastores(deps.db, dest.id)).map((d) => d.datastore.name);
  if (datastores.length > 0 && !datastores.includes(input.destination_datastore)) {
    throw invalidField('destination_datastore', 'replication.error.datastore_missing', {
      datastore: input.destination_datastore,
      server: dest.name,
    });
  }
  return {
    values: {
      name: input.name,
      virtual_machine_id: vm.id,
      source_server_id: vm.esxi_server_id,
      destination_server_id: dest.id,
      destination_datastore: input.destination_datastore,
      replication_interval_minutes: input.replication_interval_minutes,
      failover_mode: input.failover_mode,
      auto_failover_threshold_minutes: input.auto_failover_threshold_minutes,
      is_active: input.is_active,
    },
    duplicate: new ConflictError(
      'replication_exists',
      msg('replication.error.duplicate', { vm: vm.name, server: dest.name }),
    ),
  };
}

/**
 * Creates (no `existing`) or updates a replication after checking the rules (module doc).
 * @param existing the replication being edited; `input` then holds every field (PATCH merges before).
 * @returns the row.
 * @throws InvalidInputError (400, per field); ConflictError (409) `replication_exists` for a second
 *   replication of the VM to the destination, `replica_locked` for a change that would move the replica.
 */
export async function saveReplication(
  deps: Pick<AppDeps, 'db'>,
  input: ReplicationInput,
  existing?: ReplicationView,
): Promise<ReplicationRow> {
  const { values, duplicate } = await check(deps, input);
  if (existing?.replica_vm_moref) {
    const moved =
      values.virtual_machine_id !== existing.virtual_machine_id ||
      values.destination_server_id !== existing.destination_server_id ||
      values.destination_datastore !== existing.destination_datastore;
    if (moved) throw new ConflictError('replica_locked', msg('replication.error.replica_locked'));
  }
  try {
    if (!existing) return await insertReplication(deps.db, values);
    return (await updateReplication(deps.db, existing.id, values)) as ReplicationRow;
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicate;
    throw err;
  }
}

/** The input fields of an existing replication (to merge a PATCH into, or to fill the edit form). */
export function inputOf(r: ReplicationView): ReplicationInput {
  return {
    name: r.name,
    virtual_machine: r.virtual_machine_id,
    source_server: r.source_server_id,
    destination_server: r.destination_server_id,
    destination_datastore: r.destination_datastore,
    replication_interval_minutes: r.replication_interval_minutes,
    failover_mode: r.failover_mode,
    auto_failover_threshold_minutes: r.auto_failover_threshold_minutes,
    is_active: r.is_active,
  };
}
